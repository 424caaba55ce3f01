import { describe, expect, it } from 'vitest';
import {
  renderWelcomeCard,
  type HelpSettings,
  type WelcomeAudience,
  type WelcomeOccasion,
} from '../../src/cards/render.js';
import { parseCommand } from '../../src/chat/grammar.js';
import { adaptiveCardProblems, collectActions, visibleStrings } from './card-checks.js';

const SETTINGS: HelpSettings = {
  maxLifetimeMinutes: 480,
  approvalsOn: true,
  requesterGroup: true,
  deliverTo: 'approver',
  approvalTtlMinutes: 60,
  bulkApprovalAbove: 10,
  seesEligibleRoles: true,
};
const ISSUER: WelcomeAudience = {
  kind: 'person',
  name: 'Dana Reyes',
  canIssue: true,
  canReadAudit: true,
  inRequesterGroup: false,
};
const NOBODY: WelcomeAudience = {
  kind: 'person',
  name: 'Mallory Stone',
  canIssue: false,
  canReadAudit: false,
  inRequesterGroup: false,
};
const REQUESTER: WelcomeAudience = { ...NOBODY, name: 'Harry Smith', inRequesterGroup: true };

const AUDIENCES: WelcomeAudience[] = [
  ISSUER,
  NOBODY,
  REQUESTER,
  { kind: 'unknown', name: 'Dana Reyes' },
  { kind: 'unknown' },
  { kind: 'shared', conversation: 'channel', approversHere: true },
  { kind: 'shared', conversation: 'channel', approversHere: false },
  { kind: 'shared', conversation: 'groupChat', approversHere: false },
];
const CASES = AUDIENCES.flatMap((audience) =>
  (['install', 'hello'] as WelcomeOccasion[]).flatMap((occasion) =>
    [SETTINGS, { ...SETTINGS, approvalsOn: false, maxLifetimeMinutes: 60 }].map((settings) => ({
      audience,
      occasion,
      settings,
    })),
  ),
);

const textOf = (card: Record<string, unknown>) => visibleStrings(card).join('\n');

/** The buttons: what each types when clicked. */
function buttonsOf(card: Record<string, unknown>): { title: string; text: string }[] {
  return collectActions(card).map((action) => {
    expect(action.type).toBe('Action.Submit');
    // Nothing but the command travels: no id, no fact a click could be trusted for.
    expect(Object.keys(action.data as object)).toEqual(['command']);
    return { title: action.title as string, text: (action.data as { command: string }).command };
  });
}

describe('the welcome card', () => {
  it.each(CASES)(
    'is a valid card whose buttons send commands that parse (%#)',
    ({ audience, occasion, settings }) => {
      const card = renderWelcomeCard(audience, occasion, settings);
      expect(adaptiveCardProblems(card)).toEqual([]);
      expect(JSON.stringify(card)).not.toContain('${');
      const buttons = buttonsOf(card);
      expect(buttons.length).toBeGreaterThanOrEqual(1);
      expect(buttons.length).toBeLessThanOrEqual(3);
      for (const button of buttons) expect(parseCommand(button.text).ok, button.text).toBe(true);
      // Examples on the card parse too, and never ask for more than the cap.
      const text = textOf(card);
      expect(text).not.toMatch(/[<>]/);
      for (const line of text.split('\n').filter((l) => /^(issue|request) TAP for/.test(l))) {
        const parsed = parseCommand(line);
        expect(parsed.ok, line).toBe(true);
        if (parsed.ok && 'lifetimeMinutes' in parsed.command && parsed.command.lifetimeMinutes !== undefined)
          expect(parsed.command.lifetimeMinutes).toBeLessThanOrEqual(settings.maxLifetimeMinutes);
      }
    },
  );

  it('tells an issuer she may issue, request for admins, approve and read the audit, with three buttons', () => {
    const card = renderWelcomeCard(ISSUER, 'install', SETTINGS);
    const text = textOf(card);
    expect(text).toContain('Welcome to TapDesk, Dana Reyes');
    expect(text).toContain('**Issue** a pass');
    expect(text).toContain('at most 8 hours here');
    expect(text).toContain('**Approve**');
    expect(text).toContain('**Read the audit trail**');
    expect(text).toContain('issue TAP for alice@contoso.com for 4h once');
    expect(buttonsOf(card).map((b) => b.text)).toEqual(['help', 'tap policy', 'audit last 20']);
  });

  it('tells someone without a role that they cannot issue, and what they may do instead', () => {
    const text = textOf(renderWelcomeCard(NOBODY, 'install', SETTINGS));
    expect(text).not.toContain('**Issue** a pass');
    expect(text).not.toContain('**Approve**');
    expect(text).toContain("You don't hold an active Entra role that issues passes");
    expect(text).toContain('**Request** a pass for people you manage');
    expect(text).not.toContain('issue TAP for');
    expect(textOf(renderWelcomeCard(REQUESTER, 'install', SETTINGS))).toContain(
      '**Request** a pass for anyone in the organisation',
    );
    const off = textOf(renderWelcomeCard(NOBODY, 'install', { ...SETTINGS, approvalsOn: false }));
    expect(off).not.toContain('**Request**');
    expect(off).toContain('Ask an admin');
    expect(buttonsOf(renderWelcomeCard(NOBODY, 'install', SETTINGS)).map((b) => b.text)).toEqual([
      'help',
      'tap policy',
    ]);
  });

  it('without the roles it says what each kind of person may do and that a sign-in comes later', () => {
    const text = textOf(renderWelcomeCard({ kind: 'unknown', name: 'Dana Reyes' }, 'install', SETTINGS));
    expect(text).toContain('With an active Authentication Administrator');
    expect(text).toContain('Without one:');
    expect(text).toContain('I ask you to sign in once');
    expect(textOf(renderWelcomeCard({ kind: 'unknown' }, 'install', SETTINGS))).toContain(
      'Welcome to TapDesk\n',
    );
  });

  it('greets "hi" differently from an install, and neutralises the name', () => {
    expect(textOf(renderWelcomeCard(ISSUER, 'hello', SETTINGS))).toContain("Hi Dana Reyes, I'm TapDesk");
    const hostile = renderWelcomeCard(
      { ...ISSUER, name: '[Re-verify](https://evil.example)' },
      'install',
      SETTINGS,
    );
    expect(JSON.stringify(hostile)).not.toContain('](https://');
  });

  it('in a shared conversation speaks about the place, never about whoever added TapDesk', () => {
    const approvers = textOf(
      renderWelcomeCard(
        { kind: 'shared', conversation: 'channel', approversHere: true },
        'install',
        SETTINGS,
      ),
    );
    expect(approvers).toContain('posted in this channel for approval');
    expect(approvers).toContain('1 hour to decide');
    expect(approvers).toContain('whoever approves');
    const elsewhere = textOf(
      renderWelcomeCard(
        { kind: 'shared', conversation: 'groupChat', approversHere: false },
        'install',
        SETTINGS,
      ),
    );
    expect(elsewhere).toContain('in a 1:1 chat with me');
    expect(elsewhere).not.toContain('In a channel');
    for (const text of [approvers, elsewhere]) {
      expect(text).not.toContain('Dana');
      expect(text).not.toContain("You don't hold");
    }
  });
});
