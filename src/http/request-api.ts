import type restify from 'restify';
import type { Logger } from '../log.js';
import { checkApiRequestBody, MAX_REQUEST_BODY_BYTES } from '../requests/body.js';
import { apiStatusOf, apiViewOf } from '../requests/status.js';
import { submitApiRequest, type ApiCaller } from '../requests/submit.js';
import type { CoreDeps } from '../tap/core-deps.js';
import type { TapRequest } from '../tap/request.js';
import { checkAppToken, type AppTokenRules } from './entra-app-token.js';
import { readJsonObject, refuseByHeaders } from './inbound-body.js';
import type { TenantKeys } from './tenant-keys.js';

/** Where the approval card goes: the Teams side (teams/api-approvals.ts) implements it. */
export interface ApprovalPoster {
  /** Whether TapDesk can post to the approvers' conversation now (it has been added there). */
  reachable(): Promise<boolean>;
  /** Posts the approvers' card; returns the request as it stands after (failed when it could not). */
  post(request: TapRequest): Promise<TapRequest>;
}

export interface RequestApiDeps {
  core: CoreDeps;
  rules: AppTokenRules;
  keys: TenantKeys;
  approvals: ApprovalPoster;
  log: Logger;
  /** False when ACS is not configured: `deliverTo: sms` is then refused before anything is stored. */
  smsConfigured?: boolean;
}

// Printable ASCII, as the Idempotency-Key draft's examples; long enough for a UUID or a ticket sys_id.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REALM = 'TapDesk';

function send(res: restify.Response, status: number, body: unknown, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.sendRaw(status, JSON.stringify(body));
}

const badRequest = (res: restify.Response, field: string, message: string) =>
  send(res, 400, { error: 'invalid_request', field, message: `${field}: ${message}` });

/**
 * The token check of both routes; answers the refusal itself and returns undefined, or the caller.
 * RFC 6750: a request without a token gets only the challenge, a bad one `invalid_token`, a valid
 * one without the role or the allow-list `insufficient_scope` (403).
 */
async function authenticate(
  deps: RequestApiDeps,
  req: restify.Request,
  res: restify.Response,
): Promise<ApiCaller | undefined> {
  const checked = await checkAppToken(req.headers.authorization, deps.rules, deps.keys);
  if (checked.ok) return { clientId: checked.clientId, name: checked.name };
  deps.log.warn(
    { event: 'requests.refused', status: checked.status, reason: checked.reason, path: req.path() },
    'requests.refused',
  );
  res.setHeader('connection', 'close');
  if (checked.status === 503) {
    send(res, 503, { error: checked.error }, { 'retry-after': '30' });
    return undefined;
  }
  const challenge = req.headers.authorization
    ? `Bearer realm="${REALM}", error="${checked.error}", error_description="${checked.reason}"`
    : `Bearer realm="${REALM}"`;
  send(
    res,
    checked.status,
    { error: checked.error, error_description: checked.reason },
    {
      'www-authenticate': challenge,
    },
  );
  return undefined;
}

/** POST /api/requests: another system asks for a pass; it becomes an approval card. */
async function postRequest(deps: RequestApiDeps, req: restify.Request, res: restify.Response): Promise<void> {
  const caller = await authenticate(deps, req, res);
  if (!caller) return;
  const early = refuseByHeaders(req);
  if (early) return send(res, early.status, { error: early.reason }, { connection: 'close' });
  const read = await readJsonObject(req, MAX_REQUEST_BODY_BYTES);
  if ('status' in read) {
    const error = read.status === 413 ? 'body_too_large' : read.reason;
    return send(res, read.status, { error, maxBytes: MAX_REQUEST_BODY_BYTES }, { connection: 'close' });
  }
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))
    return badRequest(
      res,
      'Idempotency-Key',
      'header required: 1 to 128 printable ASCII characters, the same on every retry',
    );
  const body = checkApiRequestBody(read.body);
  if (!body.ok) return badRequest(res, body.field, body.message);
  if (body.body.deliverTo === 'sms' && deps.smsConfigured === false)
    return badRequest(res, 'deliverTo', "'sms' is not set up on this TapDesk; use 'approver' or 'manager'");

  const outcome = await submitApiRequest(deps.core, {
    caller,
    body: body.body,
    idempotencyKey: key,
    approversReachable: () => deps.approvals.reachable(),
  });
  deps.log.info(
    { event: 'requests.submitted', outcome: outcome.kind, clientId: caller.clientId },
    'requests.submitted',
  );
  const now = deps.core.clock.now();
  switch (outcome.kind) {
    case 'created': {
      const request = await deps.approvals.post(outcome.request);
      return accepted(res, request, now, false);
    }
    case 'replayed':
      return accepted(res, outcome.request, now, true);
    case 'key-reused':
      // The draft standard's answer to a key reused with another payload: the key cannot mean both.
      return send(res, 422, {
        error: 'idempotency_key_reused',
        field: 'Idempotency-Key',
        message:
          'Idempotency-Key: this key was already used for a different request body; use a new key for a new request',
      });
    case 'invalid':
      return badRequest(res, outcome.field, outcome.problem.title);
    case 'problem': {
      const code = outcome.problem.code;
      const status = code === 'APPROVAL_TOO_MANY_OPEN' ? 429 : 503;
      return send(
        res,
        status,
        { error: code, message: `${outcome.problem.title}. ${outcome.problem.message}` },
        { 'retry-after': status === 429 ? '300' : '60' },
      );
    }
  }
}

function accepted(res: restify.Response, request: TapRequest, now: Date, replayed: boolean): void {
  send(
    res,
    202,
    { id: request.id, status: apiStatusOf(request, now) },
    { location: `/api/requests/${request.id}`, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) },
  );
}

/** GET /api/requests/{id}: where a request stands; a caller sees only its own (others are 404). */
async function getRequest(deps: RequestApiDeps, req: restify.Request, res: restify.Response): Promise<void> {
  const caller = await authenticate(deps, req, res);
  if (!caller) return;
  const id = String(req.params?.id ?? '');
  const row = GUID.test(id) ? await deps.core.requests.get(id.toLowerCase()) : undefined;
  if (!row || row.value.source?.clientId !== caller.clientId)
    return send(res, 404, {
      error: 'not_found',
      message: 'No request with this id was made by this client.',
    });
  return send(res, 200, apiViewOf(row.value, deps.core.clock.now()));
}

/** Adds the request API's routes; only called when REQUEST_API_CLIENTS names at least one system. */
export function addRequestApiRoutes(server: restify.Server, deps: RequestApiDeps): void {
  server.post('/api/requests', async (req, res) => postRequest(deps, req, res));
  server.get('/api/requests/:id', async (req, res) => getRequest(deps, req, res));
}
