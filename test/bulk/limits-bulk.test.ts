import { describe, expect, it } from 'vitest';
import { TABLES, type RowStore } from '../../src/store/port.js';
import { IssueLimiter, type IssueLimits } from '../../src/tap/limits.js';
import { sqliteStores } from './fixtures.js';

const fresh = sqliteStores();

const NOW = new Date('2026-05-04T10:20:00.000Z');
const HOUR_END = new Date('2026-05-04T11:00:00.000Z');
const DAY_END = new Date('2026-05-05T00:00:00.000Z');
const NEXT_HOUR = new Date('2026-05-04T11:00:00.000Z'); // the first instant of the next window
const NEXT_DAY = new Date('2026-05-05T00:00:00.000Z');

const LIMITS: IssueLimits = { perIssuerPerHour: 10, perTargetPerDay: 2, tenantPerHour: 25 };

function limiter(limits: Partial<IssueLimits> = {}, store: RowStore = fresh()) {
  return { store, limiter: new IssueLimiter(store, { ...LIMITS, ...limits }) };
}

/** The stored count of one window row (0 when there is none). */
async function counted(store: RowStore, partition: string, key: string): Promise<number> {
  return (await store.get<{ count: number }>(TABLES.limits, partition, key))?.value.count ?? 0;
}

describe('IssueLimiter.remaining', () => {
  it("is the issuer's hourly allowance when it is the tighter one", async () => {
    const { limiter: l } = limiter();
    expect(await l.remaining('alice', NOW)).toStrictEqual({
      count: 10,
      hit: { limit: 'issuer-hour', max: 10, resetsAt: HOUR_END },
    });
  });

  it("is the tenant's hourly allowance once others have used it up", async () => {
    const { limiter: l } = limiter();
    expect(await l.takeIssuance('bob', 10, NOW)).toBeNull();
    expect(await l.takeIssuance('carol', 8, NOW)).toBeNull();
    expect(await l.remaining('alice', NOW)).toStrictEqual({
      count: 7,
      hit: { limit: 'tenant-hour', max: 25, resetsAt: HOUR_END },
    });
    expect(await l.remaining('bob', NOW)).toStrictEqual({
      count: 0,
      hit: { limit: 'issuer-hour', max: 10, resetsAt: HOUR_END },
    });
  });

  it('is Infinity with no hit when both hourly limits are off, whatever the target limit', async () => {
    const { limiter: l } = limiter({ perIssuerPerHour: 0, tenantPerHour: 0, perTargetPerDay: 1 });
    expect(await l.remaining('alice', NOW)).toStrictEqual({ count: Infinity, hit: null });
  });

  it('uses the one hourly limit that is on', async () => {
    const { limiter: tenantOnly } = limiter({ perIssuerPerHour: 0 });
    expect(await tenantOnly.remaining('alice', NOW)).toStrictEqual({
      count: 25,
      hit: { limit: 'tenant-hour', max: 25, resetsAt: HOUR_END },
    });
    const { limiter: issuerOnly } = limiter({ tenantPerHour: 0 });
    expect(await issuerOnly.remaining('alice', NOW)).toStrictEqual({
      count: 10,
      hit: { limit: 'issuer-hour', max: 10, resetsAt: HOUR_END },
    });
  });

  it('starts again in the next hour', async () => {
    const { limiter: l } = limiter();
    expect(await l.takeIssuance('alice', 10, NOW)).toBeNull();
    expect((await l.remaining('alice', NOW)).count).toBe(0);
    expect((await l.remaining('alice', NEXT_HOUR)).count).toBe(10);
  });
});

