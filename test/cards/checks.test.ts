import { describe, expect, it } from 'vitest';
import { adaptiveCardProblems } from './card-checks.js';

// Guards the guard: the checks must actually catch broken cards.
describe('adaptiveCardProblems', () => {
  const base = {
    type: 'AdaptiveCard',
    version: '1.5',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  };

  it('accepts a minimal valid card', () => {
    expect(adaptiveCardProblems({ ...base, body: [{ type: 'TextBlock', text: 'Hi', wrap: true }] })).toEqual(
      [],
    );
  });

  it('reports unknown element types', () => {
    expect(adaptiveCardProblems({ ...base, body: [{ type: 'TextBlok', text: 'Hi' }] }).join()).toContain(
      'TextBlok',
    );
  });

  it('reports misspelled properties that the parser would silently drop', () => {
    expect(
      adaptiveCardProblems({ ...base, body: [{ type: 'TextBlock', text: 'Hi', isSubtel: true }] }),
    ).not.toEqual([]);
  });

  it('reports duplicate input ids', () => {
    const input = { type: 'Input.Text', id: 'ticket', label: 'Ticket' };
    expect(adaptiveCardProblems({ ...base, body: [input, input] })).not.toEqual([]);
  });
});
