import { describe, expect, it } from 'vitest';
import {
  HELP_EXAMPLES,
  helpText,
  helpTextFor,
  type HelpCapabilities,
  type HelpSettings,
} from '../../src/cards/render.js';
import { parseCommand } from '../../src/chat/grammar.js';

const EVERYTHING: HelpCapabilities = { canIssue: true, canReadAudit: true, canReadPolicy: true };
const NOTHING: HelpCapabilities = { canIssue: false, canReadAudit: false, canReadPolicy: false };

/** The sandbox's settings: the defaults, with approvals and a requester group set up. */
const SANDBOX: HelpSettings = {
  maxLifetimeMinutes: 480,
  approvalsOn: true,
  requesterGroup: true,
  deliverTo: 'approver',
  approvalTtlMinutes: 60,
  bulkApprovalAbove: 10,
  seesEligibleRoles: true,
};
/** A small deployment: a 2-hour cap, every bulk approved, no requester group, passes to requesters. */
const STRICT: HelpSettings = {
  ...SANDBOX,
  maxLifetimeMinutes: 120,
  requesterGroup: false,
  deliverTo: 'requester',
  approvalTtlMinutes: 30,
  bulkApprovalAbove: 0,
};
/** No approvers' channel: request is off and big bulks are refused. */
const NO_APPROVALS: HelpSettings = {
  ...SANDBOX,
  approvalsOn: false,
  requesterGroup: false,
  bulkApprovalAbove: 5,
};
/** TapDesk allows 30-day passes (its maximum cap). */
const LONG: HelpSettings = { ...SANDBOX, maxLifetimeMinutes: 43_200, seesEligibleRoles: false };
const SETTINGS = { SANDBOX, STRICT, NO_APPROVALS, LONG };

const ALL_CAPS: HelpCapabilities[] = [true, false].flatMap((canIssue) =>
  [true, false].flatMap((canReadAudit) =>
    ([true, false, 'unknown'] as const).map((canReadPolicy) => ({ canIssue, canReadAudit, canReadPolicy })),
  ),
);

/** Every text help can be: each capability set in each configuration, and the no-sign-in help. */
const ALL_TEXTS = Object.entries(SETTINGS).flatMap(([name, settings]) => [
  { name: `${name}, not signed in`, settings, text: helpText(settings) },
  ...ALL_CAPS.map((caps) => ({
    name: `${name}, ${JSON.stringify(caps)}`,
    settings,
    text: helpTextFor(caps, settings),
  })),
]);

