// Bulk runs: validated once, claimed once, each person's create sent at most once unless Graph
// said 429 (it did not run it), and an unknown outcome never sent again.
import { describe, expect, it } from 'vitest';
import type { BulkItem } from '../../src/bulk/job.js';
import type { PassRow } from '../../src/bulk/results.js';
import { recoverInterrupted } from '../../src/bulk/recover.js';
import { claimBulk, runBulk, type BulkProgress } from '../../src/bulk/run.js';
import { validateBulk } from '../../src/bulk/validate.js';
import { TABLES } from '../../src/store/port.js';
import type { Person } from '../../src/tap/request.js';
import { coreWorld, PEOPLE, upnOf, type CoreWorld, type WorldOptions } from '../fakes/core.js';
import { failures } from '../fakes/graph.js';
import { codeOf, confirm, pending } from './steps.js';

const { alice, erin, tom, tess, gail, uma } = PEOPLE;

async function validated(w: CoreWorld, users: string[], requester: Person = alice) {
  const outcome = await validateBulk(w.bulkDeps, w.graphOf(requester), {
    requester,
    timeZone: 'UTC',
    utcOffsetMinutes: 0,
    conversationId: `a:chat-${requester.oid}`,
    source: { kind: 'command' },
    asks: users.map((user, i) => ({ line: i + 1, user })),
    rowErrors: [],
  });
  if (outcome.kind !== 'ready') throw new Error(codeOf(outcome));
  return outcome.job;
}

/** Validates, claims and runs a bulk for `users` as Alice; returns the finished job, its passes and items. */
async function run(w: CoreWorld, users: string[]) {
  const job = await validated(w, users);
  const claimed = await claimBulk(w.bulkDeps, job.id, alice);
  if (!claimed.ok) throw new Error(claimed.problem.code);
  const passes: PassRow[] = [];
  const progress: BulkProgress[] = [];
  const done = await runBulk(w.bulkDeps, w.graphOf(alice), claimed.row, passes, (p) => progress.push(p));
  const items = (await w.bulkDeps.bulk.chunks(done)).flatMap((c) => c.value.items);
  const item = (p: Person) => items.find((i) => i.target.id === p.oid) as BulkItem;
  return { job: done, passes, progress, items, item };
}

const world = (options: WorldOptions = {}) => coreWorld(options);

describe('validateBulk', () => {
  it('sorts every row into ready or one problem; stores only the ready ones; creates nothing', async () => {
    const w = world();
    const job = await validated(w, [
      upnOf(tom),
      upnOf(tess),
      w.tenant.user(gail.oid).userPrincipalName,
      upnOf(uma),
      'nobody@contoso.com',
      upnOf(tom).toUpperCase(),
      'not an address',
      // The requester's own row: refused as themselves (no pass for oneself), before their roles count.
      upnOf(alice),
    ]);
    expect(job.counts).toMatchObject({
      ready: 2,
      guest: 1,
      privileged: 1,
      notFound: 1,
      duplicate: 1,
      invalid: 2,
    });
    expect(job).toMatchObject({ state: 'pending', needsApproval: false, chunkCount: 1 });
    expect(w.tenant.createsSent()).toBe(0);
    expect((await w.audit('bulk.created')).length).toBe(1);
  });

  it('more than the approval size, counting what the issuer issued in the last hour, needs a second admin', async () => {
    const w = world({ bulk: { approvalAbove: 2, approversConversationId: '19:approvers@thread.tacv2' } });
    const single = await pending(w, alice, PEOPLE.mona);
    expect(codeOf(await confirm(w, single.id, alice))).toBe('issued');
    w.clock.advanceMinutes(30);
    const job = await validated(w, [upnOf(tom), upnOf(tess)]);
    expect(job.needsApproval).toBe(true);
    expect(job.notes.join(' ')).toMatch(/issued 1 pass in the last hour/);
  });
});

