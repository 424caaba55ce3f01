// Bulk onboarding through /api/messages, against the sandbox's Entra and Intune: a CSV with a serial
// column, one card with counts, a second admin's approval above the threshold, then per row the
// device (user and group tag) and the pass, both with the requester's own tokens; problem rows change
// nothing, and the passes reach the requester only, in the results file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newHireUpn } from '../../sandbox/new-hires.js';
import { AuditLog } from '../../src/audit/log.js';
import {
  actionData,
  APPROVALS_CHANNEL,
  botAdded,
  cardOf,
  click,
  message,
  post,
} from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { fileConsentInvoke } from '../helpers/files.js';
import {
  acceptFile,
  clickBulk,
  csvRows,
  FILE_CONSENT,
  factsOf,
  inApproversThread,
  passesByUser,
  sendCsv,
  sha256,
  waitFor,
} from '../helpers/bulk.js';
import {
  enrollDevice,
  openUploadSession,
  readUploadedFile,
  sandboxAdmin,
  sandboxState,
} from '../helpers/sandbox-admin.js';

const DEVICES_PATH = '/v1.0/deviceManagement/windowsAutopilotDeviceIdentities';
/** Laptops for the waves: nine for the first (one for the row with an unknown tag), twelve for the second. */
const NEW_SERIALS = Array.from({ length: 21 }, (_, i) => `ONB${String(i + 1).padStart(4, '0')}`);
/** A member of a role-assignable group: Entra refuses her pass after her device was set. */
const ROLE_GROUP_MEMBER = 'alice.smith@contoso.com';
const BOBS_DEVICE = 'PF4KX1A2';
/** Two days ahead at 08:00 UTC: a start the third joiner's row asks for. */
const START = new Date(
  Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 2, 8),
);

