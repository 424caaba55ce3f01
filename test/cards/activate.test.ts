import { describe, expect, it } from 'vitest';
import { ACTIVATION_MINUTES, VERBS } from '../../src/cards/actions.js';
import { renderActivateCard, type ActivateCardData } from '../../src/cards/activate.js';
import { problem } from '../../src/errors/catalog.js';
import { PIM_PORTAL_URL } from '../../src/errors/catalog-pim.js';
import {
  adaptiveCardProblems,
  collectActions,
  expectWellFormedCard,
  REQUEST_ID,
  visibleStrings,
} from './card-checks.js';

const data: ActivateCardData = {
  requestId: REQUEST_ID,
  roleName: 'Authentication Administrator',
  forText: 'Alice Wong (alice@contoso.com)',
  justification: 'Issue a Temporary Access Pass for Alice Wong (alice@contoso.com), asked in TapDesk.',
  requestExpiresText: '14:20',
};

describe('the activation card', () => {
  it('is a well-formed card: Activate with the duration, justification and ticket inputs, and Cancel', () => {
    const card = renderActivateCard(data);
    expectWellFormedCard(card);
    const actions = collectActions(card);
    expect(actions.map((a) => a.verb)).toEqual([VERBS.activate, VERBS.cancel]);
    expect(actions.every((a) => JSON.stringify(a.data) === JSON.stringify({ requestId: REQUEST_ID }))).toBe(
      true,
    );
    const inputs = (
      card.body as { type: string; id?: string; value?: string; choices?: { value: string }[] }[]
    ).filter((b) => b.type.startsWith('Input.'));
    expect(inputs.map((i) => i.id)).toEqual(['duration', 'justification', 'ticket']);
    expect(inputs[0]!.choices!.map((c) => c.value)).toEqual([...ACTIVATION_MINUTES]);
    expect(inputs[0]!.value).toBe('60');
    expect(inputs[1]!.value).toBe(data.justification);
    expect(JSON.stringify(card)).not.toContain(PIM_PORTAL_URL);
  });

  it('names from the directory cannot become links; an MFA answer adds the portal button', () => {
    const card = renderActivateCard({
      ...data,
      forText: '[click](https://evil.example) (x@contoso.com)',
      problem: problem('PIM_MFA_REQUIRED', { detail: 'Authentication Administrator' }),
    });
    // Well formed, with one link button besides the Execute actions (a fixed URL, no data).
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(visibleStrings(card).join(' ')).not.toContain('](https://evil');
    expect(visibleStrings(card).join(' ')).toContain('PIM_MFA_REQUIRED');
    const urls = (card.actions as { type: string; url?: string }[]).filter(
      (a) => a.type === 'Action.OpenUrl',
    );
    expect(urls.map((a) => a.url)).toEqual([PIM_PORTAL_URL]);
    // A rule the person can fix on the card gets no portal button.
    const fixable = renderActivateCard({ ...data, problem: problem('PIM_JUSTIFICATION_REQUIRED') });
    expect(JSON.stringify(fixable)).not.toContain(PIM_PORTAL_URL);
  });
});
