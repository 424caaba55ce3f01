// `onboard <person> on <serial>` through /api/messages, against the sandbox's Entra and Intune:
// every part done with the clicker's own token, nothing changed when a check fails, a device that
// belongs to someone else never taken silently, and the pass only ever in the clicker's answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { graphAs } from '../helpers/sandbox-http.js';
import { enrollDevice, sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

const DEVICES_PATH = '/v1.0/deviceManagement/windowsAutopilotDeviceIdentities';
const ROLE_GROUP_MEMBER = 'alice.smith@contoso.com';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    {},
    {
      fixture: (fixture) => {
        // A role-assignable group: Entra lets only privileged admins create passes for its members,
        // which TapDesk cannot see in advance, so the pass is refused after the device was set.
        const member = fixture.users.find((u) => u.userPrincipalName === ROLE_GROUP_MEMBER)!;
        fixture.groups.push({
          id: '6f1d3c2a-8b7e-4a59-9c1d-2e3f4a5b6c7d',
          displayName: 'Tier 0 operators',
          members: [member.id],
          isAssignableToRole: true,
        });
        fixture.autopilot!.devices.push({
          id: '3a4b5c6d-7e8f-4a1b-9c2d-3e4f5a6b7c8d',
          serialNumber: 'KEEP0001',
          manufacturer: 'Dell Inc.',
          model: 'Latitude 7450',
          groupTag: 'Sales',
          userPrincipalName: '',
          enrollmentState: 'notContacted',
        });
      },
    },
  );
});
afterAll(async () => h?.close());

const chatOf = (upn: string) => `a:1:${h.user(upn).id}`;
const noticesTo = (upn: string) => h.connector.proactive(chatOf(upn)).map((c) => JSON.stringify(c.activity));

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends a line as `upn` and returns the whole reply (one message) as text, and its card. */
async function say(
  upn: string,
  text: string,
): Promise<{ text: string; card: Record<string, unknown>; id: string }> {
  const before = h.connector.sent().length;
  await post(h, message(h, h.user(upn), text));
  expect(h.connector.sent().length).toBe(before + 1);
  const sent = h.connector.sent().at(-1)!;
  const card = sent.activity.attachments ? cardOf(sent.activity) : {};
  return { text: JSON.stringify(sent.activity), card, id: sent.assignedId };
}

/** Clicks Confirm on an onboarding card as `upn`, as Teams sends it from a 1:1 chat. */
async function confirm(upn: string, asked: { card: Record<string, unknown>; id: string }, inputs: object) {
  const data = actionData(asked.card, 'onboard.confirm');
  const answer = await post(
    h,
    click(
      h,
      h.user(upn),
      'onboard.confirm',
      { ...data, verification: 'in-person', ...inputs },
      { replyToId: asked.id },
    ),
  );
  return JSON.stringify(answer.body);
}

const deviceWrites = async () =>
  (await sandboxState(h)).graphLog.filter((c) => c.path.startsWith(DEVICES_PATH) && c.method === 'POST');
const deviceOf = async (serial: string) =>
  (await sandboxState(h)).devices.find((d) => d.serialNumber === serial)!;
const passesOf = async (upn: string) =>
  (await sandboxState(h)).passes.filter((p) => p.userPrincipalName === upn);

