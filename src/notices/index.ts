/** The proactive-notice engine: queue, rate limiter and scheduler. */
export * from './notice.js';
export * from './queue.js';
export * from './rate-limiter.js';
export * from './backoff.js';
export * from './events.js';
export type { TickStats, Target } from './delivery.js';
export * from './scheduler.js';
