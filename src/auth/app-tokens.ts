import { Agent } from 'node:https';
import { ClientSecretCredential, type AuthorityValidationOptions } from '@azure/identity';
import { GRAPH_APP_SCOPE } from '../config.js';
import { VERIFIED_ID_APP_SCOPE } from '../facecheck/settings.js';

export interface AppTokenSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  /** Extra CA to trust (the sandbox's); handed to this client only, never to the whole process. */
  caPem?: string;
}

/** App-only (client credentials) Graph tokens for TapDesk's own identity. */
export interface AppTokenSource {
  /** A token for `https://graph.microsoft.com/.default`: only the application permissions consented. */
  graphAppToken(signal?: AbortSignal): Promise<string>;
}

/** The client credentials exchange failed (wrong secret, unknown app, Entra unreachable…). */
export class AppTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppTokenError';
  }
}

/**
 * Client credentials through @azure/identity's ClientSecretCredential, with the same authority
 * handling as the OBO exchange (src/auth/obo.ts): the configured authority host, no instance
 * discovery, the extra CA for this client only. One credential for the process; it caches the token
 * and renews it before expiry.
 */
export class ClientSecretAppTokens implements AppTokenSource {
  private readonly credential: ClientSecretCredential;

  constructor(settings: AppTokenSettings) {
    // The typed overloads omit disableInstanceDiscovery; without it MSAL asks the public cloud
    // which authority hosts exist, which fails for the sandbox and sovereign clouds.
    const discovery: AuthorityValidationOptions = { disableInstanceDiscovery: true };
    const agent = settings.caPem ? new Agent({ ca: settings.caPem, keepAlive: true }) : undefined;
    this.credential = new ClientSecretCredential(
      settings.tenantId,
      settings.clientId,
      settings.clientSecret,
      {
        authorityHost: settings.authorityHost,
        ...discovery,
        ...(agent ? { agent } : {}),
      },
    );
  }

  async graphAppToken(signal?: AbortSignal): Promise<string> {
    return this.appToken(GRAPH_APP_SCOPE, signal);
  }

  /** A token for the Verified ID Request Service (`3db474b9-…/.default`): its presentation role only. */
  async verifiedIdAppToken(signal?: AbortSignal): Promise<string> {
    return this.appToken(VERIFIED_ID_APP_SCOPE, signal);
  }

  /** A token for Azure Communication Services (SMS); in Azure the managed identity is used instead. */
  async communicationAppToken(signal?: AbortSignal): Promise<string> {
    return this.appToken('https://communication.azure.com//.default', signal);
  }

  private async appToken(scope: string, signal?: AbortSignal): Promise<string> {
    try {
      const token = await this.credential.getToken(scope, { abortSignal: signal });
      return token.token;
    } catch (error) {
      const reason = /AADSTS\d+/.exec(error instanceof Error ? error.message : String(error))?.[0];
      throw new AppTokenError(
        `TapDesk could not get an app-only token for ${scope === GRAPH_APP_SCOPE ? 'Graph' : scope}${reason ? ` (${reason})` : ''}`,
        { cause: error },
      );
    }
  }
}
