import type { Clock } from '../clock.js';
import type { AuditDeps } from '../tap/audit-events.js';
import type { IssueLimiter } from '../tap/limits.js';
import type { BulkRepository } from './repository.js';

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
}
