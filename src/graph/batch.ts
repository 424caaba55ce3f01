// Pure helpers for Graph `$batch`: build the request body, map the response back to per-item results.
// Graph answers the outer POST with 200 whatever happened to each item, in any order; items are matched
// by id and each carries its own status, headers and body.
import { GraphFailure, parseRetryAfter } from './failure.js';
import {
  MAX_CREATES_PER_BATCH,
  MAX_LOOKUPS_PER_BATCH,
  MAX_MANAGER_READS_PER_BATCH,
  type BatchCreateResult,
  type CreateTapBody,
  type CreatedTap,
  type DirectoryRole,
  type DirectoryUser,
  type ManagerLookup,
  type UserLookup,
} from './port.js';

export const USER_FIELDS =
  'id,displayName,userPrincipalName,mail,userType,accountEnabled,department,jobTitle';
export const ROLE_FIELDS = 'displayName,roleTemplateId';

export interface BatchRequestItem {
  id: string;
  method: 'GET' | 'POST';
  /** Relative to the Graph version root, e.g. `/users/{id}`. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchRequestBody {
  requests: BatchRequestItem[];
}

export interface CreateTapItem {
  userId: string;
  body: CreateTapBody;
}

interface BatchResponseItem {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
}

const userItemId = (index: number) => `u${index}`;
const rolesItemId = (index: number) => `r${index}`;
const createItemId = (index: number) => `c${index}`;
const managerItemId = (index: number) => `m${index}`;

const userPath = (key: string) => `/users/${encodeURIComponent(key)}`;

function checkCount(count: number, max: number, what: string): void {
  if (count === 0) throw new Error(`A $batch needs at least one ${what}`);
  if (count > max) throw new Error(`A $batch takes at most ${max} ${what}s, got ${count}`);
}

/** Two GETs per key (user, then roles); throws before anything is sent for 0 or more than 10 keys. */
export function lookupBatchBody(keys: readonly string[]): BatchRequestBody {
  checkCount(keys.length, MAX_LOOKUPS_PER_BATCH, 'lookup');
  if (keys.some((key) => typeof key !== 'string' || key.trim() === ''))
    throw new Error('A user lookup key must be a non-empty object id or UPN');
  return {
    requests: keys.flatMap((key, i): BatchRequestItem[] => [
      { id: userItemId(i), method: 'GET', url: `${userPath(key)}?$select=${USER_FIELDS}` },
      {
        id: rolesItemId(i),
        method: 'GET',
        url: `${userPath(key)}/transitiveMemberOf/microsoft.graph.directoryRole?$select=${ROLE_FIELDS}`,
      },
    ]),
  };
}

/** One GET per user id (their manager); throws before anything is sent for 0, more than 20 or empty ids. */
export function managerBatchBody(userIds: readonly string[]): BatchRequestBody {
  checkCount(userIds.length, MAX_MANAGER_READS_PER_BATCH, 'manager read');
  if (userIds.some((id) => typeof id !== 'string' || id.trim() === ''))
    throw new Error('A manager read needs a non-empty user id');
  return {
    requests: userIds.map((id, i) => ({
      id: managerItemId(i),
      method: 'GET',
      url: `${userPath(id)}/manager?$select=${USER_FIELDS}`,
    })),
  };
}

/** One POST per user; throws for 0 or more than 20 items, empty or duplicate user ids. */
export function createBatchBody(items: readonly CreateTapItem[]): BatchRequestBody {
  checkCount(items.length, MAX_CREATES_PER_BATCH, 'create');
  const seen = new Set<string>();
  for (const { userId } of items) {
    if (typeof userId !== 'string' || userId.trim() === '')
      throw new Error('A pass create needs a non-empty user id');
    // Object ids and UPNs are case-insensitive; a second create for the same user replaces the first pass.
    const key = userId.toLowerCase();
    if (seen.has(key)) throw new Error(`Duplicate user id in one $batch: ${userId}`);
    seen.add(key);
  }
  return {
    requests: items.map((item, i) => ({
      id: createItemId(i),
      method: 'POST',
      url: `${userPath(item.userId)}/authentication/temporaryAccessPassMethods`,
      headers: { 'Content-Type': 'application/json' },
      body: item.body,
    })),
  };
}

/** The response items by id; anything that does not look like an item is ignored (and so "missing"). */
function responsesById(response: unknown): Map<string, BatchResponseItem> {
  const byId = new Map<string, BatchResponseItem>();
  const list = isRecord(response) ? response.responses : undefined;
  if (!Array.isArray(list)) return byId;
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || typeof entry.status !== 'number') continue;
    if (byId.has(entry.id)) continue;
    byId.set(entry.id, {
      status: entry.status,
      headers: isRecord(entry.headers) ? entry.headers : {},
      body: entry.body,
    });
  }
  return byId;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isSuccess = (item: BatchResponseItem) => item.status >= 200 && item.status <= 299;

