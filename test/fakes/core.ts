// Builders of the core's dependencies over the fakes: CoreDeps (single passes, approvals, revoke) and
// BulkDeps over one in-memory store, a settable clock and a scripted tenant, with background errors
// collected for assertions instead of logged.
import { AuditLog } from '../../src/audit/log.js';
import type { AuditEvent, AuditEventType } from '../../src/audit/event.js';
import type { BulkDeps } from '../../src/bulk/deps.js';
import { BulkRepository } from '../../src/bulk/repository.js';
import { NoticePlanner } from '../../src/notices/planner.js';
import { NoticeQueue } from '../../src/notices/queue.js';
import type { Clock } from '../../src/clock.js';
import type { TapGraph } from '../../src/graph/port.js';
import type { RowStore } from '../../src/store/port.js';
import type { ApprovalSettings, CoreDeps } from '../../src/tap/core-deps.js';
import { IssueLimiter, type IssueLimits } from '../../src/tap/limits.js';
import { OpenApprovals } from '../../src/tap/open-approvals.js';
import { OutstandingPasses } from '../../src/tap/outstanding-passes.js';
import type { Person } from '../../src/tap/request.js';
import { RequestRepository } from '../../src/tap/request-repository.js';
import { FakeClock } from './clock.js';
import { FakeTenant, ROLES, type UserSpec } from './graph.js';
import { MemoryRowStore } from './memory-store.js';

export const NO_LIMITS: IssueLimits = { perIssuerPerHour: 0, perTargetPerDay: 0, tenantPerHour: 0 };

/** What best-effort writes reported through onBackgroundError, in order. */
export function backgroundErrors() {
  const errors: { what: string; error: unknown }[] = [];
  return { errors, onBackgroundError: (what: string, error: unknown) => errors.push({ what, error }) };
}

export interface DepsParts {
  store: RowStore;
  /** Where the audit trail goes; the main store unless given (a test can break one and not the other). */
  auditStore?: RowStore;
  clock: Clock;
  onBackgroundError: (what: string, error: unknown) => void;
  limits?: IssueLimits;
}

/** The bulk core's deps over `parts`: no hourly limits, small chunks of work, approvals off. */
export function bulkDepsOver(parts: DepsParts, overrides: Partial<BulkDeps> = {}): BulkDeps {
  return {
    bulk: new BulkRepository(parts.store),
    audit: new AuditLog(parts.auditStore ?? parts.store, () => parts.clock.now()),
    onBackgroundError: parts.onBackgroundError,
    clock: parts.clock,
    limiter: new IssueLimiter(parts.store, parts.limits ?? NO_LIMITS),
    maxLifetimeMinutes: 480,
    requestTtlMinutes: 10,
    approvalAbove: 25,
    approversConversationId: undefined,
    approvalTtlMinutes: 60,
    concurrency: 2,
    instanceId: 'test',
    leaseSeconds: 60,
    ...overrides,
  };
}

export const APPROVERS_CHANNEL = '19:approvers@thread.tacv2';

/** The single-pass core's deps over `parts`: no limits, approvals on in APPROVERS_CHANNEL. */
export function coreDepsOver(
  parts: DepsParts,
  overrides: Partial<Omit<CoreDeps, 'approvals'>> & { approvals?: Partial<ApprovalSettings> } = {},
): CoreDeps {
  const requests = overrides.requests ?? new RequestRepository(parts.store);
  const { approvals, ...rest } = overrides;
  return {
    store: parts.store,
    requests,
    outstanding: new OutstandingPasses(parts.store),
    notices: new NoticePlanner(new NoticeQueue(parts.store), parts.clock, 15, parts.onBackgroundError),
    audit: new AuditLog(parts.auditStore ?? parts.store, () => parts.clock.now()),
    onBackgroundError: parts.onBackgroundError,
    clock: parts.clock,
    requestTtlMinutes: 10,
    limiter: new IssueLimiter(parts.store, parts.limits ?? NO_LIMITS),
    maxLifetimeMinutes: 480,
    openApprovals: new OpenApprovals(parts.store, requests),
    ...rest,
    approvals: {
      requesterGroupId: 'group-requesters',
      approversConversationId: APPROVERS_CHANNEL,
      ttlMinutes: 60,
      deliverTo: 'approver',
      ...approvals,
    },
  };
}

