import { describe, expect, it } from 'vitest';
import {
  HELP_EXAMPLES,
  helpText,
  helpTextFor,
  renderHelpCard,
  type HelpCapabilities,
} from '../../src/cards/render.js';
import { parseCommand } from '../../src/chat/grammar.js';
import { expectWellFormedCard, visibleStrings } from './card-checks.js';

const EVERYTHING: HelpCapabilities = { canIssue: true, canReadAudit: true, canReadPolicy: true };
const NOTHING: HelpCapabilities = { canIssue: false, canReadAudit: false, canReadPolicy: false };

const ALL_CAPS: HelpCapabilities[] = [true, false].flatMap((canIssue) =>
  [true, false].flatMap((canReadAudit) =>
    ([true, false, 'unknown'] as const).map((canReadPolicy) => ({ canIssue, canReadAudit, canReadPolicy })),
  ),
);

// Every `command` the help text shows, so each can be checked against the parser; placeholders
// ("for <duration>") and alternatives ("once / multi-use") describe parts of a command instead.
function shownCommands(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)]
    .map((match) => match[1] ?? '')
    .filter((shown) => !shown.includes('<') && !shown.includes(' / '));
}

describe('help with the new commands', () => {
  it('lists list, revoke and policy examples on the card and in the plain text', () => {
    const card = renderHelpCard();
    expectWellFormedCard(card);
    for (const example of [
      'list TAP for alice@contoso.com',
      'revoke TAP for alice@contoso.com',
      'tap policy',
    ]) {
      expect(HELP_EXAMPLES).toContain(example);
      expect(visibleStrings(card)).toContain(example);
      expect(helpText()).toContain(example);
    }
  });
});

describe('helpTextFor', () => {
  it('shows every command with examples to someone who may do everything', () => {
    const text = helpTextFor(EVERYTHING);
    for (const example of HELP_EXAMPLES) expect(text).toContain(example);
    expect(text).toContain('`help`');
    expect(text).not.toMatch(/ask an admin/i);
  });

  it('tells someone who cannot issue to ask an admin, and shows no issue, list or revoke examples', () => {
    const text = helpTextFor({ ...EVERYTHING, canIssue: false });
    expect(text).toMatch(/ask an admin/i);
    for (const kind of ['issue', 'list', 'revoke']) {
      for (const example of HELP_EXAMPLES.filter((e) => {
        const parsed = parseCommand(e);
        return parsed.ok && parsed.command.kind === kind;
      })) {
        expect(text).not.toContain(example);
      }
    }
    expect(text).toContain('audit for alice@contoso.com');
    expect(text).toContain('tap policy');
  });

  it('does not offer audit or policy to someone who may read neither, but says they exist', () => {
    const text = helpTextFor(NOTHING);
    expect(text).not.toContain('audit last 20');
    expect(text).toContain('`audit` and `tap policy` need an Entra role');
  });

  it('offers the policy with a caveat when it could not be checked', () => {
    const text = helpTextFor({ ...EVERYTHING, canReadPolicy: 'unknown' });
    expect(text).toContain('tap policy');
    expect(text).toContain("couldn't check");
    expect(helpTextFor(EVERYTHING)).not.toContain("couldn't check");
  });

  it.each(ALL_CAPS)('only shows commands that parse, request examples included (%o)', (caps) => {
    const text = helpTextFor(caps);
    const commands = shownCommands(text);
    expect(commands).toContain('help');
    for (const command of commands) expect(parseCommand(command).ok, command).toBe(true);
    expect(commands.some((command) => command.startsWith('request TAP'))).toBe(true);
    expect(text).not.toMatch(/coming (later|soon)/i);
  });

  it('explains several people at once and the CSV file to those who may issue, and only to them', () => {
    const text = helpTextFor(EVERYTHING);
    expect(text).toContain('**Several people at once**');
    expect(text).toContain('`issue TAP for alice@contoso.com, bob@contoso.com for 8h once`');
    expect(text).toContain('CSV file in our 1:1 chat with the columns user, lifetime, once and start');
    expect(text).toMatch(/second admin approves/);
    expect(text).toMatch(/file only you can download/);
    expect(helpText()).toContain('CSV file with the columns user, lifetime, once and start');
    for (const caps of ALL_CAPS.filter((c) => !c.canIssue)) {
      const without = helpTextFor(caps);
      expect(without).not.toContain('Several people at once');
      expect(without).not.toContain('bob@contoso.com');
    }
  });

  it('keeps helpText() unchanged in shape', () => {
    expect(helpText()).toMatch(/^Tell me who needs a Temporary Access Pass\./);
    expect(helpText()).toContain('Examples:');
  });
});