let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    { TAP_LIMIT_PER_ISSUER_PER_HOUR: '1000', TAP_LIMIT_TENANT_PER_HOUR: '1000', BULK_APPROVAL_ABOVE: '5' },
    {
      newHires: 24,
      fixture: (fixture) => {
        const member = fixture.users.find((u) => u.userPrincipalName === ROLE_GROUP_MEMBER)!;
        fixture.groups.push({
          id: '6f1d3c2a-8b7e-4a59-9c1d-2e3f4a5b6c7e',
          displayName: 'Tier 0 operators',
          members: [member.id],
          isAssignableToRole: true,
        });
        NEW_SERIALS.forEach((serialNumber, i) =>
          fixture.autopilot!.devices.push({
            id: `0b5e7a10-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
            serialNumber,
            manufacturer: 'Contoso',
            model: 'Laptop 7',
            groupTag: '',
            userPrincipalName: '',
            enrollmentState: 'notContacted',
          }),
        );
      },
    },
  );
  await post(h, botAdded(h, h.user('dana@contoso.com'), APPROVALS_CHANNEL));
});
afterAll(async () => h?.close());

/** Ten joiners: eight on new laptops (some with a start or a lifetime), bob's laptop, an unknown tag. */
function joinersCsv(): string {
  const lines = ['user,serial,groupTag,start,lifetime'];
  for (let n = 1; n <= 8; n += 1) {
    const tag = n % 2 === 0 ? 'Finance' : 'sales';
    const start = n === 3 ? START.toISOString() : '';
    const lifetime = n === 4 ? '8h' : n === 5 ? '30m' : '';
    lines.push(`${newHireUpn(n)},${NEW_SERIALS[n - 1]!.toLowerCase()},${tag},${start},${lifetime}`);
  }
  lines.push(`${newHireUpn(9)},${BOBS_DEVICE},Sales,,`);
  lines.push(`${newHireUpn(10)},${NEW_SERIALS[8]!},Marketing,,`);
  return lines.join('\r\n');
}

/** Accepts the file offered for this bulk (a chat may hold offers of earlier bulks) and reads it. */
async function acceptFileOf(bulkId: string, user: ReturnType<Harness['user']>) {
  const call = await waitFor('the file consent card', () =>
    h.connector
      .proactive(`a:1:${user.id}`)
      .find((c) => JSON.stringify(c.activity.attachments ?? []).includes(`"bulkId":"${bulkId}"`)),
  );
  const attachment = (
    call.activity.attachments as { contentType: string; name: string; content: Record<string, unknown> }[]
  ).find((a) => a.contentType === FILE_CONSENT)!;
  const uploadInfo = await openUploadSession(h, attachment.name);
  const context = attachment.content.acceptContext;
  await post(
    h,
    fileConsentInvoke(h, user, { action: 'accept', context, uploadInfo }, { replyToId: call.assignedId }),
  );
  return csvRows((await readUploadedFile(h, uploadInfo.uniqueId)).content);
}

const deviceOf = async (serial: string) =>
  (await sandboxState(h)).devices.find((d) => d.serialNumber === serial)!;

describe('bulk onboarding from a CSV with a serial column', () => {
  it('owen onboards ten rows with two problem rows: after approval, eight devices set and eight multi-use passes, all his', async () => {
    const owen = h.user('owen@contoso.com');
    const reply = await sendCsv(h, owen, 'joiners.csv', joinersCsv());
    const card = cardOf(reply.activity);
    expect(factsOf(card)).toMatchObject({
      Rows: '10',
      Ready: '8',
      'Device assigned to someone else': '1',
      'Unknown group tag': '1',
    });
    const shown = JSON.stringify(card);
    expect(shown).toContain('Bulk onboarding: 8 people');
    expect(shown).toContain('New Hire 0001 (newhire0001@contoso.com) on ONB0001');
    expect(shown).toContain('Line 10');
    expect(shown).toContain('bob@contoso.com');
    expect(shown).toContain('Marketing');
    // Validation reads only: no device changed, no pass.
    const before = await sandboxState(h);
    expect(before.passes).toHaveLength(0);
    expect(before.devices.every((d) => d.updatedBy === null)).toBe(true);

    // Eight ready is above BULK_APPROVAL_ABOVE (5): Dana approves, Owen issues.
    expect(() => actionData(card, 'bulk.confirm')).toThrow();
    const { bulkId } = actionData(card, 'bulk.ask');
    await clickBulk(h, owen, reply, 'bulk.ask');
    const approval = await waitFor('the approval card', () =>
      h.connector.proactive(APPROVALS_CHANNEL).at(-1),
    );
    expect(JSON.stringify(approval.activity)).toContain('Bulk approval: onboarding of 8 people');
    const dana = h.user('dana@contoso.com');
    await post(h, inApproversThread(click(h, dana, 'bulk.approve', { bulkId })));
    expect((await sandboxState(h)).devices.every((d) => d.updatedBy === null)).toBe(true);
    const started = await post(h, click(h, owen, 'bulk.confirm', { bulkId }));
    expect(started.status).toBe(200);

    const { rows, attachment } = await acceptFile(h, owen);
    expect(attachment.name).toMatch(/^tapdesk-onboarding-.*-8\.csv$/);
    expect(rows).toHaveLength(8);
    const { state, byUser } = await passesByUser(h);
    expect(state.passes).toHaveLength(8);
    for (let n = 1; n <= 8; n += 1) {
      const user = h.user(newHireUpn(n));
      const serial = NEW_SERIALS[n - 1]!;
      const device = await deviceOf(serial);
      expect(device).toMatchObject({
        userPrincipalName: user.userPrincipalName,
        addressableUserName: user.displayName,
        groupTag: n % 2 === 0 ? 'Finance' : 'Sales',
        updatedBy: owen.id,
      });
      const passes = byUser.get(user.id) ?? [];
      expect(passes).toHaveLength(1);
      const pass = passes[0]!;
      expect(pass.createdBy).toBe(owen.id);
      expect(pass.isUsableOnce).toBe(false);
      // At least Windows setup (120 minutes by default); a row asking for longer gets it.
      expect(pass.lifetimeInMinutes).toBe(n === 4 ? 480 : 120);
      const row = rows.find((r) => r.user === user.userPrincipalName)!;
      expect(row).toMatchObject({
        serial,
        groupTag: n % 2 === 0 ? 'Finance' : 'Sales',
        device: 'updated',
        passOutcome: 'issued',
        use: 'multi-use',
      });
      if (n === 3) expect(Date.parse(row.start!)).toBe(START.getTime());
      expect(sha256(row.pass!)).toBe(pass.passSha256);
    }
    // The problem rows changed nothing: bob keeps his laptop, the spare one has no user or tag.
    expect(await deviceOf(BOBS_DEVICE)).toMatchObject({
      userPrincipalName: 'bob@contoso.com',
      updatedBy: null,
    });
    expect(await deviceOf(NEW_SERIALS[8]!)).toMatchObject({
      userPrincipalName: '',
      groupTag: '',
      updatedBy: null,
    });
    for (const n of [9, 10]) expect(byUser.get(h.user(newHireUpn(n)).id)).toBeUndefined();
    // Every device write was Owen's, one per ready row (Dana, who approved, wrote nothing).
    const writes = state.graphLog.filter((c) => c.path.startsWith(DEVICES_PATH) && c.method === 'POST');
    expect(writes).toHaveLength(8);
    expect(writes.every((w) => w.callerOid === owen.id && w.status === 204)).toBe(true);

    // Each device part is audited as a single onboarding's is.
    const audit = await new AuditLog(h.store, () => new Date()).recent(200);
    const updated = audit.filter((e) => e.type === 'onboarding.device_updated' && e.requestId === bulkId);
    expect(updated).toHaveLength(8);
    expect(updated.every((e) => e.actor.oid === owen.id)).toBe(true);
    expect(updated.map((e) => e.device?.serialNumber).sort()).toStrictEqual(NEW_SERIALS.slice(0, 8));
    expect(audit.filter((e) => e.type === 'tap.issued' && e.requestId === bulkId)).toHaveLength(8);

    // The passes reached nobody else: not the chat, not the approvers' channel, the logs or the store.
    for (const row of rows) {
      expect(h.connector.allText()).not.toContain(row.pass);
      expect(h.logLines.join('\n')).not.toContain(row.pass);
      expect(h.storageContains(row.pass!)).toBe(false);
    }
    // The scan can find things: the devices are in the stored bulk.
    expect(h.storageContains('ONB0001')).toBe(true);
  });

  it("when a bulk-onboarded device enrolls, owen and the joiner's manager each get one notice, and the trail says so", async () => {
    // Carol (the new hires' manager) has talked to TapDesk, so it can reach her.
    await post(h, message(h, h.user('carol@contoso.com'), 'hello'));
    const about = (text: string) => text.includes('New Hire 0001 is set up');
    const noticesTo = (upn: string) =>
      h.connector.proactive(`a:1:${h.user(upn).id}`).map((c) => JSON.stringify(c.activity));
    await enrollDevice(h, NEW_SERIALS[0]!);
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 6 });
    await waitFor('the enrolled notices', () =>
      noticesTo('owen@contoso.com').some(about) && noticesTo('carol@contoso.com').some(about)
        ? true
        : undefined,
    );
    await sandboxAdmin(h, 'POST', '/clock', { advanceMinutes: 6 });
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // and no second notice
    expect(noticesTo('owen@contoso.com').filter(about)).toHaveLength(1);
    expect(noticesTo('carol@contoso.com').filter(about)).toHaveLength(1);
    // A bulk keeps no request per person to revoke from: the issuer is told the command instead.
    expect(noticesTo('owen@contoso.com').find(about)).not.toContain('tap.revoke');
    expect(noticesTo('owen@contoso.com').find(about)).toContain('revoke TAP for');
    const audit = await new AuditLog(h.store, () => new Date()).recent(400);
    const enrolled = audit.filter((e) => e.type === 'onboarding.enrolled');
    expect(enrolled).toHaveLength(1);
    expect(enrolled[0]).toMatchObject({
      target: { userPrincipalName: newHireUpn(1) },
      device: { serialNumber: NEW_SERIALS[0] },
    });
  });

  it('Intune answers 429 to a third of writes: each device is set once all the same, and a device set without its pass is said so', async () => {
    const owen = h.user('owen@contoso.com');
    const serials = NEW_SERIALS.slice(9);
    const lines = ['user,serial,groupTag'];
    for (let n = 11; n <= 21; n += 1) lines.push(`${newHireUpn(n)},${serials[n - 11]},IT`);
    lines.push(`${ROLE_GROUP_MEMBER},${serials[11]},Kiosk`);
    const reply = await sendCsv(h, owen, 'second-wave.csv', lines.join('\n'));
    expect(factsOf(cardOf(reply.activity))).toMatchObject({ Rows: '12', Ready: '12' });
    const { bulkId } = actionData(cardOf(reply.activity), 'bulk.ask');
    await clickBulk(h, owen, reply, 'bulk.ask');
    await post(h, inApproversThread(click(h, h.user('dana@contoso.com'), 'bulk.approve', { bulkId })));
    const logBefore = (await sandboxState(h)).graphLog.length;
    await sandboxAdmin(h, 'POST', '/faults', { failRate: 0.3, failStatus: 429, failWritesOnly: true });
    let rows: Record<string, string>[];
    try {
      await post(h, click(h, owen, 'bulk.confirm', { bulkId }));
      rows = await acceptFileOf(String(bulkId), owen);
    } finally {
      await sandboxAdmin(h, 'POST', '/faults', { reset: true });
    }
    expect(rows).toHaveLength(12);
    const { state, byUser } = await passesByUser(h);
    const log = state.graphLog.slice(logBefore);
    const deviceWrites = log.filter((c) => c.path.startsWith(DEVICES_PATH) && c.method === 'POST');
    // Throttled writes were sent again after Retry-After; each device was set exactly once.
    expect(deviceWrites.some((w) => w.status === 429)).toBe(true);
    for (const [i, serial] of serials.entries()) {
      const device = await deviceOf(serial);
      expect(device.updatedBy).toBe(owen.id);
      const set = deviceWrites.filter((w) => w.status === 204 && w.path.includes(device.id as string));
      expect(set, serial).toHaveLength(1);
      if (i < 11) {
        const user = h.user(newHireUpn(11 + i));
        expect(device).toMatchObject({ userPrincipalName: user.userPrincipalName, groupTag: 'IT' });
        expect(byUser.get(user.id)).toHaveLength(1);
        expect(rows.find((r) => r.user === user.userPrincipalName)).toMatchObject({
          device: 'updated',
          passOutcome: 'issued',
        });
      }
    }
    // The summary card counts the devices set apart from the passes.
    const summary = await waitFor('the summary card', () =>
      h.connector
        .updates()
        .find((u) => u.activityId === reply.assignedId && JSON.stringify(u.activity).includes('Devices set')),
    );
    expect(factsOf(cardOf(summary.activity))).toMatchObject({
      Issued: '11',
      Failed: '1',
      'Devices set': '12',
    });
    // Entra refused her pass after her device was set: the file says both, and she has no pass.
    const member = h.user(ROLE_GROUP_MEMBER);
    expect(await deviceOf(serials[11]!)).toMatchObject({
      userPrincipalName: ROLE_GROUP_MEMBER,
      groupTag: 'Kiosk',
    });
    expect(byUser.get(member.id)).toBeUndefined();
    const hers = rows.find((r) => r.user === ROLE_GROUP_MEMBER)!;
    expect(hers.device).toBe('updated');
    expect(hers.passOutcome).toMatch(/^refused \([A-Z_]+\); the device was set$/);
    expect(hers.pass).toBe('');
  });

  it('dana (no Intune role) sends an onboarding file: told which role she needs; no bulk, no device read past the refusal, nothing changed', async () => {
    const dana = h.user('dana@contoso.com');
    const before = await sandboxState(h);
    const reply = await sendCsv(h, dana, 'joiners.csv', `user,serial\n${newHireUpn(22)},${NEW_SERIALS[0]}\n`);
    const text = JSON.stringify(reply.activity);
    expect(text).toContain('You need an Intune role');
    expect(text).not.toContain('bulk.confirm');
    expect(text).not.toContain('bulk.ask');
    const after = await sandboxState(h);
    const reads = after.graphLog.slice(before.graphLog.length).filter((c) => c.path.startsWith(DEVICES_PATH));
    expect(reads.map((r) => `${r.method} ${r.status}`)).toStrictEqual(['GET 403']);
    expect(after.passes).toHaveLength(before.passes.length);
    expect(after.devices).toStrictEqual(before.devices);
  });

  it('an unknown serial, a serial given twice and a malformed one are problem rows, each said on the card', async () => {
    const owen = h.user('owen@contoso.com');
    const csv = [
      'user,serial',
      `${newHireUpn(23)},NOPE0001`,
      `${newHireUpn(24)},${NEW_SERIALS[8]}`,
      `${newHireUpn(22)},${NEW_SERIALS[8]!.toLowerCase()}`,
      `${newHireUpn(21)},PF4'X`,
    ].join('\n');
    const reply = await sendCsv(h, owen, 'typos.csv', csv);
    const card = cardOf(reply.activity);
    expect(factsOf(card)).toMatchObject({
      Rows: '4',
      Ready: '1',
      'Device not found': '1',
      Duplicate: '1',
      'Invalid row': '1',
    });
    const text = JSON.stringify(card);
    expect(text).toContain('No Windows Autopilot device has the serial number');
    expect(text).toContain(`The device ${NEW_SERIALS[8]} is already in the list.`);
    expect(text).toContain('is not a serial number');
  });
});
