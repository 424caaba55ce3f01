// The device part of an onboarding bulk over a fake Intune: throttled writes are sent again after
// Retry-After, a device that changed hands is left alone, a refused write means no pass; each part
// is recorded on the chunk and audited. And the results file that says what became of each row.
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.js';
import type { BulkItem } from '../../src/bulk/job.js';
import { newDeviceRun, setDevices } from '../../src/bulk/onboard-run.js';
import { onboardingRows } from '../../src/bulk/onboard-results.js';
import { passesCsv, type PassRow } from '../../src/bulk/results.js';
import type { AutopilotDevice, DeviceUpdate, DeviceWriteGraph } from '../../src/graph/device-port.js';
import { GraphFailure } from '../../src/graph/failure.js';
import { bulkWorld, item, newJob, REQUESTER, sqliteStores } from './fixtures.js';

const fresh = sqliteStores();
const NOW = new Date('2026-05-04T10:00:00.000Z');

/** Intune as a map of devices; `answers` scripts failures per device id, consumed in order. */
class FakeIntune implements DeviceWriteGraph {
  readonly writes: { id: string; update: DeviceUpdate }[] = [];
  constructor(
    readonly devices: Map<string, AutopilotDevice>,
    readonly answers: Map<string, GraphFailure[]> = new Map(),
  ) {}
  listAutopilotDevices(): never {
    throw new Error('not used');
  }
  async getAutopilotDevice(id: string) {
    return this.devices.get(id) ?? null;
  }
  async updateDeviceProperties(id: string, update: DeviceUpdate) {
    const failure = this.answers.get(id)?.shift();
    if (failure) throw failure;
    this.writes.push({ id, update });
    Object.assign(this.devices.get(id)!, update);
  }
}

const onDevice = (n: number, owner: string | null = null): BulkItem => ({
  ...item(n),
  plan: { lifetimeMinutes: 120, isUsableOnce: false },
  device: { id: `dev-${n}`, serialNumber: `SER${n}`, groupTag: 'Finance', owner },
});

const autopilot = (n: number, userPrincipalName = ''): AutopilotDevice => ({
  id: `dev-${n}`,
  serialNumber: `SER${n}`,
  manufacturer: null,
  model: null,
  groupTag: '',
  userPrincipalName,
  displayName: null,
  enrollmentState: 'notContacted',
  lastContactedDateTime: null,
});

describe('setDevices', () => {
  it('sets each device once, waits out a 429, leaves a device that changed hands, records and audits each part', async () => {
    const { deps, store } = bulkWorld(fresh(), NOW);
    const rows = [onDevice(0), onDevice(1), onDevice(2), onDevice(3)];
    const added = await deps.bulk.add(newJob({ total: 4, onboarding: true }), rows);
    const job = added.value;
    const intune = new FakeIntune(
      new Map([
        ['dev-0', autopilot(0)],
        ['dev-1', autopilot(1)],
        ['dev-2', autopilot(2, 'bob@contoso.com')],
        ['dev-3', autopilot(3)],
      ]),
      new Map([
        ['dev-1', [new GraphFailure(429, 'TooManyRequests', 'slow down', 0.05, undefined)]],
        [
          'dev-3',
          [
            new GraphFailure(
              403,
              'Forbidden',
              'User is not authorized to perform this operation',
              undefined,
              undefined,
            ),
          ],
        ],
      ]),
    );
    const run = newDeviceRun(intune);
    const chunk = (await deps.bulk.getChunk(job.id, 0))!;
    const { row, failed } = await setDevices(deps, run, job, REQUESTER, chunk);

    expect(failed).toBe(2);
    expect(run.gate.waits).toBeGreaterThan(0);
    expect(intune.writes.map((w) => w.id).sort()).toStrictEqual(['dev-0', 'dev-1']);
    expect(intune.writes[0]!.update).toStrictEqual({
      userPrincipalName: expect.stringMatching(/^user[01]@contoso\.com$/),
      addressableUserName: expect.stringMatching(/^User [01]$/),
      groupTag: 'Finance',
    });
    const byId = new Map(row.value.items.map((i) => [i.device!.id, i]));
    expect(byId.get('dev-0')).toMatchObject({ state: 'ready', device: { part: 'updated' } });
    expect(byId.get('dev-1')).toMatchObject({ state: 'ready', device: { part: 'updated' } });
    expect(byId.get('dev-2')).toMatchObject({
      state: 'failed',
      code: 'ONBOARD_DEVICE_CHANGED',
      device: { part: 'refused' },
    });
    expect(byId.get('dev-3')).toMatchObject({
      state: 'failed',
      code: 'ONBOARD_DEVICE_REFUSED',
      device: { part: 'refused' },
    });
    // Stored as returned, so a second call changes nothing and sends nothing.
    expect((await deps.bulk.getChunk(job.id, 0))!.value).toStrictEqual(row.value);
    await setDevices(deps, run, job, REQUESTER, row);
    expect(intune.writes).toHaveLength(2);

    const audit = await new AuditLog(store, () => NOW).recent(20);
    const types = audit.map((e) => `${e.type} ${e.device?.serialNumber ?? ''}`).sort();
    expect(types).toStrictEqual([
      'onboarding.device_failed SER2',
      'onboarding.device_failed SER3',
      'onboarding.device_updated SER0',
      'onboarding.device_updated SER1',
    ]);
    expect(audit.every((e) => e.actor.oid === REQUESTER.oid && e.requestId === job.id)).toBe(true);
  });
});

