import { createHash } from 'node:crypto';
import { Agent } from 'node:https';
import { OnBehalfOfCredential, type AuthorityValidationOptions } from '@azure/identity';
import { problem, ProblemError } from '../errors/catalog.js';

export interface OboSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  scopes: string[];
  /** Extra CA to trust (the sandbox's); handed to this client only, never to the whole process. */
  caPem?: string;
}

/** The user's assertion could not be exchanged and a fresh one from Teams may fix it. */
export class LoginRequiredError extends Error {
  constructor(readonly reason: string) {
    super(`login required: ${reason}`);
    this.name = 'LoginRequiredError';
  }
}

/** Exchanges a user's Teams SSO assertion for a delegated Graph token (OAuth 2.0 On-Behalf-Of). */
export interface DelegatedTokenSource {
  /** A token for the configured scopes, or for `scopes` when given (a command that needs other rights). */
  graphToken(assertion: string, signal?: AbortSignal, scopes?: string[]): Promise<string>;
}

const CACHE_LIMIT = 500;

/**
 * OBO through @azure/identity. One credential per assertion, cached, because the credential caches the
 * Graph token it obtained; a new assertion (new Teams token) simply gets a new credential.
 */
export class OnBehalfOfTokens implements DelegatedTokenSource {
  private readonly credentials = new Map<string, OnBehalfOfCredential>();
  private readonly agent: Agent | undefined;

  constructor(private readonly settings: OboSettings) {
    this.agent = settings.caPem ? new Agent({ ca: settings.caPem, keepAlive: true }) : undefined;
  }

  async graphToken(assertion: string, signal?: AbortSignal, scopes?: string[]): Promise<string> {
    try {
      const token = await this.credentialFor(assertion).getToken(scopes ?? this.settings.scopes, {
        abortSignal: signal,
      });
      return token.token;
    } catch (error) {
      throw classifyOboError(error);
    }
  }

  private credentialFor(assertion: string): OnBehalfOfCredential {
    const key = createHash('sha256').update(assertion).digest('base64url');
    let credential = this.credentials.get(key);
    if (!credential) {
      if (this.credentials.size >= CACHE_LIMIT)
        this.credentials.delete(this.credentials.keys().next().value!);
      // The typed overloads omit disableInstanceDiscovery; without it MSAL asks the public cloud
      // which authority hosts exist, which fails for the sandbox and sovereign clouds.
      const discovery: AuthorityValidationOptions = { disableInstanceDiscovery: true };
      credential = new OnBehalfOfCredential({
        tenantId: this.settings.tenantId,
        clientId: this.settings.clientId,
        clientSecret: this.settings.clientSecret,
        userAssertionToken: assertion,
        authorityHost: this.settings.authorityHost,
        ...discovery,
        ...(this.agent ? { agent: this.agent } : {}),
      });
      this.credentials.set(key, credential);
    }
    return credential;
  }
}

/** Maps Entra's answer to the OBO request: a bad or stale assertion asks for login, consent gaps are catalog problems. */
export function classifyOboError(error: unknown): Error {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  if (/AADSTS65001|consent/i.test(text)) return new ProblemError(problem('CONSENT_REQUIRED'));
  if (/invalid_grant|AADSTS50013|AADSTS500133|AADSTS50173|interaction_required/i.test(text)) {
    return new LoginRequiredError(/AADSTS\d+/.exec(text)?.[0] ?? 'invalid_grant');
  }
  if (/AbortError|aborted/i.test(text)) return new ProblemError(problem('TAP_GRAPH_UNAVAILABLE'));
  // invalid_client and friends are our configuration, not the user's fault: log it and say so plainly.
  const wrapped = new ProblemError(problem('UNEXPECTED'));
  wrapped.cause = error;
  return wrapped;
}
