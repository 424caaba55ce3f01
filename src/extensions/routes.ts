import type restify from 'restify';
import type { Logger } from '../log.js';
import { readJsonObject, refuseByHeaders } from '../http/inbound-body.js';
import type { ApprovalPoster } from '../http/request-api.js';
import type { TenantKeys } from '../http/tenant-keys.js';
import type { CoreDeps } from '../tap/core-deps.js';
import { checkAccessPackageCallout } from './access-package-body.js';
import { checkCalloutToken, type CalloutTokenRules } from './callout-token.js';
import { submitAccessPackageCallout } from './submit-callout.js';

export const ACCESS_PACKAGE_PATH = '/api/entra/access-package';
const MAX_CALLOUT_BYTES = 64 * 1024;

export interface ExtensionRouteDeps {
  core: CoreDeps;
  rules: CalloutTokenRules;
  keys: TenantKeys;
  approvals: ApprovalPoster;
  log: Logger;
}

function send(res: restify.Response, status: number, body: unknown, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.sendRaw(status, JSON.stringify(body));
}

/**
 * POST /api/entra/access-package: Entra's entitlement management callout ("launch and wait").
 * The connection test is answered 200 once the token holds; a real callout becomes an approval and
 * is answered 202: Entra waits for TapDesk's resume. The answer never carries a pass.
 */
async function accessPackage(deps: ExtensionRouteDeps, req: restify.Request, res: restify.Response) {
  const checked = await checkCalloutToken(req.headers.authorization, deps.rules, deps.keys);
  if (!checked.ok) {
    deps.log.warn(
      { event: 'extensions.refused', status: checked.status, reason: checked.reason, path: req.path() },
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
  const body = checkAccessPackageCallout(read.body);
  if (!body.ok)
    return send(res, 400, {
      error: 'invalid_request',
      field: body.field,
      message: `${body.field}: ${body.message}`,
    });
  if (body.kind === 'test') {
    deps.log.info(
      { event: 'extensions.connection_test', kind: 'access-package' },
      'extensions.connection_test',
    );
    return send(res, 200, { status: 'ready' });
  }
  const outcome = await submitAccessPackageCallout(deps.core, checked.callerAppId, body.callout, () =>
    deps.approvals.reachable(),
  );
  deps.log.info(
    { event: 'extensions.callout', kind: 'access-package', outcome: outcome.kind },
    'extensions.callout',
  );
  if (outcome.kind === 'problem')
    // Entra retries per the extension's clientConfiguration; a later try may find approvers.
    return send(res, 503, { error: outcome.problem.code }, { 'retry-after': '60' });
  const request = outcome.kind === 'created' ? await deps.approvals.post(outcome.request) : outcome.request;
  return send(res, 202, { id: request.id, status: request.state });
}

export function addExtensionRoutes(server: restify.Server, deps: ExtensionRouteDeps): void {
  server.post(ACCESS_PACKAGE_PATH, async (req, res) => accessPackage(deps, req, res));
}
