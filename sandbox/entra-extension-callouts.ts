import { randomUUID } from 'node:crypto';
import type { SandboxContext } from './context.js';
import type { FixtureUser } from './fixture.js';
import { jsonResponse, type SandboxResponse } from './http.js';

/** The first-party apps Entra signs custom extension callouts as (next-wave contract §6.1, §6.2). */
export const ENTITLEMENT_MANAGEMENT_APP_ID = '810dcf14-1858-4bf2-8134-4c369fa3235b';
export const LIFECYCLE_WORKFLOWS_APP_ID = 'ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7';
/** How long Entra waits for the resume (callbackConfiguration): at most 14 days, 3 hours for tasks. */
const CALLBACK_WAIT_MS = { 'access-package': 14 * 24 * 3600_000, 'lifecycle-task': 3 * 3600_000 };
/** Callouts go to the bot on loopback only: the sandbox never calls out of the machine. */
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}$/;

const adminError = (status: number, code: string, message: string) =>
  jsonResponse(status, { error: { code, message } });

/**
 * A "Regular" (Bearer) callout token as Entra issues it for an extension whose
 * azureAdTokenAuthentication.resourceId is TapDesk's app: v2, app-only, `azp`/`appid` the first-party app.
 */
function calloutToken(ctx: SandboxContext, appId: string): Promise<string> {
  const sp = ctx.directory.servicePrincipalId(appId);
  return ctx.signer.sign(
    {
      tid: ctx.tenantId,
      oid: sp,
      sub: sp,
      azp: appId,
      appid: appId,
      azpacr: '2',
      appidacr: '2',
      idtyp: 'app',
    },
    ctx.app.appId,
    300,
  );
}

/** POSTs a callout to the bot; its status and JSON answer come back to the admin API's caller. */
async function send(ctx: SandboxContext, path: string, appId: string, body: unknown) {
  const response = await fetch(`${ctx.state.botOrigin}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await calloutToken(ctx, appId)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: parseOrNull(text) };
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function person(user: FixtureUser) {
  return { Id: user.id, ObjectId: user.id, DisplayName: user.displayName };
}

/**
 * `POST entra/access-package-request {requestor, target, answers?}`: a manager requests an access
 * package on behalf of their report; Entra sends the connection test, then the callout of the
 * `assignmentRequestCreated` stage, and the request waits for the resume.
 */
export async function accessPackageRequest(
  ctx: SandboxContext,
  body: Record<string, unknown>,
): Promise<SandboxResponse> {
  if (!ctx.state.botOrigin) return adminError(409, 'noBot', 'The bot has not registered its origin yet.');
  const requestor = typeof body.requestor === 'string' ? ctx.directory.findUser(body.requestor) : undefined;
  const target = typeof body.target === 'string' ? ctx.directory.findUser(body.target) : undefined;
  const answers = body.answers === undefined ? [] : body.answers;
  if (!requestor || !target || !Array.isArray(answers))
    return adminError(400, 'badRequest', 'Expected {"requestor":"<upn>","target":"<upn>","answers"?:[…]}.');
  const path = '/api/entra/access-package';
  const test = await send(ctx, path, ENTITLEMENT_MANAGEMENT_APP_ID, {
    Stage: 'CustomExtensionConnectionTest',
  });
  const id = randomUUID();
  const stageInstanceId = randomUUID();
  ctx.state.waitingCallouts.set(id, {
    kind: 'access-package',
    stageInstanceId,
    waitingUntil: new Date(ctx.clock.now().getTime() + CALLBACK_WAIT_MS['access-package']).toISOString(),
  });
  const callout = await send(ctx, path, ENTITLEMENT_MANAGEMENT_APP_ID, {
    AccessPackageAssignmentRequestId: id,
    CustomExtensionStageInstanceId: stageInstanceId,
    Stage: 'assignmentRequestCreated',
    RequestType: 'UserAdd',
    State: 'pendingApproval',
    Status: 'WaitingForCallback',
    AccessPackage: { Id: randomUUID(), DisplayName: 'Temporary Access Pass', Description: 'Day-one sign-in' },
    AccessPackageCatalog: { Id: randomUUID(), DisplayName: 'Helpdesk', Description: '' },
    Assignment: { Id: randomUUID(), State: 'Delivering', Status: 'Delivering', Target: person(target) },
    Requestor: person(requestor),
    Answers: answers,
    CallbackUriPath: `/identityGovernance/entitlementManagement/assignmentRequests/${id}/resume`,
  });
  return jsonResponse(200, { id, stageInstanceId, connectionTest: test, callout });
}

/**
 * `POST entra/lifecycle-task {user, hireDate}`: HR sets the joiner's hire date, and the joiner
 * workflow's custom task extension calls out; the task waits for the resume.
 */
export async function lifecycleTask(
  ctx: SandboxContext,
  body: Record<string, unknown>,
): Promise<SandboxResponse> {
  if (!ctx.state.botOrigin) return adminError(409, 'noBot', 'The bot has not registered its origin yet.');
  const user = typeof body.user === 'string' ? ctx.directory.findUser(body.user) : undefined;
  const hireDate = typeof body.hireDate === 'string' ? Date.parse(body.hireDate) : NaN;
  if (!user || !Number.isFinite(hireDate))
    return adminError(400, 'badRequest', 'Expected {"user":"<upn>","hireDate":"<ISO date-time>"}.');
  user.employeeHireDate = new Date(hireDate).toISOString().replace('.000Z', 'Z');
  const manager = user.manager ? ctx.directory.findUser(user.manager) : undefined;
  const workflowId = randomUUID();
  const taskId = randomUUID();
  const id = randomUUID();
  ctx.state.waitingCallouts.set(id, {
    kind: 'lifecycle-task',
    waitingUntil: new Date(ctx.clock.now().getTime() + CALLBACK_WAIT_MS['lifecycle-task']).toISOString(),
  });
  const callout = await send(ctx, '/api/entra/lifecycle-task', LIFECYCLE_WORKFLOWS_APP_ID, {
    source: `sandbox/identityGovernance/lifecycleWorkflows/workflows/${workflowId}`,
    type: 'lifecycleEvent',
    data: {
      callbackUriPath: `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/tasks/${taskId}/taskProcessingResults/${id}/resume`,
      subject: {
        id: user.id,
        displayName: user.displayName,
        email: user.mail,
        userPrincipalName: user.userPrincipalName,
        ...(manager
          ? { manager: { id: manager.id, displayName: manager.displayName, email: manager.mail } }
          : {}),
      },
      task: { id: taskId, displayName: 'Request a Temporary Access Pass from TapDesk' },
      taskProcessingResult: { id, createdDateTime: ctx.clock.now().toISOString() },
      workflow: { id: workflowId, displayName: 'Onboard new hire', workflowVersion: 1 },
    },
  });
  return jsonResponse(200, { id, callout });
}

/** Where the callouts go: the bot's own origin on loopback, registered once it listens. */
export function registerBotOrigin(ctx: SandboxContext, origin: string): void {
  const trimmed = origin.replace(/\/+$/, '');
  if (!LOOPBACK.test(trimmed))
    throw new Error(`the bot's origin must be http://127.0.0.1:<port>, not ${origin}`);
  ctx.state.botOrigin = trimmed;
}
