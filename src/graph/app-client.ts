import { Client, MiddlewareFactory } from '@microsoft/microsoft-graph-client';
import type { Dispatcher } from 'undici';
import { AppTokenError, type AppTokenSource } from '../auth/app-tokens.js';
import { GraphFailure } from './failure.js';

/** Where TapDesk's own (app-only) Graph reads go, and with which identity. */
export interface AppGraphOptions {
  /** e.g. https://graph.microsoft.com/v1.0 or the sandbox's https://127.0.0.1:<port>/v1.0 */
  baseUrl: string;
  tokens: AppTokenSource;
  /** Carries the extra trusted CA for the sandbox; undefined means the platform defaults. */
  dispatcher?: Dispatcher;
}

/** The base URL with a trailing slash, so relative paths and nextLink checks stay under it. */
export function graphBase(baseUrl: string): URL {
  return new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
}

/**
 * A Graph client carrying a fresh (cached by @azure/identity) app-only token. A token that cannot be
 * had is a GraphFailure with status 0, so callers handle it like any other failed read.
 */
export async function appGraphClient(options: AppGraphOptions, signal?: AbortSignal): Promise<Client> {
  const base = graphBase(options.baseUrl);
  let token: string;
  try {
    token = await options.tokens.graphAppToken(signal);
  } catch (error) {
    const message = error instanceof AppTokenError ? error.message : String(error);
    const failure = new GraphFailure(0, 'appTokenFailed', message, undefined, undefined);
    failure.cause = error;
    throw failure;
  }
  const authProvider = { getAccessToken: async () => token };
  return Client.initWithMiddleware({
    middleware: MiddlewareFactory.getDefaultMiddlewareChain(authProvider),
    baseUrl: `${base.origin}/`,
    defaultVersion: base.pathname.replace(/^\/|\/$/g, ''),
    // Without customHosts the SDK silently drops the Authorization header for non-Graph hosts.
    customHosts: new Set([base.hostname]),
    fetchOptions: options.dispatcher ? ({ dispatcher: options.dispatcher } as RequestInit) : undefined,
  });
}
