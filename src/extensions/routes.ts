import type restify from 'restify';
import type { Logger } from '../log.js';
import { readJsonObject, refuseByHeaders } from '../http/inbound-body.js';
import type { ApprovalPoster } from '../http/request-api.js';
import type { TenantKeys } from '../http/tenant-keys.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { checkAccessPackageCallout } from './access-package-body.js';
import type { ExtensionKind } from './callers.js';
import { checkCalloutToken, type CalloutTokenRules } from './callout-token.js';
import { accessPackageDraft, lifecycleDraft } from './drafts.js';
import { checkLifecycleCallout } from './lifecycle-body.js';
import { submitCallout, type CalloutDraft } from './submit-callout.js';

export const EXTENSION_PATHS: Record<ExtensionKind, string> = {
  'access-package': '/api/entra/access-package',
  'lifecycle-task': '/api/entra/lifecycle-task',
};
const MAX_CALLOUT_BYTES = 64 * 1024;

export interface ExtensionRouteDeps {
  core: CoreDeps;
  keys: TenantKeys;
  approvals: ApprovalPoster;
  log: Logger;
}

/** What a body turned into: the connection test, a draft to submit, or the field that is wrong. */
type Parsed =
  { kind: 'test' } | { kind: 'draft'; draft: CalloutDraft } | { kind: 'bad'; field: string; message: string };

function send(res: restify.Response, status: number, body: unknown, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.sendRaw(status, JSON.stringify(body));
}

/**
 * One custom extension route ("launch and wait"): the token first (as Entra's docs ask of a Logic
 * App's policy), then the body. The connection test is answered 200; a callout becomes an approval
 * and is answered 202, Entra then waits for TapDesk's resume. No answer ever carries a pass.
 */
async function callout(
  deps: ExtensionRouteDeps,
  kind: ExtensionKind,
  rules: CalloutTokenRules,
  parse: (body: Record<string, unknown>, callerAppId: string) => Parsed,
  req: restify.Request,
  res: restify.Response,
): Promise<void> {
  const checked = await checkCalloutToken(req.headers.authorization, rules, deps.keys);
  if (!checked.ok) {
    deps.log.warn(
      { event: 'extensions.refused', kind, status: checked.status, reason: checked.reason },
      'extensions.refused',
    );
    const headers: Record<string, string> = { connection: 'close' };
    if (checked.status === 401)
      headers['www-authenticate'] = req.headers.authorization
        ? `Bearer realm="TapDesk", error="invalid_token", error_description="${checked.reason}"`
        : 'Bearer realm="TapDesk"';
    if (checked.status === 503) headers['retry-after'] = '30';
    const error = { 401: 'invalid_token', 403: 'insufficient_scope', 503: 'temporarily_unavailable' }[
      checked.status
    ];
    return send(res, checked.status, { error, error_description: checked.reason }, headers);
  }
  const early = refuseByHeaders(req);
  if (early) return send(res, early.status, { error: early.reason }, { connection: 'close' });
  const read = await readJsonObject(req, MAX_CALLOUT_BYTES);
  if ('status' in read) return send(res, read.status, { error: read.reason }, { connection: 'close' });
  const parsed = parse(read.body, checked.callerAppId);
  if (parsed.kind === 'bad')
    return send(res, 400, {
      error: 'invalid_request',
      field: parsed.field,
      message: `${parsed.field}: ${parsed.message}`,
    });
  if (parsed.kind === 'test') {
    deps.log.info({ event: 'extensions.connection_test', kind }, 'extensions.connection_test');
    return send(res, 200, { status: 'ready' });
  }
  const outcome = await submitCallout(deps.core, parsed.draft, () => deps.approvals.reachable());
  deps.log.info({ event: 'extensions.callout', kind, outcome: outcome.kind }, 'extensions.callout');
  if (outcome.kind === 'problem')
    // Entra retries per the extension's clientConfiguration; a later try may find approvers.
    return send(res, 503, { error: outcome.problem.code }, { 'retry-after': '60' });
  const request = outcome.kind === 'created' ? await deps.approvals.post(outcome.request) : outcome.request;
  // A card that could not be posted ended the request: Entra is told now rather than left waiting.
  if (outcome.kind === 'created' && request.state !== 'awaiting')
    await deps.core.onApprovalSettled?.(request);
  return send(res, 202, { id: request.id, status: request.state });
}

/** Adds the route of each configured kind, with the token rules for that kind's caller. */
export function addExtensionRoutes(
  server: restify.Server,
  deps: ExtensionRouteDeps,
  rules: Partial<Record<ExtensionKind, CalloutTokenRules>>,
): void {
  const settings = deps.core.approvals;
  const accessPackage = rules['access-package'];
  if (accessPackage)
    server.post(EXTENSION_PATHS['access-package'], async (req, res) =>
      callout(
        deps,
        'access-package',
        accessPackage,
        (body, caller) => {
          const checked = checkAccessPackageCallout(body);
          if (!checked.ok) return { kind: 'bad', field: checked.field, message: checked.message };
          if (checked.kind === 'test') return { kind: 'test' };
          return { kind: 'draft', draft: accessPackageDraft(caller, checked.callout, settings) };
        },
        req,
        res,
      ),
    );
  const lifecycle = rules['lifecycle-task'];
  if (lifecycle)
    server.post(EXTENSION_PATHS['lifecycle-task'], async (req, res) =>
      callout(
        deps,
        'lifecycle-task',
        lifecycle,
        (body, caller) => {
          const checked = checkLifecycleCallout(body);
          if (!checked.ok) return { kind: 'bad', field: checked.field, message: checked.message };
          return { kind: 'draft', draft: lifecycleDraft(caller, checked.callout) };
        },
        req,
        res,
      ),
    );
}
