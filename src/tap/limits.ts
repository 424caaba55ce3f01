import { ConflictError, TABLES, type RowStore } from '../store/port.js';
import type { UnitOfWork } from '../store/unit.js';

/** TapDesk's own brakes on issuance, on top of Entra's rules. Zero switches a limit off. */
export interface IssueLimits {
  perIssuerPerHour: number;
  perTargetPerDay: number;
  tenantPerHour: number;
}

export type LimitName = 'issuer-hour' | 'target-day' | 'tenant-hour';

/** The issuer's own count per clock hour, kept whatever the limits say: bulk approval reads it. */
const RECENT = 'issuer-recent';

export interface LimitHit {
  limit: LimitName;
  max: number;
  /** When the window that is full ends. */
  resetsAt: Date;
}

/** What `chargeIn` added to a unit: each window one pass counts in, and the slot of its counter write. */
export interface Charge {
  windows: readonly Window[];
  slots: readonly number[];
  /** How many passes it counts in each window. */
  count: number;
}

interface Window {
  limit: LimitName;
  max: number;
  partition: string;
  key: string;
  end: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Fixed windows (the clock hour, the UTC day): simple to explain in a refusal ("resets at 11:00")
// and one row per window, so checking costs one read per limit.
function windowsFor(limits: IssueLimits, issuerOid: string, targetId: string, now: Date): Window[] {
  const hourStart = Math.floor(now.getTime() / HOUR) * HOUR;
  const dayStart = Math.floor(now.getTime() / DAY) * DAY;
  const hourKey = new Date(hourStart).toISOString().slice(0, 13);
  const dayKey = new Date(dayStart).toISOString().slice(0, 10);
  const all: Window[] = [
    {
      limit: 'issuer-hour',
      max: limits.perIssuerPerHour,
      partition: `issuer|${issuerOid}`,
      key: hourKey,
      end: new Date(hourStart + HOUR),
    },
    {
      limit: 'target-day',
      max: limits.perTargetPerDay,
      partition: `target|${targetId}`,
      key: dayKey,
      end: new Date(dayStart + DAY),
    },
    {
      limit: 'tenant-hour',
      max: limits.tenantPerHour,
      partition: 'tenant',
      key: hourKey,
      end: new Date(hourStart + HOUR),
    },
  ];
  return all.filter((w) => w.max > 0);
}

/** The issuer's count for the clock hour of `at`; it never refuses (its max is unbounded). */
function recentWindow(issuerOid: string, at: Date): Window {
  const hourStart = Math.floor(at.getTime() / HOUR) * HOUR;
  return {
    limit: RECENT as LimitName,
    max: Infinity,
    partition: `recent|${issuerOid}`,
    key: new Date(hourStart).toISOString().slice(0, 13),
    end: new Date(hourStart + HOUR),
  };
}

/**
 * Counts issuances in the row store, so the limits hold across instances. `check` only reads (for a
 * friendly early refusal); `take` counts one issuance in every window with conditional writes and
 * refuses, counting nothing, if any window is full.
 */
export class IssueLimiter {
  constructor(
    private readonly store: RowStore,
    private readonly limits: IssueLimits,
  ) {}

  async check(issuerOid: string, targetId: string, now: Date): Promise<LimitHit | null> {
    for (const w of windowsFor(this.limits, issuerOid, targetId, now)) {
      const row = await this.store.get<{ count: number }>(TABLES.limits, w.partition, w.key);
      if ((row?.value.count ?? 0) >= w.max) return { limit: w.limit, max: w.max, resetsAt: w.end };
    }
    return null;
  }

  /** The target's daily window only; a bulk checks each person with this and the hourly ones once. */
  async checkTarget(targetId: string, now: Date): Promise<LimitHit | null> {
    const w = windowsFor(this.limits, '', targetId, now).find((x) => x.limit === 'target-day');
    if (!w) return null;
    const row = await this.store.get<{ count: number }>(TABLES.limits, w.partition, w.key);
    return (row?.value.count ?? 0) >= w.max ? { limit: w.limit, max: w.max, resetsAt: w.end } : null;
  }

  async take(issuerOid: string, targetId: string, now: Date): Promise<LimitHit | null> {
    return this.takeAll(this.passWindows(issuerOid, targetId, now), 1);
  }

  /**
   * `take` as part of a unit of work: reads every window one pass counts in and adds its counter
   * write (etag-checked, or a create) to `unit`, so the charge commits with the claim; a racing
   * charge makes that commit conflict on the counter. Returns the window that is full instead,
   * adding nothing, if one is.
   */
  async chargeIn(
    unit: UnitOfWork,
    issuerOid: string,
    targetId: string,
    now: Date,
  ): Promise<Charge | LimitHit> {
    return this.chargeWindowsIn(unit, this.passWindows(issuerOid, targetId, now), 1);
  }

  /** `takeIssuance` as part of a unit of work (see chargeIn): `count` passes of a bulk, all or nothing. */
  async chargeIssuanceIn(
    unit: UnitOfWork,
    issuerOid: string,
    count: number,
    now: Date,
    options: { approved?: boolean } = {},
  ): Promise<Charge | LimitHit> {
    const windows = [...this.issuanceWindows(issuerOid, now, options), recentWindow(issuerOid, now)];
    return this.chargeWindowsIn(unit, windows, count);
  }

