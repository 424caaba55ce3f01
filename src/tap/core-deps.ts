import type { Clock } from '../clock.js';
import type { NoticePlanner } from '../notices/planner.js';
import type { RowStore } from '../store/port.js';
import type { RoleReader } from '../graph/role-port.js';
import type { AuditDeps } from './audit-events.js';
import type { IssueLimiter } from './limits.js';
import type { OpenApprovals } from './open-approvals.js';
import type { OutstandingPasses } from './outstanding-passes.js';
import type { RequestRepository } from './request-repository.js';
import type { OnboardingSettings } from '../onboard/settings.js';
import type { EnrollmentWatches } from '../onboard/watch-store.js';
import type { FaceCheckSettings } from '../facecheck/settings.js';

/** What the single-pass core needs from the outside world: storage, audit, time and its settings. */
export interface CoreDeps extends AuditDeps {
  /** The one store every repository here writes to: units of work that span them commit on it. */
  store: RowStore;
  requests: RequestRepository;
  /** The passes TapDesk issued that may still be live, for `list TAPs`. */
  outstanding: OutstandingPasses;
  /** Notices an issued or revoked pass owes; they commit with the outcome. */
  notices: NoticePlanner;
  clock: Clock;
  requestTtlMinutes: number;
  limiter: IssueLimiter;
  /** TapDesk's own ceiling on a pass's lifetime, below whatever the tenant policy allows. */
  maxLifetimeMinutes: number;
  /** App-only reader of eligible and scoped roles; undefined when the permission is not configured. */
  roleReader?: RoleReader;
  /** Each requester's approval requests still waiting, to bound them. */
  openApprovals: OpenApprovals;
  approvals: ApprovalSettings;
  /** Onboarding's group tags and setup time; the defaults when absent. */
  onboarding?: OnboardingSettings;
  /** Onboardings whose device has not enrolled yet, for the follow-through. */
  enrollment?: EnrollmentWatches;
  /** Face Check with Verified ID; undefined when not configured (Confirm then never asks for one). */
  faceCheck?: FaceCheckSettings;
  /** Entra custom extensions: resumes the waiting Entra request once an approval it asked for settles. */
  onApprovalSettled?: (request: import('./request.js').TapRequest) => Promise<void>;
}

/** Who may ask for a pass without holding a role, where approvers decide, and who sees the pass. */
export interface ApprovalSettings {
  /** Members of this group (besides a target's manager and admins) may request passes. */
  requesterGroupId: string | undefined;
  /** The approvers' channel or group chat; undefined switches approval requests off. */
  approversConversationId: string | undefined;
  ttlMinutes: number;
  deliverTo: 'approver' | 'requester';
}