describe('IssueLimiter.takeIssuance', () => {
  it('counts the whole bulk against the issuer and the tenant', async () => {
    const { store, limiter: l } = limiter();
    expect(await l.takeIssuance('alice', 8, NOW)).toBeNull();
    expect(await counted(store, 'issuer|alice', '2026-05-04T10')).toBe(8);
    expect(await counted(store, 'tenant', '2026-05-04T10')).toBe(8);
    expect((await l.remaining('alice', NOW)).count).toBe(2);
  });

  it('refuses a bulk larger than what the issuer has left, counting nothing', async () => {
    const { store, limiter: l } = limiter();
    expect(await l.takeIssuance('alice', 8, NOW)).toBeNull();
    expect(await l.takeIssuance('alice', 3, NOW)).toStrictEqual({
      limit: 'issuer-hour',
      max: 10,
      resetsAt: HOUR_END,
    });
    expect(await counted(store, 'issuer|alice', '2026-05-04T10')).toBe(8);
    expect(await counted(store, 'tenant', '2026-05-04T10')).toBe(8);
    expect(await l.takeIssuance('alice', 2, NOW)).toBeNull();
  });

  it("gives back the issuer's share when the tenant window refuses", async () => {
    const { store, limiter: l } = limiter();
    expect(await l.takeIssuance('bob', 10, NOW)).toBeNull();
    expect(await l.takeIssuance('carol', 10, NOW)).toBeNull();
    expect(await l.takeIssuance('alice', 6, NOW)).toStrictEqual({
      limit: 'tenant-hour',
      max: 25,
      resetsAt: HOUR_END,
    });
    expect(await counted(store, 'issuer|alice', '2026-05-04T10')).toBe(0);
    expect(await counted(store, 'tenant', '2026-05-04T10')).toBe(20);
    expect(await l.takeIssuance('alice', 5, NOW)).toBeNull();
    expect(await counted(store, 'tenant', '2026-05-04T10')).toBe(25);
  });

  it('does not touch any target window (a bulk takes those per person)', async () => {
    const { store, limiter: l } = limiter();
    expect(await l.takeIssuance('alice', 3, NOW)).toBeNull();
    // The hourly windows are computed with an empty target id: a target window would land in 'target|'.
    const page = await store.list({ table: TABLES.limits, partition: 'target|' });
    expect(page.rows).toEqual([]);
  });

  it('takes nothing and refuses nothing when the hourly limits are off', async () => {
    const { store, limiter: l } = limiter({ perIssuerPerHour: 0, tenantPerHour: 0 });
    expect(await l.takeIssuance('alice', 1000, NOW)).toBeNull();
    expect(await counted(store, 'tenant', '2026-05-04T10')).toBe(0);
  });
});

describe('IssueLimiter target window', () => {
  it('takeTarget counts one pass a day per person and refuses the one over the max', async () => {
    const { limiter: l } = limiter();
    expect(await l.takeTarget('t1', NOW)).toBeNull();
    expect(await l.checkTarget('t1', NOW)).toBeNull();
    expect(await l.takeTarget('t1', NOW)).toBeNull();
    const hit = { limit: 'target-day', max: 2, resetsAt: DAY_END };
    expect(await l.checkTarget('t1', NOW)).toStrictEqual(hit);
    expect(await l.takeTarget('t1', NOW)).toStrictEqual(hit);
    expect(await l.checkTarget('t2', NOW)).toBeNull();
    expect(await l.checkTarget('t1', NEXT_DAY)).toBeNull();
    expect(await l.takeTarget('t1', NEXT_DAY)).toBeNull();
  });

  it('takeTarget leaves the hourly windows alone', async () => {
    const { store, limiter: l } = limiter();
    expect(await l.takeTarget('t1', NOW)).toBeNull();
    expect(await counted(store, 'target|t1', '2026-05-04')).toBe(1);
    expect(await counted(store, 'tenant', '2026-05-04T10')).toBe(0);
    expect((await l.remaining('alice', NOW)).count).toBe(10);
  });

  it('shares the daily count with single-pass take()', async () => {
    const { limiter: l } = limiter();
    expect(await l.take('alice', 't1', NOW)).toBeNull();
    expect(await l.takeTarget('t1', NOW)).toBeNull();
    expect(await l.check('alice', 't1', NOW)).toStrictEqual({
      limit: 'target-day',
      max: 2,
      resetsAt: DAY_END,
    });
  });

  it('never refuses when the per-person limit is off', async () => {
    const { limiter: l } = limiter({ perTargetPerDay: 0 });
    for (let n = 0; n < 5; n += 1) expect(await l.takeTarget('t1', NOW)).toBeNull();
    expect(await l.checkTarget('t1', NOW)).toBeNull();
  });
});
