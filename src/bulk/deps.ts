import type { AuditLog } from '../audit/log.js';
import type { Clock } from '../clock.js';
import type { TapDeskConfig } from '../config.js';
import type { RowStore } from '../store/port.js';
import type { AuditDeps } from '../tap/audit-events.js';
import type { IssueLimiter } from '../tap/limits.js';
import { BulkRepository } from './repository.js';
import type { RoleReader } from '../graph/role-port.js';
import type { OnboardingSettings } from '../onboard/settings.js';

/** What the bulk core needs; built once next to the single-pass core. */
export interface BulkDeps extends AuditDeps {
  bulk: BulkRepository;
  clock: Clock;
  limiter: IssueLimiter;
  maxLifetimeMinutes: number;
  /** How long a confirmation card stays valid. */
  requestTtlMinutes: number;
  /** Bulks with more ready passes than this need a second admin's approval. */
  approvalAbove: number;
  approversConversationId: string | undefined;
  approvalTtlMinutes: number;
  /** Graph $batch requests in flight at once, for reads and for creates. */
  concurrency: number;
  /** This process, to tell its own running bulks from those of a dead instance. */
  instanceId: string;
  /** A running bulk whose heartbeat is older than this belongs to a dead instance. */
  leaseSeconds: number;
  /** App-only reader of eligible and scoped roles; undefined when the permission is not configured. */
  roleReader?: RoleReader;
  /** Onboarding bulks: the tags allowed and Windows setup's length; the defaults when absent. */
  onboarding?: OnboardingSettings;
}

/** The bulk core's dependencies from the validated config, as the bot (and the benchmark) run it. */
export function bulkDepsFrom(
  config: Pick<TapDeskConfig, 'maxLifetimeMinutes' | 'requestTtlMinutes' | 'bulk' | 'approvals'> &
    Partial<Pick<TapDeskConfig, 'onboarding'>>,
  parts: Pick<BulkDeps, 'clock' | 'limiter' | 'onBackgroundError' | 'instanceId' | 'roleReader'> & {
    store: RowStore;
    audit: AuditLog;
  },
): BulkDeps {
  return {
    bulk: new BulkRepository(parts.store),
    audit: parts.audit,
    onBackgroundError: parts.onBackgroundError,
    clock: parts.clock,
    limiter: parts.limiter,
    instanceId: parts.instanceId,
    roleReader: parts.roleReader,
    maxLifetimeMinutes: config.maxLifetimeMinutes,
    requestTtlMinutes: config.requestTtlMinutes,
    approvalAbove: config.bulk.approvalAbove,
    approversConversationId: config.approvals.approversConversationId,
    approvalTtlMinutes: config.approvals.ttlMinutes,
    concurrency: config.bulk.concurrency,
    leaseSeconds: config.bulk.leaseSeconds,
    onboarding: config.onboarding,
  };
}
