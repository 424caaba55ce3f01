// Delivery to the manager and by SMS, in the core over fakes: the number and the manager come from
// the directory with the reader's own token, each failure revokes the pass, nothing is sent twice.
import { describe, expect, it } from 'vitest';
import { deliverToManager, type ManagerChannel } from '../../src/delivery/manager-deliver.js';
import { maskPhone, smsDestination, toE164 } from '../../src/delivery/phone.js';
import { readDeliverySettings } from '../../src/delivery/settings.js';
import { deliverBySms } from '../../src/delivery/sms-deliver.js';
import { SmsSendError, type SmsMessage, type SmsSender } from '../../src/delivery/sms-port.js';
import type { CreatedTap } from '../../src/graph/port.js';
import { approveRequest } from '../../src/tap/approval-decide.js';
import { requestApproval } from '../../src/tap/approval-request.js';
import { PassVault } from '../../src/tap/pass-vault.js';
import type { Person, TapRequest } from '../../src/tap/request.js';
import { coreWorld, PEOPLE, upnOf, type CoreWorld } from '../fakes/core.js';
import { failures } from '../fakes/graph.js';
import { codeOf, conversationOf, inChannel, stored } from './steps.js';

const { erin, mona, tom } = PEOPLE;

/** An SMS service that records what it was asked to send, or fails as told. */
class RecordingSms implements SmsSender {
  readonly from = '+18005550100';
  readonly sent: SmsMessage[] = [];
  failure: SmsSendError | undefined;
  async send(message: SmsMessage) {
    if (this.failure) throw this.failure;
    this.sent.push(message);
    return { messageId: `m-${this.sent.length}` };
  }
}

async function requested(w: CoreWorld, requester: Person, target: Person, deliverTo: 'manager' | 'sms') {
  return requestApproval(w.deps, w.graphOf(requester), {
    requester,
    timeZone: 'UTC',
    utcOffsetMinutes: 0,
    conversationId: conversationOf(requester),
    command: { kind: 'request', who: upnOf(target), reason: 'lost phone', deliverTo },
  });
}

/** Mona asks for Tom's pass by `deliverTo`; Erin approves: the issued request and its pass. */
async function approved(
  w: CoreWorld,
  deliverTo: 'manager' | 'sms',
): Promise<{ request: TapRequest; pass: CreatedTap }> {
  const asked = await requested(w, mona, tom, deliverTo);
  if (asked.kind !== 'requested') throw new Error(`not requested: ${JSON.stringify(asked)}`);
  const outcome = await approveRequest(w.deps, w.as(erin), inChannel(asked.view.request.id, erin));
  if (outcome.kind !== 'issued') throw new Error(`not issued: ${codeOf(outcome)}`);
  return { request: outcome.request, pass: outcome.pass };
}

function world(mobilePhone: string | null = '+1 425 555 0199') {
  const w = coreWorld();
  w.tenant.user(tom.oid).mobilePhone = mobilePhone;
  return w;
}

describe('phone numbers from the directory', () => {
  it.each([
    ['+1 425 555 0101', '+14255550101'],
    ['+44 (0)20 7946 0958', '+442079460958'],
    ['+1 (425) 555-0101 x12', '+14255550101'],
    ['425 555 0101', null],
    ['+1 425 CALL ME', null],
    ['+0 123 4567 89', null],
    ['+1 555', null],
    ['', null],
  ])('%s → %s', (typed, e164) => {
    expect(toE164(typed)).toBe(e164);
  });

  it('masks all but the country code and the last four digits', () => {
    expect(maskPhone('+14255550101')).toBe('+1 ••• ••• 0101');
    expect(maskPhone('+442079460958')).toBe('+44 ••• ••• 0958');
    expect(smsDestination('+1 425 555 0101')?.masked).toBe('+1 ••• ••• 0101');
  });
});

describe('delivery settings', () => {
  it('needs both ACS settings, an https endpoint and an E.164 sender; a GUID catalog id', () => {
    const problems: string[] = [];
    expect(readDeliverySettings({}, problems)).toEqual({});
    expect(
      readDeliverySettings(
        { ACS_ENDPOINT: 'https://x.communication.azure.com', ACS_SMS_FROM: '+18005550100' },
        problems,
      ),
    ).toEqual({ acs: { endpoint: 'https://x.communication.azure.com', from: '+18005550100' } });
    expect(problems).toEqual([]);
    readDeliverySettings({ ACS_ENDPOINT: 'http://x', ACS_SMS_FROM: '+1 800 555 0100' }, problems);
    readDeliverySettings({ TEAMS_APP_CATALOG_ID: 'tapdesk' }, problems);
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'ACS_ENDPOINT',
      'ACS_SMS_FROM',
      'TEAMS_APP_CATALOG_ID',
    ]);
  });
});