  /**
   * Finishes a charge whose unit landed only in part (Azure Tables: a counter lost to a racing charge
   * while the claim was written): counts the windows whose write is not in `written` one by one. On a
   * full window it gives back what this charge counted and returns that window.
   */
  async settle(charge: Charge, written: readonly number[]): Promise<LimitHit | null> {
    const counted = charge.windows.filter((_, i) => written.includes(charge.slots[i]!));
    for (const [i, w] of charge.windows.entries()) {
      if (written.includes(charge.slots[i]!)) continue;
      if (!(await this.increment(w, charge.count))) {
        for (const back of counted) await this.increment(back, -charge.count);
        return { limit: w.limit, max: w.max, resetsAt: w.end };
      }
      counted.push(w);
    }
    return null;
  }

  /**
   * Gives back what `take` counted at `takenAt` when no pass came of it (the audit write failed, or
   * Entra refused this approver and the request waits for another). Best effort: a failed give-back
   * leaves the allowance lower than it should be, never higher.
   */
  async giveBack(issuerOid: string, targetId: string, takenAt: Date): Promise<void> {
    for (const w of this.passWindows(issuerOid, targetId, takenAt)) await this.increment(w, -1);
  }

  /**
   * Passes the issuer issued in the last hour at least: this clock hour's count plus the one
   * before, so no split of a wave across 60 minutes escapes it (it may count up to two hours).
   */
  async issuedRecently(issuerOid: string, now: Date): Promise<number> {
    let total = 0;
    for (const at of [now, new Date(now.getTime() - HOUR)]) {
      const w = recentWindow(issuerOid, at);
      total += (await this.store.get<{ count: number }>(TABLES.limits, w.partition, w.key))?.value.count ?? 0;
    }
    return total;
  }

  /**
   * What the issuer may still issue this hour: the smaller of their own and the tenant's remaining
   * allowance (Infinity when both limits are off). A bulk counts every pass against both.
   */
  async remaining(
    issuerOid: string,
    now: Date,
    options: { approved?: boolean } = {},
  ): Promise<{ count: number; hit: LimitHit | null }> {
    let best: { count: number; hit: LimitHit | null } = { count: Infinity, hit: null };
    for (const w of this.issuanceWindows(issuerOid, now, options)) {
      const row = await this.store.get<{ count: number }>(TABLES.limits, w.partition, w.key);
      const left = Math.max(0, w.max - (row?.value.count ?? 0));
      if (left < best.count) best = { count: left, hit: { limit: w.limit, max: w.max, resetsAt: w.end } };
    }
    return best;
  }

  /**
   * Counts `count` passes against the issuer's and the tenant's hourly windows, all or nothing. An
   * approved bulk skips the issuer's own limit (a second admin vouched for it) but not the tenant's.
   */
  async takeIssuance(
    issuerOid: string,
    count: number,
    now: Date,
    options: { approved?: boolean } = {},
  ): Promise<LimitHit | null> {
    return this.takeAll(
      [...this.issuanceWindows(issuerOid, now, options), recentWindow(issuerOid, now)],
      count,
    );
  }

  /** Counts one pass against a target's daily window only (a bulk took the hourly ones already). */
  async takeTarget(targetId: string, now: Date): Promise<LimitHit | null> {
    return this.takeAll(
      windowsFor(this.limits, '', targetId, now).filter((w) => w.limit === 'target-day'),
      1,
    );
  }

  /** Every window one pass counts in: the limits in force and the issuer's recent count. */
  private passWindows(issuerOid: string, targetId: string, at: Date): Window[] {
    return [...windowsFor(this.limits, issuerOid, targetId, at), recentWindow(issuerOid, at)];
  }

  private issuanceWindows(issuerOid: string, now: Date, options: { approved?: boolean }): Window[] {
    return windowsFor(this.limits, issuerOid, '', now).filter(
      (w) => w.limit !== 'target-day' && !(options.approved && w.limit === 'issuer-hour'),
    );
  }

  private async chargeWindowsIn(
    unit: UnitOfWork,
    windows: Window[],
    count: number,
  ): Promise<Charge | LimitHit> {
    const rows = await Promise.all(
      windows.map((w) => this.store.get<{ count: number }>(TABLES.limits, w.partition, w.key)),
    );
    const full = windows.find((w, i) => (rows[i]?.value.count ?? 0) + count > w.max);
    if (full) return { limit: full.limit, max: full.max, resetsAt: full.end };
    const slots = windows.map((w, i) => {
      const row = rows[i];
      const value = { count: (row?.value.count ?? 0) + count, windowEnd: w.end.toISOString() };
      const where = { table: TABLES.limits, partition: w.partition, key: w.key, value };
      return unit.add(row ? { op: 'replace', ...where, etag: row.etag } : { op: 'create', ...where });
    });
    return { windows, slots, count };
  }

  private async takeAll(windows: Window[], count: number): Promise<LimitHit | null> {
    const taken: Window[] = [];
    for (const w of windows) {
      if (!(await this.increment(w, count))) {
        // Give back what this attempt took, so a refusal never uses up anyone's allowance.
        for (const back of taken) await this.increment(back, -count);
        return { limit: w.limit, max: w.max, resetsAt: w.end };
      }
      taken.push(w);
    }
    return null;
  }

  /** Moves a window's count by delta with a conditional write; false when +delta would pass the max. */
  private async increment(w: Window, delta: number): Promise<boolean> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const row = await this.store.get<{ count: number }>(TABLES.limits, w.partition, w.key);
      const count = row?.value.count ?? 0;
      if (delta > 0 && count + delta > w.max) return false;
      const next = { count: Math.max(0, count + delta), windowEnd: w.end.toISOString() };
      try {
        if (row) await this.store.replace(TABLES.limits, w.partition, w.key, next, row.etag);
        else await this.store.create(TABLES.limits, w.partition, w.key, next);
        return true;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new Error(`limit counter ${w.partition}/${w.key} stayed contended for 50 attempts`);
  }
}