describe('onboarding on a Windows Autopilot device', () => {
  it('owen onboards alice on an unassigned device: tag and user set with his token, then a multi-use pass from the start asked', async () => {
    const owen = h.user('owen@contoso.com');
    const asked = await say(
      'owen@contoso.com',
      'onboard alice@contoso.com on PF4KX1A3 tag finance start tomorrow 9:00',
    );
    for (const shown of [
      'PF4KX1A3',
      'LENOVO ThinkPad T14 Gen 4',
      'Alice Wong',
      'Multi-use until it expires',
      '2 hours',
    ])
      expect(asked.text).toContain(shown);
    const body = await confirm('owen@contoso.com', asked, { groupTag: 'Finance' });
    const device = await deviceOf('PF4KX1A3');
    expect(device).toMatchObject({
      userPrincipalName: 'alice@contoso.com',
      groupTag: 'Finance',
      updatedBy: owen.id,
    });
    const [pass, ...more] = await passesOf('alice@contoso.com');
    expect(more).toHaveLength(0);
    expect(pass).toMatchObject({ createdBy: owen.id, isUsableOnce: false });
    expect(pass!.lifetimeInMinutes).toBeGreaterThanOrEqual(120);
    expect(body).toContain('Temporary Access Pass');
    // The pass starts when asked: tomorrow 09:00 on the admin's calendar (the harness's clients are in Berlin).
    const listed = await graphAs(
      h.sandbox,
      owen.id,
      'GET',
      `/users/${h.user('alice@contoso.com').id}/authentication/temporaryAccessPassMethods`,
    );
    const method = (listed.body as { value: { startDateTime: string }[] }).value[0]!;
    const confirmedAt = Date.parse((await sandboxState(h)).graphLog.at(-1)!.at);
    const berlin = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
    });
    expect(berlin.format(new Date(method.startDateTime))).toBe('09:00');
    expect(Date.parse(method.startDateTime)).toBeGreaterThan(confirmedAt);
    // The shared card says how each part went, without the pass.
    const updated = h.connector.updates().at(-1)!.activity;
    expect(JSON.stringify(updated)).toContain('is set up on PF4KX1A3');
    expect(JSON.stringify(updated)).not.toMatch(/"pass":|temporaryAccessPass/);
  });

  it('nina holds Intune Administrator but no TAP role: no device is touched, no pass, and she is told to ask for approval', async () => {
    const before = (await deviceWrites()).length;
    const reply = await say('nina@contoso.com', 'onboard bob@contoso.com on 5CG3301ABC');
    expect(reply.text).toContain('ONBOARD_TAP_ROLE_MISSING');
    expect(reply.text).toContain('request TAP for bob@contoso.com');
    expect((await deviceWrites()).length).toBe(before);
    expect(await passesOf('bob@contoso.com')).toHaveLength(0);
    expect((await deviceOf('5CG3301ABC')).userPrincipalName).toBe('');
  });

  it('dana holds Authentication Administrator but no Intune role: told which role she needs, nothing changes', async () => {
    const before = (await deviceWrites()).length;
    const reply = await say('dana@contoso.com', 'onboard bob@contoso.com on 5CG3301ABC');
    expect(reply.text).toContain('INTUNE_ROLE_MISSING');
    expect(reply.text).toContain('Intune Administrator');
    expect((await deviceWrites()).length).toBe(before);
    expect(await passesOf('bob@contoso.com')).toHaveLength(0);
  });

  it("bob's device is not taken silently; 'reassign' shows it on the card, and the trail says whom it was taken from", async () => {
    const refused = await say('owen@contoso.com', 'onboard carol@contoso.com on PF4KX1A2');
    expect(refused.text).toContain('ONBOARD_DEVICE_ASSIGNED');
    expect(refused.text).toContain('bob@contoso.com');
    expect(refused.text).toContain('onboard carol@contoso.com on PF4KX1A2 reassign');
    const asked = await say('owen@contoso.com', 'onboard carol@contoso.com on PF4KX1A2 reassign');
    expect(asked.text).toContain('REASSIGNS it to carol@contoso.com');
    const body = await confirm('owen@contoso.com', asked, {});
    expect(body).toContain('Temporary Access Pass');
    const device = await deviceOf('PF4KX1A2');
    expect(device).toMatchObject({ userPrincipalName: 'carol@contoso.com', groupTag: 'Sales' });
    const audit = await say('owen@contoso.com', 'audit for carol@contoso.com');
    expect(audit.text).toContain('Device assigned');
    expect(audit.text).toContain('taken from bob@contoso.com');
  });

  it('a serial Intune does not know, a partial serial, a malformed one and an unknown tag each get their own answer', async () => {
    const before = (await deviceWrites()).length;
    const unknown = await say('owen@contoso.com', 'onboard bob@contoso.com on ZZ99ZZ99');
    expect(unknown.text).toContain('ONBOARD_DEVICE_NOT_FOUND');
    const partial = await say('owen@contoso.com', 'onboard bob@contoso.com on PF4KX');
    expect(partial.text).toContain('PF4KX1A2, PF4KX1A3');
    const malformed = await say('owen@contoso.com', "onboard bob@contoso.com on PF4'X1");
    expect(malformed.text).toContain('is not a serial number');
    const tag = await say('owen@contoso.com', 'onboard bob@contoso.com on 5CG3301ABC tag Finanse');
    expect(tag.text).toContain('ONBOARD_TAG_UNKNOWN');
    expect(tag.text).toContain('Finance, IT, Kiosk, Sales');
    expect((await deviceWrites()).length).toBe(before);
  });

  it('a tag the card did not offer, a click by someone else and a second click change nothing', async () => {
    const asked = await say('owen@contoso.com', 'onboard bob@contoso.com on 5CG3301ABC for 3h');
    const before = (await deviceWrites()).length;
    // Both leave the card as it is, with a one-line notice.
    expect(await confirm('owen@contoso.com', asked, { groupTag: 'Tier0' })).toContain(
      'That group tag was not on the card',
    );
    expect(await confirm('dana@contoso.com', asked, { groupTag: 'IT' })).toContain(
      'This is not your request',
    );
    expect((await deviceWrites()).length).toBe(before);
    const [first, second] = await Promise.all([
      confirm('owen@contoso.com', asked, { groupTag: 'IT' }),
      confirm('owen@contoso.com', asked, { groupTag: 'Kiosk' }),
    ]);
    expect(
      [first, second].filter((b) => b.includes('Temporary Access Pass') && !b.includes('REQUEST_')),
    ).toHaveLength(1);
    // The losing click answers with a notice that leaves the card alone, so the pass stays in view.
    const loser = [first, second].find((b) => b.includes('REQUEST_ALREADY_USED'))!;
    expect(loser).toContain('application/vnd.microsoft.activity.message');
    expect(loser).not.toContain('AdaptiveCard');
    expect((await deviceWrites()).length).toBe(before + 1);
    expect(await passesOf('bob@contoso.com')).toHaveLength(1);
    expect((await passesOf('bob@contoso.com'))[0]!.lifetimeInMinutes).toBe(180);
  });

  it('Entra refuses the pass after the device was set: the card says both, and offers to ask for approval', async () => {
    const asked = await say('owen@contoso.com', `onboard ${ROLE_GROUP_MEMBER} on 0F3X9K27`);
    const body = await confirm('owen@contoso.com', asked, {});
    expect(body).toContain('The device is ready, but the pass was refused');
    expect(body).toContain(`request TAP for ${ROLE_GROUP_MEMBER} reason: onboarding on 0F3X9K27`);
    expect(await deviceOf('0F3X9K27')).toMatchObject({
      userPrincipalName: ROLE_GROUP_MEMBER,
      groupTag: 'Finance',
      updatedBy: h.user('owen@contoso.com').id,
    });
    expect(await passesOf(ROLE_GROUP_MEMBER)).toHaveLength(0);
    const audit = await say('owen@contoso.com', `audit for ${ROLE_GROUP_MEMBER}`);
    expect(audit.text).toContain('Device assigned');
    expect(audit.text).toContain('Failed');
  });

  it("`onboarding status` shows the asker's onboardings with their parts and the enrollment read now", async () => {
    const mine = await say('owen@contoso.com', 'onboarding status alice@contoso.com');
    expect(mine.text).toContain('Alice Wong on PF4KX1A3');
    expect(mine.text).toContain('Assigned, tag Finance');
    expect(mine.text).toContain('notContacted');
    const all = await say('owen@contoso.com', 'onboarding status');
    expect(all.text).toContain('PF4KX1A2');
    expect(all.text).toContain('0F3X9K27');
    const notHers = await say('dana@contoso.com', 'onboarding status alice@contoso.com');
    expect(notHers.text).toContain('ONBOARDING_NOT_FOUND');
  });

  it("when alice's device enrolls, owen and alice's manager each get one notice; the trail and status say so", async () => {
    // Carol (Alice's manager) has talked to TapDesk before, so it can reach her.
    await post(h, message(h, h.user('carol@contoso.com'), 'hello'));
    const enrolledBefore = (text: string) => text.includes('is set up') && text.includes('PF4KX1A3');
    expect(noticesTo('owen@contoso.com').filter(enrolledBefore)).toHaveLength(0);
    // Not enrolled yet: a look finds nothing to say.
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 6 });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(noticesTo('owen@contoso.com').filter(enrolledBefore)).toHaveLength(0);
    await enrollDevice(h, 'PF4KX1A3');
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 6 });
    await until(
      () =>
        noticesTo('owen@contoso.com').some(enrolledBefore) &&
        noticesTo('carol@contoso.com').some(enrolledBefore),
      'the enrolled notices',
    );
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 6 });
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // and no second notice
    expect(noticesTo('owen@contoso.com').filter(enrolledBefore)).toHaveLength(1);
    expect(noticesTo('carol@contoso.com').filter(enrolledBefore)).toHaveLength(1);
    expect(noticesTo('owen@contoso.com').find(enrolledBefore)).toContain('tap.revoke');
    expect(noticesTo('carol@contoso.com').find(enrolledBefore)).not.toContain('tap.revoke');
    const status = await say('owen@contoso.com', 'onboarding status alice@contoso.com');
    expect(status.text).toContain('Enrolled');
    const audit = await say('owen@contoso.com', 'audit for alice@contoso.com');
    expect(audit.text).toContain('Device enrolled');
    // The follow-through read the device with TapDesk's own read-only token, never a person's.
    const reads = (await sandboxState(h)).graphLog.filter(
      (c) =>
        c.method === 'GET' && c.path.includes(DEVICES_PATH) && c.callerOid !== h.user('owen@contoso.com').id,
    );
    expect(reads.length).toBeGreaterThan(0);
  });

  it("the card's 'keep the device's tag' choice wins over a tag typed with the command", async () => {
    const asked = await say('owen@contoso.com', 'onboard gina@contoso.com on KEEP0001 tag IT');
    expect(asked.text).toContain('"value":"IT"');
    const before = await deviceOf('KEEP0001');
    const body = await confirm('owen@contoso.com', asked, { groupTag: '' });
    expect(body).toContain('Temporary Access Pass');
    const after = await deviceOf('KEEP0001');
    expect(after.userPrincipalName).toBe('gina@contoso.com');
    expect(before.groupTag).toBe('Sales');
    expect(after.groupTag).toBe('Sales');
  });
});