describe('deliverBySms', () => {
  it('refuses before approval a person without a mobile number, and shows the masked one otherwise', async () => {
    expect(codeOf(await requested(world(null), mona, tom, 'sms'))).toBe('SMS_NO_MOBILE');
    const asked = await requested(world(), mona, tom, 'sms');
    if (asked.kind !== 'requested') throw new Error('not requested');
    expect(asked.view.request.approval?.delivery?.smsMasked).toBe('+1 ••• ••• 0199');
    expect(JSON.stringify(asked.view.request)).not.toContain('4255550199');
  });

  it('sends one SMS with the pass to the directory number, saying who and until when', async () => {
    const w = world();
    const { request, pass } = await approved(w, 'sms');
    const sms = new RecordingSms();
    const outcome = await deliverBySms(w.deps, sms, w.graphOf(erin), request, pass, erin);
    expect(outcome.kind).toBe('delivered');
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]!.to).toBe('+14255550199');
    expect(sms.sent[0]!.message).toContain(pass.temporaryAccessPass);
    expect(sms.sent[0]!.message).toContain('Erin Approver');
    expect(sms.sent[0]!.message).toMatch(/valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(sms.sent[0]!.message).toContain('Never share this code');
    // Read with the approver's own token at Approve.
    expect(w.tenant.callsOf('getMobilePhone').map((c) => c.caller)).toEqual([mona.oid, erin.oid]);
    expect((await stored(w, request.id)).approval?.delivery?.outcome).toBe('delivered');
    expect(JSON.stringify(await w.audit('pass.delivered'))).not.toContain(pass.temporaryAccessPass);
  });

  it('a number changed since the card revokes the pass and sends nothing', async () => {
    const w = world();
    const { request, pass } = await approved(w, 'sms');
    w.tenant.user(tom.oid).mobilePhone = '+1 425 555 0666';
    const sms = new RecordingSms();
    const outcome = await deliverBySms(w.deps, sms, w.graphOf(erin), request, pass, erin);
    expect(codeOf(outcome as { kind: string; problem?: { code: string } })).toBe('DELIVERY_FAILED');
    expect(sms.sent).toEqual([]);
    expect(w.tenant.passOf(tom.oid)).toBeUndefined();
    expect((await stored(w, request.id)).state).toBe('failed');
    expect((await w.audit('tap.revoked')).map((e) => e.actor.oid)).toEqual([erin.oid]);
  });

  it('an SMS that may have gone out is revoked too, never sent again; a revoke Entra refuses is said so', async () => {
    const w = world();
    const { request, pass } = await approved(w, 'sms');
    const sms = new RecordingSms();
    sms.failure = new SmsSendError('no answer', 0, true);
    w.tenant.fail('deleteTap', failures.unavailable());
    const outcome = await deliverBySms(w.deps, sms, w.graphOf(erin), request, pass, erin);
    expect(codeOf(outcome as { kind: string; problem?: { code: string } })).toBe(
      'DELIVERY_FAILED_NOT_REVOKED',
    );
    // The pass is still there, so the request stays issued (its Revoke and notices keep working).
    expect(w.tenant.passOf(tom.oid)).toBeDefined();
    expect((await stored(w, request.id)).state).toBe('issued');
    const failed = await w.audit('pass.delivery_failed');
    expect(failed[0]?.delivery).toMatchObject({ channel: 'sms', destination: '+1 ••• ••• 0199' });
  });
});

describe('deliverToManager', () => {
  function channel(reachable: { chat: boolean; install: boolean }) {
    const calls: string[] = [];
    const port: ManagerChannel = {
      hasChat: async (oid) => (calls.push(`has ${oid}`), reachable.chat),
      installAndWait: async (oid) => (calls.push(`install ${oid}`), reachable.install),
      postReveal: async (oid) => (calls.push(`post ${oid}`), 'activity-1'),
    };
    return { port, calls };
  }

  it('reads the manager with the approver’s token, installs when needed, and holds the pass for that manager only', async () => {
    const w = world();
    const { request, pass } = await approved(w, 'manager');
    const { port, calls } = channel({ chat: false, install: true });
    const vault = new PassVault(() => w.clock.now().getTime());
    const outcome = await deliverToManager(w.deps, port, vault, w.graphOf(erin), request, pass, erin);
    expect(outcome.kind).toBe('delivered');
    expect(calls).toEqual([`has ${mona.oid}`, `install ${mona.oid}`, `post ${mona.oid}`]);
    expect(w.tenant.callsOf('getManager').at(-1)?.caller).toBe(erin.oid);
    const now = await stored(w, request.id);
    expect(now.approval?.delivery?.recipient).toEqual({ oid: mona.oid, name: mona.name });
    expect(vault.reveal(request.id, erin.oid).kind).toBe('not-yours');
    expect(vault.reveal(request.id, mona.oid)).toEqual({ kind: 'revealed', pass });
  });

  it('a manager TapDesk cannot reach gets nothing, and the pass is revoked', async () => {
    const w = world();
    const { request, pass } = await approved(w, 'manager');
    const { port, calls } = channel({ chat: false, install: false });
    const vault = new PassVault(() => w.clock.now().getTime());
    const outcome = await deliverToManager(w.deps, port, vault, w.graphOf(erin), request, pass, erin);
    expect(codeOf(outcome as { kind: string; problem?: { code: string } })).toBe('DELIVERY_FAILED');
    expect(calls).not.toContain(`post ${mona.oid}`);
    expect(vault.isHolding(request.id)).toBe(false);
    expect(w.tenant.passOf(tom.oid)).toBeUndefined();
  });

  it('refuses before approval a person without a manager', async () => {
    const w = world();
    w.tenant.addUser({
      id: 'oid-nina',
      displayName: 'Nina Nomanager',
      userPrincipalName: 'nina@contoso.com',
    });
    const asked = await requested(w, PEOPLE.alice, { oid: 'oid-nina', name: 'Nina Nomanager' }, 'manager');
    expect(codeOf(asked)).toBe('MANAGER_NONE');
  });
});