function header(headers: Record<string, unknown>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers))
    if (key.toLowerCase() === wanted && value !== undefined && value !== null) return String(value);
  return undefined;
}

/** A failed item as a GraphFailure: status, `error.code`, `error.message`, Retry-After, request id. */
function itemFailure(id: string, item: BatchResponseItem): GraphFailure {
  const error = isRecord(item.body) && isRecord(item.body.error) ? item.body.error : {};
  const inner = isRecord(error.innerError) ? error.innerError : {};
  const code = typeof error.code === 'string' ? error.code : 'unknown';
  const message =
    typeof error.message === 'string' ? error.message : `Graph answered ${item.status} to batch item ${id}`;
  const requestId =
    header(item.headers, 'request-id') ??
    (typeof inner['request-id'] === 'string' ? inner['request-id'] : undefined);
  return new GraphFailure(
    item.status,
    code,
    message,
    parseRetryAfter(header(item.headers, 'Retry-After')),
    requestId,
  );
}

/** No response for the item: status 0, so `outcomeUnknown` (a create may or may not have run). */
function missingItem(id: string): GraphFailure {
  return new GraphFailure(
    0,
    'missingBatchItem',
    `Graph returned no response for batch item ${id}`,
    undefined,
    undefined,
  );
}

/** A 2xx item whose body is not what Graph documents; status 0 because the item did run. */
function malformedItem(id: string): GraphFailure {
  return new GraphFailure(
    0,
    'malformedBatchItem',
    `Graph returned an unexpected body for batch item ${id}`,
    undefined,
    undefined,
  );
}

type Read<T> = { ok: true; value: T } | { ok: false; failure: GraphFailure };

function readItem<T>(
  byId: Map<string, BatchResponseItem>,
  id: string,
  parse: (body: unknown) => T | undefined,
): Read<T> & { status: number | undefined } {
  const item = byId.get(id);
  if (!item) return { ok: false, failure: missingItem(id), status: undefined };
  if (!isSuccess(item)) return { ok: false, failure: itemFailure(id, item), status: item.status };
  const value = parse(item.body);
  return value === undefined
    ? { ok: false, failure: malformedItem(id), status: item.status }
    : { ok: true, value, status: item.status };
}

const asUser = (body: unknown) =>
  isRecord(body) && typeof body.id === 'string' ? (body as unknown as DirectoryUser) : undefined;
const asRoles = (body: unknown) =>
  isRecord(body) && Array.isArray(body.value) ? (body.value as DirectoryRole[]) : undefined;
const asPass = (body: unknown) =>
  isRecord(body) && typeof body.temporaryAccessPass === 'string'
    ? (body as unknown as CreatedTap)
    : undefined;

/**
 * One result per key, in the order of `keys`: a 404 user is `user: null` (whatever the roles item said);
 * both items 2xx is the user with roles; otherwise the failing item's failure, a 429 first so the
 * caller sees its Retry-After.
 */
export function lookupResults(keys: readonly string[], response: unknown): UserLookup[] {
  const byId = responsesById(response);
  return keys.map((key, i): UserLookup => {
    const user = readItem(byId, userItemId(i), asUser);
    if (user.status === 404) return { key, ok: true, user: null, roles: [] };
    const roles = readItem(byId, rolesItemId(i), asRoles);
    if (user.ok && roles.ok) return { key, ok: true, user: user.value, roles: roles.value };
    const failures = [user, roles].flatMap((r) => (r.ok ? [] : [r.failure]));
    const failure = failures.find((f) => f.status === 429) ?? (failures[0] as GraphFailure);
    return { key, ok: false, failure };
  });
}

/** One result per item, in the order of `items`; a missing or malformed item is `outcomeUnknown`. */
export function createResults(items: readonly CreateTapItem[], response: unknown): BatchCreateResult[] {
  const byId = responsesById(response);
  return items.map(({ userId }, i): BatchCreateResult => {
    const pass = readItem(byId, createItemId(i), asPass);
    return pass.ok ? { userId, ok: true, pass: pass.value } : { userId, ok: false, failure: pass.failure };
  });
}

/** One result per user id, in order: a 404 is "no manager"; any other failure is the item's. */
export function managerResults(userIds: readonly string[], response: unknown): ManagerLookup[] {
  const byId = responsesById(response);
  return userIds.map((userId, i): ManagerLookup => {
    const read = readItem(byId, managerItemId(i), asUser);
    if (read.ok) return { userId, ok: true, manager: read.value };
    return read.status === 404
      ? { userId, ok: true, manager: null }
      : { userId, ok: false, failure: read.failure };
  });
}
