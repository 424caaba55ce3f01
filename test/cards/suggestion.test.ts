import { describe, expect, it } from 'vitest';
import { renderSuggestionCard, renderSuggestionRanCard } from '../../src/cards/suggestion.js';
import { parseCommand } from '../../src/chat/grammar.js';
import { adaptiveCardProblems, collectActions, visibleStrings } from './card-checks.js';

describe('the "Did you mean …?" card', () => {
  it('is a valid card with one button that carries only the command text', () => {
    const card = renderSuggestionCard('issue TAP for bob for 2 hours');
    expect(adaptiveCardProblems(card)).toEqual([]);
    const actions = collectActions(card);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'chat.run', associatedInputs: 'none' });
    expect(actions[0]?.['data']).toStrictEqual({ command: 'issue TAP for bob for 2 hours' });
    expect(visibleStrings(card)).toContain('issue TAP for bob for 2 hours');
  });

  it('neutralises what it shows and carries, and the carried text still reads as the same command', () => {
    // The grammar never suggests markup; the card does not rely on that.
    const typed = 'issue TAP for [x](https://evil.example) ${requestId} **now**';
    const card = renderSuggestionCard(typed);
    const text = JSON.stringify([visibleStrings(card), collectActions(card)]);
    for (const live of ['](', '${', '://', '**']) expect(text).not.toContain(live);
    const data = collectActions(card)[0]?.['data'] as { command: string };
    expect(parseCommand(data.command)).toStrictEqual(parseCommand(typed));
    const ran = JSON.stringify(visibleStrings(renderSuggestionRanCard(typed)));
    for (const live of ['](', '${', '://', '**']) expect(ran).not.toContain(live);
  });
});
