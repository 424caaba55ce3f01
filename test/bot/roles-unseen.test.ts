import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOf, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';

// Without the read-only application permission RoleManagement.Read.Directory, TapDesk cannot see
// roles people are only eligible for (PIM) or hold over an administrative unit. It must say so, at
// startup and in help, rather than pretend to protect them.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ APP_PERMISSIONS: '' });
});
afterAll(async () => h?.close());

async function say(upn: string, line: string): Promise<string> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(upn), line));
  const activity = h.connector.sent()[before]!.activity;
  return JSON.stringify(typeof activity.text === 'string' ? activity.text : cardOf(activity));
}

describe('without the app-only role read', () => {
  it('says at startup that eligible and scoped admins cannot be recognised', () => {
    const warning = h.logLines.find((l) => l.includes('roles.eligible_unseen'));
    expect(warning).toContain('RoleManagement.Read.Directory');
    expect(JSON.parse(warning!).level).toBe(40);
  });

  it('says it in help, to those who can issue', async () => {
    expect(await say('dana@contoso.com', 'help')).toContain('cannot see roles people are only eligible for');
    expect(await say('mallory@contoso.com', 'help')).not.toContain('cannot see roles');
  });

  it('still refuses a directly held role (the delegated read sees it)', async () => {
    expect(await say('dana@contoso.com', 'issue TAP for harry@contoso.com')).toContain(
      'TAP_TARGET_PRIVILEGED',
    );
  });
});
