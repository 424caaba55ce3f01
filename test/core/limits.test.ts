// TapDesk's own brakes: per issuer per hour, per person per day, per tenant per hour.
import { describe, expect, it } from 'vitest';
import { IssueLimiter } from '../../src/tap/limits.js';
import { TABLES } from '../../src/store/port.js';
import { coreWorld, PEOPLE, upnOf } from '../fakes/core.js';
import { MemoryRowStore } from '../fakes/memory-store.js';
import { codeOf, confirm, issued, pending, prepare } from './steps.js';

const { alice, erin, pat, tom, tess, uma } = PEOPLE;
const at = (iso: string) => new Date(iso);

describe('issue limits at prepare and confirm', () => {
  it('per issuer per hour: refused until the next clock hour', async () => {
    const w = coreWorld({ limits: { perIssuerPerHour: 1, perTargetPerDay: 0, tenantPerHour: 0 } });
    await issued(w, alice, tom);
    expect(codeOf(await prepare(w, alice, upnOf(tess)))).toBe('LIMIT_ISSUER_HOUR');
    // Another admin is not held by Alice's count.
    expect(codeOf(await prepare(w, erin, upnOf(tess)))).toBe('confirm');
    w.clock.set('2026-05-04T11:00:00.000Z');
    expect(codeOf(await prepare(w, alice, upnOf(tess)))).toBe('confirm');
  });

  it('per person per day, whoever issues', async () => {
    const w = coreWorld({ limits: { perIssuerPerHour: 0, perTargetPerDay: 1, tenantPerHour: 0 } });
    await issued(w, alice, tom);
    expect(codeOf(await prepare(w, erin, upnOf(tom)))).toBe('LIMIT_TARGET_DAY');
    w.clock.set('2026-05-05T00:00:00.000Z');
    expect(codeOf(await prepare(w, erin, upnOf(tom)))).toBe('confirm');
  });

  it('per tenant per hour, across admins', async () => {
    const w = coreWorld({ limits: { perIssuerPerHour: 0, perTargetPerDay: 0, tenantPerHour: 2 } });
    await issued(w, alice, tom);
    await issued(w, erin, tess);
    // A privileged person is refused before the limits are read.
    expect(codeOf(await prepare(w, pat, upnOf(uma)))).toBe('TAP_TARGET_PRIVILEGED');
    w.tenant.addUser({ id: 'oid-ted', displayName: 'Ted', userPrincipalName: 'ted@contoso.com' });
    expect(codeOf(await prepare(w, pat, 'ted@contoso.com'))).toBe('LIMIT_TENANT_HOUR');
  });

  it('two cards prepared within the limit: the second Confirm is refused, ends failed, creates nothing', async () => {
    const w = coreWorld({ limits: { perIssuerPerHour: 1, perTargetPerDay: 0, tenantPerHour: 0 } });
    const first = await pending(w, alice, tom);
    const second = await pending(w, alice, tess);
    expect(codeOf(await confirm(w, first.id, alice))).toBe('issued');
    const refused = await confirm(w, second.id, alice);
    expect(codeOf(refused)).toBe('LIMIT_ISSUER_HOUR');
    expect(refused.kind === 'problem' && refused.request?.state).toBe('failed');
    expect(w.tenant.createsSent()).toBe(1);
    expect((await w.audit('tap.failed')).map((e) => e.code)).toEqual(['LIMIT_ISSUER_HOUR']);
  });

  it('a double click counts once', async () => {
    const w = coreWorld({ limits: { perIssuerPerHour: 2, perTargetPerDay: 0, tenantPerHour: 0 } });
    const request = await pending(w, alice, tom);
    await Promise.all([confirm(w, request.id, alice), confirm(w, request.id, alice)]);
    expect(await w.deps.limiter.issuedRecently(alice.oid, w.clock.now())).toBe(1);
    expect(codeOf(await prepare(w, alice, upnOf(tess)))).toBe('confirm');
  });
});

