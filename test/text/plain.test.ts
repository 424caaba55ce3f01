import { describe, expect, it } from 'vitest';
import { neutraliseText } from '../../src/cards/escape.js';
import { renderProblemCard } from '../../src/cards/outcome.js';
import { problem, problemLine } from '../../src/errors/catalog.js';
import { ChatList, chatText, guardStart, neutraliseChat } from '../../src/text/plain.js';

const ZERO_WIDTH = /\u200b/g;
// The catalog's own text has code spans; what must not appear is a live link or tag.
const LIVE_OUTSIDE_CODE = /\]\(|<[a-z]|:\/\/|www\./i;
// What Teams would turn into a link, an anchor, a mention, an entity or formatting.
const LIVE = /\]\(|\]\[|\]:|<[a-z/!?]|:\/\/|www\.|&#|&[a-z]+;|`|\*|__|~~/i;

describe('neutraliseChat', () => {
  it.each([
    '[Re-verify your sign-in](https://evil.example)',
    '<a href="https://evil.example">x</a>',
    '<at>Dana</at>',
    'see https://evil.example and WWW.evil.example',
    '&#91;x&#93;(https&#58;//evil.example) &lt;at&gt;',
    '`code` **bold** __bold__ ~~~strike~~~ *it*',
    '[x][1] [1]: https://evil.example',
  ])('leaves nothing live in %s', (hostile) => {
    expect(neutraliseChat(hostile)).not.toMatch(LIVE);
  });

  it('keeps the visible text apart from the swapped backtick and asterisk', () => {
    const hostile = 'Eve [Re-verify](https://evil.example) <b>';
    expect(neutraliseChat(hostile).replace(ZERO_WIDTH, '')).toBe(hostile);
    expect(neutraliseChat('a*b`c')).toBe('a\u2217b\u02cbc');
  });

  it('drops bidi and zero-width characters, flattens lines and caps the length', () => {
    expect(neutraliseChat('Eve\u202e\u200bgnp.exe\r\n# Heading')).toBe('Evegnp.exe # Heading');
    expect(Array.from(neutraliseChat('x'.repeat(300), 10))).toHaveLength(10);
  });

  it('is idempotent, and the card neutraliser after it shows no backslash', () => {
    const hostile = 'Eve [Re-verify](https://evil.example) **now** <at>x</at>';
    const once = neutraliseChat(hostile);
    expect(neutraliseChat(once)).toBe(once);
    expect(neutraliseText(once)).not.toContain('\\');
    expect(neutraliseText(once).replace(ZERO_WIDTH, '')).toBe(once.replace(ZERO_WIDTH, ''));
  });
});

describe('chatText', () => {
  it('neutralises every interpolated value and keeps its own Markdown', () => {
    const name = '[x](https://evil.example)';
    const text = chatText`Ask \`list TAP for ${name}\` now, ${3} left`;
    expect(text).toMatch(/^Ask `list TAP for .* now, 3 left$/);
    expect(text).not.toContain('](');
  });

  it('guards a value that starts the message, and joins lists without re-cutting them', () => {
    expect(chatText`${'# Big'} news`.startsWith('\u200b#')).toBe(true);
    expect(guardStart('1. item')).toBe('\u200b1. item');
    const list = new ChatList(Array.from({ length: 5 }, (_, n) => `${'n'.repeat(200)}${n}`));
    expect(chatText`match: ${list}`.length).toBeGreaterThan(1000);
  });
});

describe('catalog text', () => {
  it('is neutralised where it is interpolated, and renders on a card without backslashes', () => {
    const p = problem('APPROVAL_AMBIGUOUS', {
      who: 'Eve [x](https://evil.example)',
      matches: 'Eve [Re-verify](https://evil.example) (eve@contoso.com)',
    });
    expect(problemLine(p)).not.toMatch(LIVE_OUTSIDE_CODE);
    const card = JSON.stringify(renderProblemCard(p));
    expect(card).not.toMatch(/\]\(|:\/\/evil|\\\\/);
    expect(card.replace(/\\u200b|\u200b/g, '')).toContain('Eve [Re-verify](https');
  });
});