// Every `command` the help text shows, so each can be checked against the parser.
function shownCommands(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

const kindOf = (example: string) => {
  const parsed = parseCommand(example);
  return parsed.ok ? parsed.command.kind : undefined;
};

describe('help renders cleanly in Teams and the Playground', () => {
  it.each(ALL_TEXTS)(
    'has no angle brackets, only commands that parse, and right grammar ($name)',
    ({ text }) => {
      // Teams may take <person> for an HTML tag and hide it; placeholders are italic words instead.
      expect(text).not.toMatch(/[<>]/);
      expect(text).not.toContain('&lt;');
      for (const command of shownCommands(text)) {
        // `list TAP for` _person_ is a command with its placeholder outside the code span.
        const complete = command.endsWith(' for') ? `${command} alice@contoso.com` : command;
        expect(parseCommand(complete).ok, command).toBe(true);
      }
      expect(text).not.toMatch(/^`(tap policy|audit)` need /m);
      expect(text).not.toMatch(/coming (later|soon)/i);
      expect(text).not.toContain('30 days)');
    },
  );
});

describe("help says this deployment's numbers", () => {
  it('names the lifetime cap, and shows no example or duration above it', () => {
    expect(helpTextFor(EVERYTHING, SANDBOX)).toContain('at most 8 hours here');
    const strict = helpTextFor(EVERYTHING, STRICT);
    expect(strict).toContain('at most 2 hours here');
    expect(strict).not.toContain('8 hours');
    // "for 4h once" and "for 1 day" ask for more than 2 hours, so they would be shortened.
    expect(strict).not.toContain('issue TAP for alice@contoso.com for 4h once');
    expect(strict).not.toContain('1 day');
    expect(strict).not.toContain('4 hours');
    expect(strict).toContain('`issue TAP for alice@contoso.com`');
    expect(strict).toContain('`new TAP for "Alice Wong" for 2 hours start tomorrow 9:00`');
    // The one bulk example asks for 8h; a bulk within any cap stands in for it.
    expect(strict).toContain('`issue TAP for alice@contoso.com, bob@contoso.com once`');
    expect(helpText(STRICT)).toContain('at most 2 hours here');
    const long = helpTextFor(EVERYTHING, LONG);
    expect(long).toContain('at most 30 days here');
    expect(long).toContain('request TAP for Alice Wong for 1 day once because new laptop, ticket INC0012345');
  });

  it('the request example asking for a day is left out under the default cap of 8 hours', () => {
    for (const text of [helpTextFor(EVERYTHING, SANDBOX), helpTextFor(NOTHING, SANDBOX), helpText(SANDBOX)]) {
      expect(text).not.toContain('for 1 day');
      expect(text).toContain('`request TAP for alice@contoso.com reason: lost phone`');
    }
  });

  it('states the bulk approval threshold as configured', () => {
    expect(helpTextFor(EVERYTHING, SANDBOX)).toContain('More than 10 passes within an hour');
    expect(helpTextFor(EVERYTHING, STRICT)).toContain("Every bulk needs a second admin's approval");
    const off = helpTextFor(EVERYTHING, NO_APPROVALS);
    expect(off).toContain('More than 5 passes within an hour');
    expect(off).toContain("no approvers' channel is set up here, so such a bulk is refused");
  });

  it('says who may request, how long approvers have and who sees the pass', () => {
    const sandbox = helpTextFor(NOTHING, SANDBOX);
    expect(sandbox).toContain('members of the service desk requester group');
    expect(sandbox).toContain('Approvers have 1 hour to decide');
    expect(sandbox).toContain('The approver sees the pass');
    const strict = helpTextFor(NOTHING, STRICT);
    expect(strict).not.toContain('requester group');
    expect(strict).toContain('Approvers have 30 minutes to decide');
    expect(strict).toContain('one-time card in our 1:1 chat');
    const off = helpTextFor(NOTHING, NO_APPROVALS);
    expect(off).toContain('Approval requests are switched off here');
    expect(off).not.toContain('request TAP for');
    expect(helpTextFor(EVERYTHING, NO_APPROVALS)).not.toContain('**Approve requests**');
    expect(helpTextFor(EVERYTHING, SANDBOX)).toContain('**Approve requests**');
  });

  it('warns issuers, and only them, when eligible roles cannot be seen', () => {
    expect(helpTextFor(EVERYTHING, LONG)).toContain('RoleManagement.Read.Directory');
    expect(helpTextFor(NOTHING, LONG)).not.toContain('RoleManagement.Read.Directory');
    expect(helpTextFor(EVERYTHING, SANDBOX)).not.toContain('RoleManagement.Read.Directory');
  });
});

describe('help adapts to what the caller may do', () => {
  it('shows every command with examples to someone who may do everything', () => {
    const text = helpTextFor(EVERYTHING, LONG);
    for (const example of HELP_EXAMPLES) expect(text).toContain(example);
    expect(text).toContain('`help`');
    expect(text).not.toMatch(/ask an admin/i);
  });

  it('tells someone who cannot issue to ask an admin, and shows no issue, list or revoke examples', () => {
    const text = helpTextFor({ ...EVERYTHING, canIssue: false }, SANDBOX);
    expect(text).toMatch(/ask an admin/i);
    for (const example of HELP_EXAMPLES.filter((e) =>
      ['issue', 'list', 'revoke', 'bulk'].includes(kindOf(e) ?? ''),
    ))
      expect(text).not.toContain(example);
    expect(text).not.toContain('Several people at once');
    expect(text).toContain('audit for alice@contoso.com');
    expect(text).toContain('tap policy');
  });

  it('does not offer audit or policy to someone who may read neither, and says so in good grammar', () => {
    const text = helpTextFor(NOTHING, SANDBOX);
    expect(text).not.toContain('audit last 20');
    expect(text).toContain("`audit` and `tap policy` need an Entra role you don't have");
    expect(helpTextFor({ ...EVERYTHING, canReadPolicy: false }, SANDBOX)).toContain(
      "`tap policy` needs an Entra role you don't have",
    );
  });

  it('offers the policy with a caveat when it could not be checked', () => {
    expect(helpTextFor({ ...EVERYTHING, canReadPolicy: 'unknown' }, SANDBOX)).toContain("couldn't check");
    expect(helpTextFor(EVERYTHING, SANDBOX)).not.toContain("couldn't check");
  });

  it('explains several people at once and the CSV file to those who may issue', () => {
    const text = helpTextFor(EVERYTHING, SANDBOX);
    expect(text).toContain('**Several people at once**');
    expect(text).toContain('`issue TAP for alice@contoso.com, bob@contoso.com for 8h once`');
    expect(text).toContain('CSV file in our 1:1 chat with the columns user, lifetime, once and start');
    expect(text).toMatch(/file only you can download/);
  });

  it('without a sign-in lists everything and says why', () => {
    const text = helpText(SANDBOX);
    expect(text).toMatch(/^I couldn't read your Entra roles/);
    for (const kind of ['issue', 'bulk', 'request', 'list', 'revoke', 'audit', 'policy'])
      expect(
        HELP_EXAMPLES.some((e) => kindOf(e) === kind && text.includes(e)),
        kind,
      ).toBe(true);
  });
});

describe('help for device searches', () => {
  it('lists the device commands only for people whose roles suggest Intune shows them devices', () => {
    const withDevices = helpTextFor({ ...NOTHING, canFindDevices: true }, SANDBOX);
    expect(withDevices).toContain('**Find devices**');
    expect(withDevices).toContain('`find device 5CG33`');
    expect(withDevices).not.toContain('onboard');
    const issuerWithDevices = helpTextFor({ ...EVERYTHING, canFindDevices: true }, SANDBOX);
    expect(issuerWithDevices).toContain('**Devices and onboarding**');
    expect(issuerWithDevices).toContain('`onboarding status`');
    expect(helpTextFor(EVERYTHING, SANDBOX)).not.toContain('Find devices');
    expect(helpText(SANDBOX)).not.toContain('Find devices');
    for (const example of ['devices for alice@contoso.com', 'find device 5CG33'])
      expect(parseCommand(example)).toMatchObject({ ok: true, command: { kind: 'devices' } });
  });
});
