import { accessPackageRequest, lifecycleTask } from './entra-extension-callouts.js';
import { grantClientCredentials } from './client-credentials.js';
import { deviceStateView } from './autopilot-devices.js';
import type { SandboxContext } from './context.js';
import { parseFaultUpdate } from './faults.js';
import { handleFileAdmin } from './files-admin.js';
import { jsonResponse, parseJsonBody, type SandboxRequest, type SandboxResponse } from './http.js';
import { parsePolicyUpdate } from './policy-update.js';
import { approveActivation } from './pim-admin.js';
import { issueSsoAssertion, parseSsoRequest } from './sso.js';
import { presentToVerifiedId } from './verified-id-present.js';
import { parseSmsFault } from './sms.js';
import { setBotEndpoint } from './teams-install.js';

/** True for loopback peers only; the admin API must never answer anyone else. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

const adminError = (status: number, code: string, message: string) =>
  jsonResponse(status, { error: { code, message } });

function clockView(ctx: SandboxContext): SandboxResponse {
  return jsonResponse(200, { now: ctx.clock.now().toISOString(), offsetMinutes: ctx.clock.offsetMinutes });
}

/** Parses a JSON object body; an empty body counts as `{}` for the admin API's convenience. */
function objectBody(req: SandboxRequest): Record<string, unknown> | undefined {
  if (req.body === undefined || req.body.trim() === '') return {};
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value))
    return undefined;
  return parsed.value as Record<string, unknown>;
}

/** `POST users/{id or upn}/account {"accountEnabled":false}`: an admin disables (or enables) an account. */
function setAccountEnabled(ctx: SandboxContext, who: string, body: Record<string, unknown>): SandboxResponse {
  const user = ctx.directory.findUser(who);
  if (!user) return adminError(404, 'notFound', `No sandbox user ${who}.`);
  if (typeof body.accountEnabled !== 'boolean')
    return adminError(400, 'badRequest', 'Expected {"accountEnabled":true|false}.');
  user.accountEnabled = body.accountEnabled;
  return jsonResponse(200, { id: user.id, accountEnabled: user.accountEnabled });
}

/** `POST devices/{serial}/enroll`: the person finished Windows setup, so Intune sees the device enrolled. */
function enrollDevice(ctx: SandboxContext, serial: string): SandboxResponse {
  const device = ctx.state.devices.find((d) => d.serialNumber.toLowerCase() === serial.toLowerCase());
  if (!device) return adminError(404, 'notFound', `No Autopilot device with serial number ${serial}.`);
  device.enrollmentState = 'enrolled';
  device.lastContactedDateTime = ctx.clock.now().toISOString();
  return jsonResponse(200, deviceStateView(device));
}

/**
 * `POST app-token {client, scope, lifetimeSeconds}`: the client-credentials token the fixture app
 * `client` would get for `scope`, with another lifetime (negative: already expired), for tests of
 * APIs that must refuse expired tokens. No secret needed: the admin API answers loopback only.
 */
async function appTokenForTests(
  ctx: SandboxContext,
  body: Record<string, unknown>,
): Promise<SandboxResponse> {
  const { client, scope, lifetimeSeconds } = body;
  const app = ctx.fixture.apps.find((a) => a.appId === client);
  if (
    !app ||
    typeof scope !== 'string' ||
    typeof lifetimeSeconds !== 'number' ||
    !Number.isFinite(lifetimeSeconds)
  )
    return adminError(
      400,
      'badRequest',
      'Expected {"client":"<fixture app id>","scope":"<resource>/.default","lifetimeSeconds":N}.',
    );
  return grantClientCredentials(ctx, app, new URLSearchParams({ scope }), undefined, lifetimeSeconds);
}

