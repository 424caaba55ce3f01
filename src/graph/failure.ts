/** A Graph call that did not succeed, reduced to what the catalog mapping needs. */
export class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | undefined,
    readonly requestId: string | undefined,
  ) {
    super(message);
    this.name = 'GraphFailure';
  }

  /** True when we cannot know whether the request took effect (timeouts, dropped connections, 5xx). */
  get outcomeUnknown(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

interface GraphErrorLike {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  headers?: { get?(name: string): string | null };
  requestId?: unknown;
  name?: unknown;
}

/** Parses Retry-After as seconds (Graph may send fractions) or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

/** Normalises whatever the Graph SDK or fetch threw into a GraphFailure. */
export function toGraphFailure(error: unknown): GraphFailure {
  if (error instanceof GraphFailure) return error;
  const e = (error ?? {}) as GraphErrorLike;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') {
    return new GraphFailure(0, 'timeout', 'Graph did not answer in time', undefined, undefined);
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
  const code = typeof e.code === 'string' ? e.code : status === 0 ? 'network' : 'unknown';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const retryAfter = parseRetryAfter(e.headers?.get?.('Retry-After'));
  const requestId = typeof e.requestId === 'string' ? e.requestId : undefined;
  return new GraphFailure(status === -1 ? 0 : status, code, message, retryAfter, requestId);
}
