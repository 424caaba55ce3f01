import {
  Client,
  MiddlewareFactory,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import type { Dispatcher } from 'undici';
import {
  USER_FIELDS,
  createBatchBody,
  createResults,
  lookupBatchBody,
  lookupResults,
  managerBatchBody,
  managerResults,
  type BatchRequestBody,
  type CreateTapItem,
} from './batch.js';
import { toGraphFailure, GraphFailure } from './failure.js';
import { nextLinkOf } from './next-link.js';
import type {
  BatchCreateResult,
  CreateTapBody,
  CreatedTap,
  DirectoryRole,
  DirectoryUser,
  ManagerLookup,
  TapGraph,
  TapMethod,
  TapPolicy,
  UserLookup,
  UserSearch,
} from './port.js';

/** Bounds a membership check: 50 pages of 999 groups, far beyond any real user's memberships. */
const MAX_MEMBERSHIP_PAGES = 50;
export const TAP_POLICY_PATH =
  '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';

/** One Graph call as seen by telemetry: never bodies of responses (a create response holds the pass). */
export interface GraphCallRecord {
  method: string;
  url: string;
  status: number;
  ms: number;
  requestBody: unknown;
}

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com/v1.0 or the sandbox's https://127.0.0.1:<port>/v1.0 */
  baseUrl: string;
  /** Carries the extra trusted CA for the sandbox; undefined means the platform defaults. */
  dispatcher?: Dispatcher;
  onCall?: (call: GraphCallRecord) => void;
}