/** The people of the standard tenant, by role in the story. */
export const PEOPLE = {
  /** Authentication Administrator: issues passes for people without admin roles. */
  alice: { oid: 'oid-alice', name: 'Alice Admin' },
  /** Another Authentication Administrator: a second pair of eyes. */
  erin: { oid: 'oid-erin', name: 'Erin Approver' },
  /** Privileged Authentication Administrator: may act for admins too. */
  pat: { oid: 'oid-pat', name: 'Pat Privileged' },
  /** Helpdesk Administrator: holds a role, but not one that issues passes. */
  hank: { oid: 'oid-hank', name: 'Hank Helpdesk' },
  /** A manager without roles; Tom's and Tess's manager. */
  mona: { oid: 'oid-mona', name: 'Mona Manager' },
  /** Employees without roles. */
  tom: { oid: 'oid-tom', name: 'Tom Target' },
  tess: { oid: 'oid-tess', name: 'Tess Target' },
  /** An external guest. */
  gail: { oid: 'oid-gail', name: 'Gail Guest' },
  /** A User Administrator: a privileged target. */
  uma: { oid: 'oid-uma', name: 'Uma UserAdmin' },
} satisfies Record<string, Person>;

export const upnOf = (p: Person) => `${p.oid.replace(/^oid-/, '')}@contoso.com`;

/** Fills `tenant` with PEOPLE and their roles, managers and groups. */
export function seedTenant(tenant: FakeTenant): FakeTenant {
  const add = (p: Person, extra: Partial<UserSpec>) =>
    tenant.addUser({ id: p.oid, displayName: p.name, userPrincipalName: upnOf(p), ...extra });
  add(PEOPLE.alice, { roles: [ROLES.authenticationAdministrator] });
  add(PEOPLE.erin, { roles: [ROLES.authenticationAdministrator] });
  add(PEOPLE.pat, { roles: [ROLES.privilegedAuthenticationAdministrator, ROLES.globalReader] });
  add(PEOPLE.hank, { roles: [ROLES.helpdeskAdministrator] });
  add(PEOPLE.mona, { groups: ['group-requesters'] });
  add(PEOPLE.tom, { managerId: PEOPLE.mona.oid, department: 'Sales' });
  add(PEOPLE.tess, { managerId: PEOPLE.mona.oid, department: 'Sales' });
  add(PEOPLE.gail, { userType: 'Guest', userPrincipalName: 'gail_fabrikam.com#EXT#@contoso.com' });
  add(PEOPLE.uma, { roles: [ROLES.userAdministrator] });
  return tenant;
}

export interface WorldOptions {
  start?: Date | string;
  limits?: IssueLimits;
  /** Leave out the app-only role reader (its permission is not configured). */
  withoutRoleReader?: boolean;
  core?: Parameters<typeof coreDepsOver>[1];
  bulk?: Partial<BulkDeps>;
}

/**
 * One tenant, one store, one clock, and both cores' deps over them. `graphOf(person)` is Graph as
 * that person signed in; `as(person)` the same as an acquireGraph callback.
 */
export function coreWorld(options: WorldOptions = {}) {
  const clock = new FakeClock(options.start ?? '2026-05-04T10:00:00.000Z');
  const store = new MemoryRowStore();
  const tenant = seedTenant(new FakeTenant(clock));
  const { errors, onBackgroundError } = backgroundErrors();
  const parts: DepsParts = { store, clock, onBackgroundError, limits: options.limits };
  const roleReader = options.withoutRoleReader ? undefined : tenant.roleReader;
  const deps = coreDepsOver(parts, { roleReader, ...options.core });
  const bulkDeps = bulkDepsOver(parts, { roleReader, ...options.bulk });
  const graphOf = (p: Person): TapGraph => tenant.asUser(p.oid);
  const as = (p: Person) => async () => graphOf(p);
  /** The audit trail, oldest first (events within one millisecond in any order), of one type if given. */
  const audit = async (type?: AuditEventType): Promise<AuditEvent[]> => {
    const events = (await deps.audit.recent(1000)).reverse();
    return type ? events.filter((e) => e.type === type) : events;
  };
  return { clock, store, data: store.data, tenant, errors, deps, bulkDeps, graphOf, as, audit };
}

export type CoreWorld = ReturnType<typeof coreWorld>;