describe('IssueLimiter', () => {
  const limiter = (limits: ConstructorParameters<typeof IssueLimiter>[1]) => {
    const store = new MemoryRowStore();
    return { store, limiter: new IssueLimiter(store, limits) };
  };

  it('a refusal gives back what it took in the windows before the full one', async () => {
    const { limiter: l, store } = limiter({ perIssuerPerHour: 5, perTargetPerDay: 1, tenantPerHour: 5 });
    const now = at('2026-05-04T10:15:00.000Z');
    expect(await l.take(alice.oid, tom.oid, now)).toBeNull();
    const hit = await l.take(alice.oid, tom.oid, now);
    expect(hit).toMatchObject({ limit: 'target-day', max: 1, resetsAt: at('2026-05-05T00:00:00.000Z') });
    // The issuer's hour was counted and given back: one pass, not two.
    expect(await l.remaining(alice.oid, now)).toMatchObject({ count: 4 });
    expect(await l.issuedRecently(alice.oid, now)).toBe(1);
    expect(store.data.rowCount(TABLES.limits)).toBe(4);
  });

  it('concurrent takes never pass the max', async () => {
    const { limiter: l } = limiter({ perIssuerPerHour: 0, perTargetPerDay: 0, tenantPerHour: 3 });
    const now = at('2026-05-04T10:15:00.000Z');
    const hits = await Promise.all(Array.from({ length: 8 }, (_, i) => l.take(`oid-${i}`, `t-${i}`, now)));
    expect(hits.filter((h) => h === null)).toHaveLength(3);
  });

  it('issuedRecently counts this clock hour and the one before, and nothing older', async () => {
    const { limiter: l } = limiter({ perIssuerPerHour: 0, perTargetPerDay: 0, tenantPerHour: 0 });
    await l.take(alice.oid, tom.oid, at('2026-05-04T09:59:00.000Z'));
    await l.take(alice.oid, tess.oid, at('2026-05-04T10:01:00.000Z'));
    expect(await l.issuedRecently(alice.oid, at('2026-05-04T10:30:00.000Z'))).toBe(2);
    expect(await l.issuedRecently(alice.oid, at('2026-05-04T11:30:00.000Z'))).toBe(1);
    expect(await l.issuedRecently(alice.oid, at('2026-05-04T12:00:00.000Z'))).toBe(0);
    expect(await l.issuedRecently(erin.oid, at('2026-05-04T10:30:00.000Z'))).toBe(0);
  });

  it('takeIssuance for a bulk: all or nothing; an approved bulk skips the issuer limit, not the tenant one', async () => {
    const { limiter: l } = limiter({ perIssuerPerHour: 3, perTargetPerDay: 0, tenantPerHour: 10 });
    const now = at('2026-05-04T10:15:00.000Z');
    expect(await l.takeIssuance(alice.oid, 4, now)).toMatchObject({ limit: 'issuer-hour' });
    expect(await l.remaining(alice.oid, now)).toMatchObject({ count: 3 });
    expect(await l.takeIssuance(alice.oid, 8, now, { approved: true })).toBeNull();
    expect(await l.takeIssuance(alice.oid, 3, now, { approved: true })).toMatchObject({
      limit: 'tenant-hour',
    });
    expect(await l.issuedRecently(alice.oid, now)).toBe(8);
  });
});

describe('the limit charge rides with the claim', () => {
  it('eight confirms of different cards at once by one admin: the hourly limit lets exactly its count through', async () => {
    const w = coreWorld({ limits: { perIssuerPerHour: 3, perTargetPerDay: 0, tenantPerHour: 0 } });
    const people = Array.from({ length: 8 }, (_, i) => {
      const person = { oid: `oid-new${i}`, name: `New ${i}` };
      w.tenant.addUser({
        id: person.oid,
        displayName: person.name,
        userPrincipalName: `new${i}@contoso.com`,
      });
      return person;
    });
    const cards = [];
    for (const person of people) cards.push(await pending(w, alice, person));
    const outcomes = await Promise.all(cards.map((card) => confirm(w, card.id, alice)));
    const codes = outcomes.map(codeOf);
    expect(codes.filter((c) => c === 'issued')).toHaveLength(3);
    expect(codes.filter((c) => c === 'LIMIT_ISSUER_HOUR')).toHaveLength(5);
    expect(w.tenant.createsSent()).toBe(3);
    // The counter says what was issued: the refused clicks counted nothing.
    const counter = await w.store.get<{ count: number }>(
      TABLES.limits,
      `issuer|${alice.oid}`,
      '2026-05-04T10',
    );
    expect(counter?.value.count).toBe(3);
  });
});