/** Graph middleware that reports each HTTP exchange (method, url, status, duration) to a callback. */
function telemetryMiddleware(onCall: (call: GraphCallRecord) => void): Middleware {
  let next: Middleware | undefined;
  return {
    async execute(context: Context) {
      const started = performance.now();
      try {
        await next!.execute(context);
      } finally {
        const request = context.request as Request | string;
        const body = context.options?.body;
        onCall({
          method: (
            context.options?.method ?? (typeof request === 'string' ? 'GET' : request.method)
          ).toUpperCase(),
          url: typeof request === 'string' ? request : request.url,
          status: context.response?.status ?? 0,
          ms: performance.now() - started,
          requestBody: typeof body === 'string' ? safeJson(body) : undefined,
        });
      }
    },
    setNext(middleware: Middleware) {
      next = middleware;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An OData string literal: single quotes doubled, so the text cannot end the literal. */
export const odataQuote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Graph, on behalf of the admin whose access token this client carries. */
export class GraphTapClient implements TapGraph {
  private readonly client: Client;
  private readonly base: URL;

  constructor(accessToken: string, options: GraphClientOptions) {
    const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.base = base;
    const authProvider = { getAccessToken: async () => accessToken };
    const chain = MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
    if (options.onCall) chain.splice(chain.length - 1, 0, telemetryMiddleware(options.onCall));
    this.client = Client.initWithMiddleware({
      middleware: chain,
      baseUrl: `${base.origin}/`,
      defaultVersion: base.pathname.replace(/^\/|\/$/g, ''),
      // Without customHosts the SDK silently drops the Authorization header for non-Graph hosts.
      customHosts: new Set([base.hostname]),
      fetchOptions: options.dispatcher ? ({ dispatcher: options.dispatcher } as RequestInit) : undefined,
    });
  }

  async getUser(idOrUpn: string, signal?: AbortSignal): Promise<DirectoryUser | null> {
    return this.nullOn404(() =>
      this.get(`/users/${encodeURIComponent(idOrUpn)}`, signal)
        .select(USER_FIELDS)
        .get(),
    );
  }

  async getHireDate(userId: string, signal?: AbortSignal): Promise<string | null> {
    const user = (await this.call(() =>
      this.get(`/users/${encodeURIComponent(userId)}`, signal)
        .select('employeeHireDate')
        .get(),
    )) as { employeeHireDate?: string | null };
    return user.employeeHireDate ?? null;
  }

  async getMobilePhone(userId: string, signal?: AbortSignal): Promise<string | null> {
    const user = (await this.nullOn404(() =>
      this.get(`/users/${encodeURIComponent(userId)}`, signal)
        .select('mobilePhone')
        .get(),
    )) as { mobilePhone?: string | null } | null;
    return user?.mobilePhone?.trim() || null;
  }

  async findUsers(search: UserSearch, limit: number, signal?: AbortSignal): Promise<DirectoryUser[]> {
    const text = odataQuote(search.text);
    const filter =
      search.by === 'upnOrMailPrefix'
        ? `startswith(userPrincipalName,${text}) or startswith(mail,${text})`
        : `startswith(displayName,${text})`;
    const page = await this.call(() =>
      this.get('/users', signal).filter(filter).select(USER_FIELDS).top(limit).get(),
    );
    return (page as { value: DirectoryUser[] }).value;
  }

  async getManager(userId: string, signal?: AbortSignal): Promise<DirectoryUser | null> {
    return this.nullOn404(() =>
      this.get(`/users/${encodeURIComponent(userId)}/manager`, signal)
        .select(USER_FIELDS)
        .get(),
    );
  }

  async getRoles(userId: string | 'me', signal?: AbortSignal): Promise<DirectoryRole[]> {
    const who = userId === 'me' ? '/me' : `/users/${encodeURIComponent(userId)}`;
    const page = await this.call(() =>
      this.get(`${who}/transitiveMemberOf/microsoft.graph.directoryRole`, signal)
        .select('displayName,roleTemplateId')
        .get(),
    );
    return (page as { value: DirectoryRole[] }).value;
  }

  async isMemberOf(groupId: string, signal?: AbortSignal): Promise<boolean> {
    const wanted = groupId.toLowerCase();
    let request = this.get('/me/transitiveMemberOf/microsoft.graph.group', signal).select('id').top(999);
    for (let page = 1; ; page++) {
      const current = request;
      const body = (await this.call(() => current.get())) as {
        value?: { id?: unknown }[];
        '@odata.nextLink'?: unknown;
      };
      if ((body.value ?? []).some((g) => typeof g.id === 'string' && g.id.toLowerCase() === wanted))
        return true;
      // Fail closed rather than answer "not a member" for memberships we never saw.
      const next = nextLinkOf(
        body,
        page,
        MAX_MEMBERSHIP_PAGES,
        (url) => this.isOwnUrl(url),
        'Group memberships',
      );
      if (next === undefined) return false;
      request = this.get(next, signal);
    }
  }

  async listTaps(userId: string, signal?: AbortSignal): Promise<TapMethod[]> {
    const page = await this.call(() =>
      this.get(
        `/users/${encodeURIComponent(userId)}/authentication/temporaryAccessPassMethods`,
        signal,
      ).get(),
    );
    return (page as { value: TapMethod[] }).value;
  }

  async getTapPolicy(signal?: AbortSignal): Promise<TapPolicy | null> {
    try {
      return (await this.call(() => this.get(TAP_POLICY_PATH, signal).get())) as TapPolicy;
    } catch (error) {
      // Helpdesk callers usually lack the policy reader roles; the create call stays the authority.
      if (error instanceof GraphFailure && error.status === 403) return null;
      throw error;
    }
  }

  async deleteTap(userId: string, methodId: string, signal?: AbortSignal): Promise<boolean> {
    // Deleting by method id is idempotent and can only ever remove that one pass, so the SDK's
    // retries (429 / 5xx) are safe here, unlike for the create.
    const path = `/users/${encodeURIComponent(userId)}/authentication/temporaryAccessPassMethods/${encodeURIComponent(methodId)}`;
    return (
      (await this.nullOn404(async () => {
        await this.get(path, signal).delete();
        return true;
      })) ?? false
    );
  }

  async createTap(userId: string, body: CreateTapBody, signal?: AbortSignal): Promise<CreatedTap> {
    return (await this.call(() =>
      this.get(`/users/${encodeURIComponent(userId)}/authentication/temporaryAccessPassMethods`, signal)
        // A retried create silently replaces a pass that may already have been handed out.
        .middlewareOptions([new RetryHandlerOptions(0, 0, () => false)])
        .post(body),
    )) as CreatedTap;
  }

  async lookupUsers(keys: string[], signal?: AbortSignal): Promise<UserLookup[]> {
    const body = lookupBatchBody(keys);
    return lookupResults(keys, await this.postBatch(body, signal));
  }

  async createTaps(items: CreateTapItem[], signal?: AbortSignal): Promise<BatchCreateResult[]> {
    const body = createBatchBody(items);
    return createResults(items, await this.postBatch(body, signal));
  }

  async lookupManagers(userIds: string[], signal?: AbortSignal): Promise<ManagerLookup[]> {
    const body = managerBatchBody(userIds);
    return managerResults(userIds, await this.postBatch(body, signal));
  }

  /** One `$batch` POST, never retried: it may hold creates, and items are each the caller's to retry. */
  private async postBatch(body: BatchRequestBody, signal?: AbortSignal): Promise<unknown> {
    return this.call(() =>
      this.get('/$batch', signal)
        .middlewareOptions([new RetryHandlerOptions(0, 0, () => false)])
        .post(body),
    );
  }

  protected get(path: string, signal?: AbortSignal) {
    const request = this.client.api(path);
    return signal ? request.option('signal', signal) : request;
  }

  protected isOwnUrl(url: string): boolean {
    try {
      const parsed = new URL(url);
      return parsed.origin === this.base.origin && parsed.pathname.startsWith(this.base.pathname);
    } catch {
      return false;
    }
  }

  protected async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toGraphFailure(error);
    }
  }

  private async nullOn404<T>(run: () => Promise<T>): Promise<T | null> {
    try {
      return await this.call(run);
    } catch (error) {
      if (error instanceof GraphFailure && error.status === 404) return null;
      throw error;
    }
  }
}
