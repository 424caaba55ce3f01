import type { Problem } from '../errors/catalog.js';
import type { CreatedTap } from '../graph/port.js';
import type { TapRequest } from './request.js';

/** What an approval click came to, for the Teams layer to show. */
export type DecisionOutcome =
  /** The click was refused and the request did not change (not theirs to decide, wrong place...). */
  | { kind: 'refused'; problem: Problem }
  /** This approver could not issue it; the request stays open for someone else. */
  | { kind: 'reopened'; problem: Problem; request: TapRequest }
  /** The request ended without a pass (expired, failed, outcome unknown). */
  | { kind: 'ended'; problem: Problem; request: TapRequest }
  | { kind: 'rejected'; request: TapRequest }
  | { kind: 'issued'; request: TapRequest; pass: CreatedTap; recordError?: unknown };
