import type { SandboxClock } from './clock.js';
import type { Directory } from './directory.js';
import type { FixtureApp, TenantFixture } from './fixture.js';
import type { SandboxState } from './state.js';
import type { TokenSigner } from './tokens.js';

/** Everything a sandbox handler may need, built once at startup. */
export interface SandboxContext {
  fixture: TenantFixture;
  directory: Directory;
  app: FixtureApp;
  tenantId: string;
  origin: string;
  graphBaseUrl: string;
  signer: TokenSigner;
  state: SandboxState;
  clock: SandboxClock;
}

/** Audiences Graph accepts: the resource URI (with or without slash) and Graph's app id. */
export const graphAudiences = [
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
  '00000003-0000-0000-c000-000000000000',
] as const;

/** The Teams desktop/web client id that appears as `azp` in the SSO tokens Teams hands to bots. */
export const teamsClientId = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';