describe('claimBulk', () => {
  it('claimed once, only by its requester', async () => {
    const w = world();
    const job = await validated(w, [upnOf(tom), upnOf(tess)]);
    const notYours = await claimBulk(w.bulkDeps, job.id, erin);
    expect(!notYours.ok && notYours.problem.code).toBe('BULK_NOT_YOURS');
    const claims = await Promise.all([
      claimBulk(w.bulkDeps, job.id, alice),
      claimBulk(w.bulkDeps, job.id, alice),
    ]);
    expect(claims.map((c) => (c.ok ? 'ok' : c.problem.code)).sort()).toEqual(['BULK_STATE_CHANGED', 'ok']);
    // Counted once, by the click that won.
    expect(await w.bulkDeps.limiter.issuedRecently(alice.oid, w.clock.now())).toBe(2);
  });

  it('expired: the late click records it and nothing runs', async () => {
    const w = world();
    const job = await validated(w, [upnOf(tom)]);
    w.clock.advanceMinutes(11);
    const late = await claimBulk(w.bulkDeps, job.id, alice);
    expect(!late.ok && [late.problem.code, late.job?.state]).toEqual(['REQUEST_EXPIRED', 'expired']);
  });

  it('no room left in the hourly limits at the click: refused, the bulk waits, nothing is counted', async () => {
    const w = world({ limits: { perIssuerPerHour: 0, perTargetPerDay: 0, tenantPerHour: 2 } });
    const job = await validated(w, [upnOf(tom), upnOf(tess)]);
    const single = await pending(w, erin, PEOPLE.mona);
    expect(codeOf(await confirm(w, single.id, erin))).toBe('issued');
    const claimed = await claimBulk(w.bulkDeps, job.id, alice);
    expect(!claimed.ok && [claimed.problem.code, claimed.job?.state]).toEqual([
      'LIMIT_TENANT_HOUR',
      'pending',
    ]);
    expect(await w.bulkDeps.limiter.remaining(alice.oid, w.clock.now())).toMatchObject({ count: 1 });
  });
});

describe('runBulk', () => {
  it('issues every ready row in one $batch as the clicker; passes go to the caller only', async () => {
    const w = world();
    const { job, passes, item } = await run(w, [upnOf(tom), upnOf(tess)]);
    expect(job.state).toBe('done');
    expect(job.result).toMatchObject({
      issued: 2,
      failed: 0,
      unknown: 0,
      notStarted: 0,
      delivery: 'waiting',
    });
    expect(passes.map((p) => p.pass).sort()).toEqual(
      [w.tenant.passOf(tom.oid)!.temporaryAccessPass, w.tenant.passOf(tess.oid)!.temporaryAccessPass].sort(),
    );
    expect(item(tom)).toMatchObject({ state: 'issued', posts: 1, methodId: w.tenant.passOf(tom.oid)!.id });
    expect(w.tenant.callsOf('createTaps')).toEqual([expect.objectContaining({ caller: alice.oid })]);
    for (const p of passes) expect(w.data.dump()).not.toContain(p.pass);
    expect((await w.audit('tap.issued')).length).toBe(2);
    expect(await w.bulkDeps.bulk.issuingIds()).toEqual([]);
  });

  it('429 puts a row back to ready; it is sent again after Retry-After and issued', async () => {
    const w = world();
    w.tenant.failItem('createTaps', tom.oid, failures.throttled(0.05));
    const { job, item } = await run(w, [upnOf(tom), upnOf(tess)]);
    expect(job.result).toMatchObject({ issued: 2, failed: 0, unknown: 0 });
    expect(item(tom)).toMatchObject({ state: 'issued', posts: 2 });
    expect(item(tess)).toMatchObject({ state: 'issued', posts: 1 });
    expect(w.tenant.createsSent()).toBe(3);
  });

  it('the whole $batch failing with 503 → every row unknown, never sent again (even though Graph created them)', async () => {
    const w = world();
    w.tenant.fail('createTaps', failures.unavailable(true));
    const { job, passes, item } = await run(w, [upnOf(tom), upnOf(tess)]);
    expect(job.result).toMatchObject({ issued: 0, unknown: 2, delivery: 'none' });
    expect(item(tom)).toMatchObject({ state: 'unknown', posts: 1, code: 'TAP_OUTCOME_UNKNOWN' });
    expect(passes).toEqual([]);
    expect(w.tenant.createsSent()).toBe(2);
    expect((await w.audit('tap.outcome_unknown')).length).toBe(2);
  });

  it('one item Graph did not answer is unknown; a 403 item fails; the rest are issued', async () => {
    const w = world();
    w.tenant.addUser({ id: 'oid-ted', userPrincipalName: 'ted@contoso.com' });
    w.tenant.failItem('createTaps', tom.oid, failures.missingItem(true));
    w.tenant.failItem('createTaps', tess.oid, failures.forbidden());
    const { job, item } = await run(w, [upnOf(tom), upnOf(tess), 'ted@contoso.com']);
    expect(job.result).toMatchObject({ issued: 1, failed: 1, unknown: 1 });
    expect(item(tom).state).toBe('unknown');
    expect(item(tess)).toMatchObject({ state: 'failed', code: 'TAP_ROLE_MISSING' });
    expect(w.tenant.createsSent()).toBe(3);
  });

  it('rows are re-checked before their first create: a person privileged since validation is not sent', async () => {
    const w = world();
    const job = await validated(w, [upnOf(tom), upnOf(tess)]);
    w.tenant.user(tess.oid).heldElsewhere = [
      { roleTemplateId: 'custom-role', assignment: 'eligible', scope: '/administrativeUnits/au-1' },
    ];
    const claimed = await claimBulk(w.bulkDeps, job.id, alice);
    if (!claimed.ok) throw new Error(claimed.problem.code);
    const passes: PassRow[] = [];
    const done = await runBulk(w.bulkDeps, w.graphOf(alice), claimed.row, passes, () => {});
    expect(done.result).toMatchObject({ issued: 1, failed: 1 });
    expect(w.tenant.callsOf('createTaps')[0]?.args[0]).toEqual([
      expect.objectContaining({ userId: tom.oid }),
    ]);
  });

  it('an audit trail that cannot be written does not stop passes already created; the errors are reported', async () => {
    const w = world();
    const job = await validated(w, [upnOf(tom), upnOf(tess)]);
    const claimed = await claimBulk(w.bulkDeps, job.id, alice);
    if (!claimed.ok) throw new Error(claimed.problem.code);
    w.data.failNextWrites(2, { table: TABLES.audit });
    const passes: PassRow[] = [];
    const done = await runBulk(w.bulkDeps, w.graphOf(alice), claimed.row, passes, () => {});
    expect(done.result?.issued).toBe(2);
    expect(passes).toHaveLength(2);
    expect(w.errors.map((e) => e.what)).toEqual(['audit.tap.issued', 'audit.tap.issued']);
  });

  it('a create batch that breaks (not a Graph answer) leaves its rows posting: reported unknown, never re-sent', async () => {
    const w = world();
    w.tenant.beforeNext('createTaps', () => {
      throw new Error('socket hang up inside the SDK');
    });
    const { job, item } = await run(w, [upnOf(tom), upnOf(tess)]);
    expect(job).toMatchObject({ state: 'done', result: { issued: 0, unknown: 2 } });
    expect(item(tom)).toMatchObject({ state: 'posting', posts: 1 });
    expect(w.errors.map((e) => e.what)).toEqual(['bulk.chunk']);
    expect(w.tenant.createsSent()).toBe(2);
  });

  it('41 people: three chunks, concurrency 2, every create sent once', async () => {
    const w = world({ bulk: { approvalAbove: 100 } });
    const upns = Array.from({ length: 41 }, (_, i) => {
      w.tenant.addUser({ id: `oid-p${i}`, userPrincipalName: `p${i}@contoso.com` });
      return `p${i}@contoso.com`;
    });
    const { job, passes, progress } = await run(w, upns);
    expect(job.chunkCount).toBe(3);
    expect(job.result?.issued).toBe(41);
    expect(passes).toHaveLength(41);
    expect(w.tenant.createsSent()).toBe(41);
    expect(progress.at(-1)).toMatchObject({ total: 41, issued: 41 });
  });
});

