import { describe, expect, it } from 'vitest';
import * as ACData from 'adaptivecards-templating';
import { neutraliseText } from '../../src/cards/escape.js';
import { renderChoiceCard, renderConfirmCard, renderIssuedCard } from '../../src/cards/render.js';
import { expectWellFormedCard, REQUEST_ID, visibleStrings } from './card-checks.js';

const EVIL_NAME = '${requestId} [click](https://evil.example)';
const ZERO_WIDTH = /\u200b/g;
// What a Markdown renderer would turn into a link, an autolink or a bare URL link.
const LINK_SYNTAX = /\]\(|<[a-z]|:\/\/|www\./i;

function confirmWithName(displayName: string) {
  return renderConfirmCard({
    requestId: REQUEST_ID,
    requesterName: '**Dana**',
    requestExpiresText: '14:20',
    target: {
      displayName,
      userPrincipalName: 'eve@contoso.com',
      department: '<https://evil.example>',
      jobTitle: '- list item',
      managerName: 'www.evil.example',
      accountEnabled: true,
    },
    existingPass: null,
    lifetimeText: '1 hour',
    usableOnce: true,
    policyText: null,
    startText: 'immediately',
    expiresText: '15:05',
    notes: ['${requestId}'],
    warnings: [],
  });
}

describe('adaptivecards-templating', () => {
  it('does not evaluate expressions that arrive inside data', () => {
    const expanded = new ACData.Template({ type: 'TextBlock', text: '${name}' }).expand({
      $root: { name: '${secret} ${1+1}', secret: 'LEAKED' },
    }) as { text: string };
    expect(expanded.text).toBe('${secret} ${1+1}');
  });
});

describe('user-controlled text on cards', () => {
  it('renders a hostile display name literally, with no link or template syntax left', () => {
    const card = confirmWithName(EVIL_NAME);
    expectWellFormedCard(card);
    const texts = visibleStrings(card);
    // Visually identical: removing the invisible breaks gives back exactly what was typed.
    expect(texts.map((text) => text.replace(ZERO_WIDTH, ''))).toContain(EVIL_NAME);
    for (const text of texts) {
      expect(text).not.toMatch(LINK_SYNTAX);
      expect(text).not.toContain('${');
    }
    expect(texts.join('\n')).not.toContain('**');
    // The request id is only in action data, never substituted into the name.
    expect(texts.join('\n')).not.toContain(REQUEST_ID);
  });

  it('neutralises names on the choice and issued cards too', () => {
    const choice = renderChoiceCard({
      requestId: REQUEST_ID,
      query: EVIL_NAME,
      candidates: [
        {
          id: '0b9e4d7c-3f21-4a8e-b5c6-7d8e9f0a1b2c',
          displayName: EVIL_NAME,
          userPrincipalName: 'e@x',
          department: EVIL_NAME,
        },
      ],
      moreCount: 0,
    });
    const issued = renderIssuedCard({
      issuerName: EVIL_NAME,
      targetName: EVIL_NAME,
      targetUpn: 'e@x',
      expiresText: '15:05',
      startText: 'now',
      usableOnce: true,
      verificationTitle: 'In person',
      ticket: null,
    });
    for (const card of [choice, issued]) {
      expectWellFormedCard(card);
      for (const text of visibleStrings(card)) expect(text).not.toMatch(LINK_SYNTAX);
    }
  });
});

describe('neutraliseText', () => {
  it.each([
    ['Alice Wong', 'Alice Wong'],
    ['alice_wong@contoso.com', 'alice_wong@contoso.com'],
    ["Seán O'Brien (Contractor)", "Seán O'Brien (Contractor)"],
    ['  Alice\n\nWong\t ', 'Alice Wong'],
    ['Ali\u202ece\u200b', 'Alice'],
  ])('keeps ordinary text %j readable', (input, expected) => {
    expect(neutraliseText(input)).toBe(expected);
  });

  it.each([
    '# Heading',
    '- item',
    '1. item',
    '> quote',
    '**bold**',
    '__bold__',
    '~~gone~~',
    '<b>x</b>',
    'https://x.example',
  ])('breaks Markdown in %j without changing what is visible', (input) => {
    const output = neutraliseText(input);
    expect(output).not.toBe(input);
    expect(output.replace(ZERO_WIDTH, '')).toBe(input);
  });

  it('caps length with an ellipsis', () => {
    expect(neutraliseText('x'.repeat(300))).toHaveLength(256);
    expect(neutraliseText('abcdef', 4)).toBe('abc…');
  });
});
