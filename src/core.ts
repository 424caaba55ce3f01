import { randomUUID } from 'node:crypto';
import { AuditLog } from './audit/log.js';
import { logSink, type SecurityEventSink } from './audit/security-sink.js';
import { withSecurityEvents } from './audit/security-store.js';
import { bulkDepsFrom } from './bulk/deps.js';
import type { BulkDeps } from './bulk/deps.js';
import type { Clock } from './clock.js';
import type { TapDeskConfig } from './config.js';
import type { RoleReader } from './graph/role-port.js';
import type { Logger } from './log.js';
import { NoticeQueue } from './notices/index.js';
import { NoticePlanner } from './notices/planner.js';
import type { RowStore } from './store/port.js';
import type { CoreDeps } from './tap/core-deps.js';
import { IssueLimiter } from './tap/limits.js';
import { OpenApprovals } from './tap/open-approvals.js';
import { OutstandingPasses } from './tap/outstanding-passes.js';
import { RequestRepository } from './tap/request-repository.js';
import { EnrollmentWatches } from './onboard/watch-store.js';

/** The outside world the core is built over: storage, time, logging, and the app-only role read. */
export interface CorePorts {
  store: RowStore;
  clock: Clock;
  log: Logger;
  /** Undefined when RoleManagement.Read.Directory is not granted (eligible and scoped roles unseen). */
  roleReader?: RoleReader;
  /** Where every committed audit event is also sent for the SOC; JSON lines on `log` when absent. */
  securityEvents?: SecurityEventSink;
}

/** The framework-free core: single passes, bulks and the notices they owe. Nothing here knows Teams. */
export interface Core {
  core: CoreDeps;
  bulk: BulkDeps;
  notices: NoticePlanner;
  queue: NoticeQueue;
  audit: AuditLog;
  onBackgroundError: (what: string, error: unknown) => void;
}

/** The composition root of the core: every repository and policy object, built once from config. */
export function createCore(config: TapDeskConfig, ports: CorePorts): Core {
  const { clock, log, roleReader } = ports;
  // Work that already happened (a pass was created) must not fail its turn over bookkeeping.
  const onBackgroundError = (what: string, error: unknown) =>
    log.error(
      {
        event: 'background.failed',
        what,
        err: { name: (error as Error)?.name, message: (error as Error)?.message },
      },
      'background.failed',
    );
  // Every audit row written through the core reaches the SOC once its write committed.
  const store = withSecurityEvents(ports.store, ports.securityEvents ?? logSink(log), onBackgroundError);
  const requests = new RequestRepository(store);
  const audit = new AuditLog(store, () => clock.now());
  const limiter = new IssueLimiter(store, config.limits);
  const queue = new NoticeQueue(store);
  const notices = new NoticePlanner(queue, clock, config.notices.expiringLeadMinutes, onBackgroundError);
  const core: CoreDeps = {
    store,
    notices,
    roleReader,
    openApprovals: new OpenApprovals(store, requests),
    requests,
    outstanding: new OutstandingPasses(store),
    audit,
    onBackgroundError,
    clock,
    requestTtlMinutes: config.requestTtlMinutes,
    limiter,
    maxLifetimeMinutes: config.maxLifetimeMinutes,
    approvals: config.approvals,
    onboarding: config.onboarding,
    enrollment: new EnrollmentWatches(store),
    faceCheck: config.faceCheck,
  };
  const bulk = bulkDepsFrom(config, {
    store,
    audit,
    onBackgroundError,
    clock,
    limiter,
    instanceId: randomUUID(),
    roleReader,
  });
  return { core, bulk, notices, queue, audit, onBackgroundError };
}
