import { OnBehalfOfTokens } from '../src/auth/obo.js';
import { GRAPH_SCOPES } from '../src/config.js';
import { GraphTapClient } from '../src/graph/client.js';
import { dispatcherTrusting } from '../src/http-json.js';
import type { Stack } from './stack.js';
import { percentile, round } from './stats.js';

/** p50 (ms) of each remote step a TapDesk turn makes, each timed alone and one at a time. */
export interface Breakdown {
  reps: number;
  clockSync: number;
  ssoAssertion: number;
  /** A new assertion: a new credential and a real token request to the sandbox's token endpoint. */
  oboExchange: number;
  /** The same assertion again: MSAL answers from the credential's cache. */
  oboCached: number;
  graphGetUser: number;
}

async function p50(reps: number, step: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    await step();
    times.push(performance.now() - started);
  }
  return round(
    percentile(
      times.sort((a, b) => a - b),
      50,
    ),
  );
}

/**
 * Where a turn's time goes, step by step, using TapDesk's own OBO and Graph clients. The sandbox
 * mints an SSO assertion per turn, but RS256 signatures are deterministic and `iat` has one-second
 * resolution, so within a second the assertion is byte-identical and TapDesk's OBO cache (keyed by
 * assertion) hits. Hence both cases are timed.
 */
export async function measureBreakdown(stack: Stack, reps: number): Promise<Breakdown> {
  const { sandbox } = stack;
  const dana = stack.user('dana@contoso.com');
  const settings = {
    tenantId: sandbox.tenantId,
    clientId: sandbox.app.appId,
    clientSecret: sandbox.app.clientSecret,
    authorityHost: sandbox.authorityHost,
    scopes: GRAPH_SCOPES,
    caPem: sandbox.caPem,
  };
  const tokens = new OnBehalfOfTokens(settings);
  const clockSync = await p50(reps, () => stack.admin('GET', '/clock'));
  const ssoAssertion = await p50(reps, () => stack.admin('POST', '/sso-token', { user: dana.id }));
  // Distinct lifetimes give distinct assertions; minted before the timer so only the exchange is timed.
  const assertions: string[] = [];
  for (let i = 0; i < reps; i++)
    assertions.push(await sandbox.ssoToken(dana.id, { lifetimeSeconds: 3000 - i }));
  let next = 0;
  const oboExchange = await p50(reps, () => tokens.graphToken(assertions[next++]!));
  const oboCached = await p50(reps, () => tokens.graphToken(assertions[0]!));
  const accessToken = await tokens.graphToken(assertions[0]!);
  const dispatcher = dispatcherTrusting(sandbox.caPem);
  const graph = new GraphTapClient(accessToken, { baseUrl: sandbox.graphBaseUrl, dispatcher });
  const graphGetUser = await p50(reps, () => graph.getUser('alice@contoso.com'));
  await dispatcher?.close();
  return { reps, clockSync, ssoAssertion, oboExchange, oboCached, graphGetUser };
}
