import type { SandboxContext } from './context.js';
import type { Caller } from './graph-auth.js';
import { graphError } from './graph-errors.js';
import type { SandboxResponse } from './http.js';
import { parseSelect, unknownPropertyMessage } from './user-view.js';

/** One Graph operation, from a top-level request or a `$batch` item, already authenticated. */
export interface GraphCall {
  method: string;
  /** Path below `/v1.0`, original case, starting with `/`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string | undefined;
  caller: Caller;
  clientRequestId: string | undefined;
}

/** A Graph handler; `params` are the decoded `:name` segments of its route, in order. */
export type GraphHandler = (
  ctx: SandboxContext,
  call: GraphCall,
  params: string[],
) => Promise<SandboxResponse> | SandboxResponse;

/** A method + path template (literal segments match case-insensitively, `:x` captures one segment). */
export interface GraphRoute {
  method: string;
  template: string;
  handler: GraphHandler;
}

/** Matches a path against a route template; returns the captured segments or undefined. */
export function matchTemplate(template: string, path: string): string[] | undefined {
  const want = template.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const pattern = want[i] ?? '';
    let segment: string;
    try {
      segment = decodeURIComponent(have[i] ?? '');
    } catch {
      return undefined;
    }
    if (pattern.startsWith(':')) params.push(segment);
    else if (pattern.toLowerCase() !== segment.toLowerCase()) return undefined;
  }
  return params;
}

/** Shorthand for an error envelope that echoes this call's client-request-id. */
export function callError(call: GraphCall, status: number, code: string, message: string): SandboxResponse {
  return graphError(status, code, message, call.clientRequestId);
}

/**
 * The properties this call's `$select` names among `known` (`fallback` when it names none), or Graph's
 * 400 for a property `microsoft.graph.<type>` does not have.
 */
export function selectedFields(
  call: GraphCall,
  known: readonly string[],
  fallback: readonly string[],
  type: string,
): string[] | SandboxResponse {
  const select = parseSelect(call.query.get('$select'), known, fallback);
  if (select.ok) return select.fields;
  return callError(
    call,
    400,
    'BadRequest',
    unknownPropertyMessage(select.unknown, `microsoft.graph.${type}`),
  );
}