async function dispatch(ctx: SandboxContext, req: SandboxRequest, action: string): Promise<SandboxResponse> {
  const body = req.method === 'POST' ? objectBody(req) : {};
  if (body === undefined) return adminError(400, 'badRequest', 'Body must be a JSON object.');
  if (/^files(\/|$)/.test(action))
    return handleFileAdmin(ctx, req.method, action.slice('files/'.length), body);
  const account = /^users\/([^/]+)\/account$/.exec(action);
  if (account && req.method === 'POST') return setAccountEnabled(ctx, decodeURIComponent(account[1]!), body);
  const enroll = /^devices\/([^/]+)\/enroll$/.exec(action);
  if (enroll && req.method === 'POST') return enrollDevice(ctx, decodeURIComponent(enroll[1]!));
  const route = `${req.method} ${action}`;
  switch (route) {
    case 'POST sso-token': {
      const parsed = parseSsoRequest(body);
      if (!parsed)
        return adminError(400, 'badRequest', 'Expected {"user":"<upn, object id or Teams user id>"}.');
      const user = ctx.directory.findSsoUser(parsed.user);
      if (!user) return adminError(404, 'userNotFound', `No sandbox user '${parsed.user}'.`);
      return jsonResponse(200, { token: await issueSsoAssertion(ctx, user, parsed.overrides) });
    }
    case 'POST app-token':
      return appTokenForTests(ctx, body);
    case 'POST entra/access-package-request':
      return accessPackageRequest(ctx, body);
    case 'POST entra/lifecycle-task':
      return lifecycleTask(ctx, body);
    case 'GET state':
      return jsonResponse(200, ctx.state.snapshot());
    case 'GET clock':
      return clockView(ctx);
    case 'POST clock': {
      const minutes = body.advanceMinutes;
      if (typeof minutes !== 'number' || !Number.isFinite(minutes))
        return adminError(400, 'badRequest', 'Expected {"advanceMinutes":N}.');
      ctx.clock.advanceMinutes(minutes);
      return clockView(ctx);
    }
    case 'GET faults':
      return jsonResponse(200, ctx.state.faults.settings);
    case 'POST faults': {
      const update = parseFaultUpdate(body);
      if (typeof update === 'string') return adminError(400, 'badRequest', update);
      ctx.state.faults.update(body.reset === true ? {} : update);
      return jsonResponse(200, ctx.state.faults.settings);
    }
    case 'POST next-pass': {
      const value = body.value;
      if (typeof value !== 'string' || value.length < 1 || value.length > 48) {
        return adminError(400, 'badRequest', 'Expected {"value":"<1..48 characters>"}.');
      }
      ctx.state.queuedPassCodes.push(value);
      return jsonResponse(200, { queued: ctx.state.queuedPassCodes.length });
    }
    case 'GET policy':
      return jsonResponse(200, ctx.state.policy);
    case 'POST policy': {
      const updated = parsePolicyUpdate(ctx.state.policy, body);
      if (typeof updated === 'string') return adminError(400, 'badRequest', updated);
      ctx.state.policy = updated;
      return jsonResponse(200, updated);
    }
    case 'POST pim/approve':
      return approveActivation(ctx, body);
    case 'POST verified-id/present':
      return presentToVerifiedId(ctx, body);
    case 'POST faults/sms': {
      const fault = parseSmsFault(body);
      if (typeof fault === 'string') return adminError(400, 'badRequest', fault);
      ctx.state.smsFault = fault;
      return jsonResponse(200, fault);
    }
    case 'POST teams/bot':
      return setBotEndpoint(ctx, body);
    case 'POST reset':
      ctx.state.reset();
      return jsonResponse(200, { reset: true });
    default:
      return adminError(404, 'notFound', `No sandbox admin route ${route}.`);
  }
}

/** Handles `/_sandbox/*` (loopback peers only). */
export async function handleAdminRequest(ctx: SandboxContext, req: SandboxRequest): Promise<SandboxResponse> {
  if (!isLoopbackAddress(req.remoteAddress))
    return adminError(403, 'forbidden', 'The sandbox admin API answers loopback clients only.');
  const action = req.path
    .replace(/^\/_sandbox\/?/i, '')
    .replace(/\/$/, '')
    .toLowerCase();
  return dispatch(ctx, req, action);
}
