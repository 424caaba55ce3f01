import { registerBotOrigin } from './entra-extension-callouts.js';
import { createSandboxCertificates, generateRsaKeyPair } from './certs.js';
import { SandboxClock } from './clock.js';
import type { SandboxContext } from './context.js';
import { Directory } from './directory.js';
import { loadTenantFixture, type TenantFixture } from './fixture.js';
import { listenSandbox, type SandboxLogger } from './server.js';
import { issueSsoAssertion, type SsoTokenOverrides } from './sso.js';
import { SandboxState } from './state.js';
import { TokenSigner } from './tokens.js';

export type {
  FixtureApp,
  FixtureClientApp,
  FixtureEligibleRole,
  FixtureGroup,
  FixtureRole,
  FixtureUser,
  TapPolicy,
  TenantFixture,
} from './fixture.js';
export type { SsoTokenOverrides } from './sso.js';
export type { SandboxLogger } from './server.js';
export { isLoopbackAddress } from './admin-api.js';

export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 (default) picks any free port. */
  port?: number;
  /** Seed for pass codes, pass ids and injected faults; default 'contoso'. */
  seed?: string;
  /** Optional pino-like logger for internal failures. */
  logger?: SandboxLogger;
  /** Tests only: adjusts the freshly loaded fixture (e.g. extra groups) before the sandbox starts. */
  fixture?: (fixture: TenantFixture) => void;
}

export interface SandboxHandle {
  origin: string;
  graphBaseUrl: string;
  authorityHost: string;
  tenantId: string;
  sandboxUrl: string;
  caPem: string;
  app: {
    appId: string;
    clientSecret: string;
    ssoResource: string;
    ssoScope: string;
    consentedDelegatedScopes: string[];
    /** Graph application permissions the tenant consented for TapDesk's own identity (app-only). */
    consentedApplicationPermissions: string[];
  };
  tenant: TenantFixture;
  clock: { now(): Date; advanceMinutes(n: number): void };
  /** The SSO assertion Teams would give the bot for this user (upn, object id or Teams user id). */
  ssoToken(user: string, overrides?: SsoTokenOverrides): Promise<string>;
  /** Where the Entra custom extension callouts go: the bot's origin (http://127.0.0.1:<port>). */
  setBotOrigin(origin: string): void;
  close(): Promise<void>;
}

/** Starts the sandbox Contoso tenant (token service, Graph, admin API) on one HTTPS port of 127.0.0.1. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const fixture = loadTenantFixture();
  options.fixture?.(fixture);
  const tenantId = fixture.tenant.id;
  const appFixture = fixture.apps[0];
  if (!appFixture) throw new Error('Sandbox fixture has no apps[0]');
  // The RSA token-signing key dominates startup: generate it on the thread pool while the server starts.
  const signingKeys = generateRsaKeyPair();
  const certs = createSandboxCertificates();
  const clock = new SandboxClock();
  // The origin (and so the context) is only known once the port is bound.
  const ready: { context?: SandboxContext } = {};
  const { server, port } = await listenSandbox(
    certs,
    options.port ?? 0,
    () => {
      if (!ready.context) throw new Error('sandbox not ready');
      return ready.context;
    },
    options.logger,
  );
  const origin = `https://127.0.0.1:${port}`;
  const state = new SandboxState(
    options.seed ?? 'contoso',
    clock,
    fixture.tapPolicy,
    fixture.autopilot?.devices ?? [],
  );
  const ctx: SandboxContext = {
    fixture,
    // PIM activations in force count as roles everywhere: TAP rules, role reads, `wids`.
    directory: new Directory(fixture, (userId) => state.pim.activeRolesOf(userId, clock.now())),
    app: appFixture,
    tenantId,
    origin,
    graphBaseUrl: `${origin}/v1.0`,
    signer: await TokenSigner.create(`${origin}/${tenantId}/v2.0`, await signingKeys),
    state,
    clock,
  };
  ready.context = ctx;

  return {
    origin,
    graphBaseUrl: ctx.graphBaseUrl,
    authorityHost: origin,
    tenantId,
    sandboxUrl: `${origin}/_sandbox`,
    caPem: certs.caPem,
    app: {
      appId: appFixture.appId,
      clientSecret: appFixture.clientSecret,
      ssoResource: appFixture.ssoResource,
      ssoScope: appFixture.ssoScope,
      consentedDelegatedScopes: [...appFixture.consentedDelegatedScopes],
      consentedApplicationPermissions: [...(appFixture.consentedApplicationPermissions ?? [])],
    },
    tenant: structuredClone(fixture),
    clock: { now: () => clock.now(), advanceMinutes: (n) => clock.advanceMinutes(n) },
    async ssoToken(user, overrides) {
      const found = ctx.directory.findSsoUser(user);
      if (!found) throw new Error(`No sandbox user '${user}'`);
      return issueSsoAssertion(ctx, found, overrides);
    },
    setBotOrigin: (origin) => registerBotOrigin(ctx, origin),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
