import { randomUUID } from 'node:crypto';
import { Agent } from 'undici';
import type { FixtureUser } from '../sandbox/index.js';

/** What a Teams-shaped activity needs to know about where it is going. */
export interface Target {
  serviceUrl: string;
  tenantId: string;
}

function base(t: Target, user: FixtureUser) {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: t.serviceUrl,
    from: { id: user.teamsUserId, name: user.displayName, aadObjectId: user.id },
    recipient: { id: '28:tapdesk', name: 'TapDesk' },
    conversation: { id: conversationOf(user), conversationType: 'personal', tenantId: t.tenantId },
    channelData: { tenant: { id: t.tenantId } },
    localTimezone: 'Europe/Berlin',
    timestamp: new Date().toISOString(),
  };
}

/** The user's 1:1 chat with the bot, as the test helpers name it. */
export const conversationOf = (user: FixtureUser) => `a:1:${user.id}`;

export function message(t: Target, user: FixtureUser, text: string) {
  return { ...base(t, user), type: 'message', text };
}

/** An Action.Execute click (`adaptiveCard/action` invoke) on the card with activity id replyToId. */
export function click(
  t: Target,
  user: FixtureUser,
  verb: string,
  data: Record<string, unknown>,
  replyToId?: string,
) {
  return {
    ...base(t, user),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** One keep-alive pool for every POST, so both bots see the same client behaviour. */
const client = new Agent({ keepAliveTimeout: 10_000, connections: 32 });

export interface Posted {
  status: number;
  text: string;
}

/** POSTs an activity to a bot's /api/messages over real HTTP and reads the whole answer. */
export async function post(url: string, activity: unknown): Promise<Posted> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
    dispatcher: client,
  } as RequestInit);
  return { status: response.status, text: await response.text() };
}

export async function closeClient(): Promise<void> {
  await client.close();
}

/** The data of the first Action.Execute with this verb anywhere in an activity's card. */
export function actionData(node: unknown, verb: string): Record<string, unknown> | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = actionData(item, verb);
      if (found) return found;
    }
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Execute' && o.verb === verb) return o.data as Record<string, unknown>;
    for (const value of Object.values(o)) {
      const found = actionData(value, verb);
      if (found) return found;
    }
  }
  return undefined;
}