describe('recoverInterrupted', () => {
  it('a bulk whose instance died mid-run is closed as interrupted, and nothing is sent again', async () => {
    const w = world();
    const job = await validated(w, [upnOf(tom), upnOf(tess)]);
    const claimed = await claimBulk(w.bulkDeps, job.id, alice);
    if (!claimed.ok) throw new Error(claimed.problem.code);
    w.clock.advanceSeconds(30);
    expect(await recoverInterrupted(w.bulkDeps)).toEqual([]);
    w.clock.advanceSeconds(31);
    const [closed] = await recoverInterrupted(w.bulkDeps);
    expect(closed).toMatchObject({ id: job.id, state: 'interrupted', result: { notStarted: 2 } });
    expect(await recoverInterrupted(w.bulkDeps)).toEqual([]);
    expect(w.tenant.createsSent()).toBe(0);
  });

  // claimBulk writes the claim and the '_issuing' index that recovery reads in one unit of work: an
  // instance that fails (or dies) writing them leaves the bulk as it was, startable again, never
  // 'issuing' for ever unrecovered.
  it('a bulk whose claim could not be written whole is not claimed: it can be started again', async () => {
    const w = world();
    const job = await validated(w, [upnOf(tom), upnOf(tess)]);
    w.data.failNextWrites(1, { table: TABLES.bulk, partition: '_issuing' });
    await expect(claimBulk(w.bulkDeps, job.id, alice)).rejects.toThrow(/injected/);
    expect((await w.bulkDeps.bulk.get(job.id))?.value.state).toBe(job.state);
    expect(await w.bulkDeps.bulk.issuingIds()).toEqual([]);
    w.clock.advanceMinutes(5);
    expect(await recoverInterrupted(w.bulkDeps)).toEqual([]);
    const claimed = await claimBulk(w.bulkDeps, job.id, alice);
    expect(claimed.ok).toBe(true);
    expect(await w.bulkDeps.bulk.issuingIds()).toEqual([job.id]);
  });
});