describe('setDevices for a row without a tag', () => {
  it('sends no tag, so a tag set since the card stays, and records the tag the device has', async () => {
    const { deps } = bulkWorld(fresh(), NOW);
    const row: BulkItem = {
      ...onDevice(5),
      device: { ...onDevice(5).device!, groupTag: null, keepTag: true },
    };
    const added = await deps.bulk.add(newJob({ total: 1, onboarding: true }), [row]);
    const intune = new FakeIntune(new Map([['dev-5', { ...autopilot(5), groupTag: 'Kiosk' }]]));
    const chunk = (await deps.bulk.getChunk(added.value.id, 0))!;
    const done = await setDevices(deps, newDeviceRun(intune), added.value, REQUESTER, chunk);
    expect(intune.writes).toStrictEqual([
      { id: 'dev-5', update: { userPrincipalName: 'user5@contoso.com', addressableUserName: 'User 5' } },
    ]);
    expect(done.row.value.items[0]!.device).toMatchObject({ part: 'updated', groupTag: 'Kiosk' });
  });
});

describe('the onboarding results file', () => {
  it('one line per person: device and pass outcome; the pass only where one was created', () => {
    const issued: BulkItem = {
      ...onDevice(0),
      state: 'issued',
      device: { ...onDevice(0).device!, part: 'updated' },
    };
    const refused: BulkItem = {
      ...onDevice(1),
      state: 'failed',
      code: 'TAP_TARGET_PRIVILEGED',
      device: { ...onDevice(1).device!, part: 'updated' },
    };
    const notSet: BulkItem = {
      ...onDevice(2),
      state: 'failed',
      code: 'ONBOARD_DEVICE_REFUSED',
      device: { ...onDevice(2).device!, part: 'refused', code: 'ONBOARD_DEVICE_REFUSED' },
    };
    const pass: PassRow = {
      userPrincipalName: 'user0@contoso.com',
      displayName: 'User 0',
      pass: '=Ab,c"d',
      startDateTime: '2026-05-04T10:00:00.000Z',
      expiresAt: '2026-05-04T12:00:00.000Z',
      isUsableOnce: false,
    };
    const csv = passesCsv(onboardingRows([issued, refused, notSet], [pass]));
    expect(csv.split('\r\n')).toStrictEqual([
      'user,name,serial,groupTag,device,passOutcome,pass,start,expiry,use',
      'user0@contoso.com,User 0,SER0,Finance,updated,issued,"=Ab,c""d",2026-05-04T10:00:00.000Z,2026-05-04T12:00:00.000Z,multi-use',
      'user1@contoso.com,User 1,SER1,Finance,updated,refused (TAP_TARGET_PRIVILEGED); the device was set,,,,',
      'user2@contoso.com,User 2,SER2,Finance,refused (ONBOARD_DEVICE_REFUSED),not asked for: the device was not set,,,,',
      '',
    ]);
  });

  it('a pass bulk keeps its own file', () => {
    const csv = passesCsv([
      {
        userPrincipalName: 'a@contoso.com',
        displayName: 'A',
        pass: 'x',
        startDateTime: 's',
        expiresAt: 'e',
        isUsableOnce: true,
      },
    ]);
    expect(csv).toBe('user,name,pass,start,expiry,use\r\na@contoso.com,A,x,s,e,once\r\n');
  });
});
