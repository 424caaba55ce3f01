import { randomUUID } from 'node:crypto';
import type { FixtureUser } from '../../sandbox/index.js';
import type { Harness } from './bot-harness.js';

/** What the activity builders need: where replies go (the connector) and the tenant. */
export type World = Pick<Harness, 'connector' | 'sandbox'>;

export const TENANT_CONVERSATION = 'personal';

/** A Teams-shaped activity from a sandbox user, in their 1:1 chat with the bot unless told otherwise. */
function base(h: World, user: FixtureUser, conversationId?: string) {
  return {
    // The prefix lets the recording connector tell replies to the test from proactive sends.
    id: `test-${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl: h.connector.url,
    from: { id: user.teamsUserId, name: user.displayName, aadObjectId: user.id },
    recipient: { id: '28:tapdesk', name: 'TapDesk' },
    conversation: {
      id: conversationId ?? `a:1:${user.id}`,
      conversationType: 'personal',
      tenantId: h.sandbox.tenantId,
    },
    channelData: { tenant: { id: h.sandbox.tenantId } },
    localTimezone: 'Europe/Berlin',
    timestamp: new Date().toISOString(),
  };
}

export function message(h: World, user: FixtureUser, text: string, conversationId?: string) {
  return { ...base(h, user, conversationId), type: 'message', text };
}

/** An Action.Execute click as Teams sends it: the card's data plus every input value. */
export function click(
  h: World,
  user: FixtureUser,
  verb: string,
  data: Record<string, unknown>,
  options: { replyToId?: string; conversationId?: string; token?: string } = {},
) {
  return {
    ...base(h, user, options.conversationId),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: options.replyToId,
    value: {
      action: { type: 'Action.Execute', verb, data },
      trigger: 'manual',
      ...(options.token ? { authentication: { token: options.token } } : {}),
    },
  };
}

export interface PostResult {
  status: number;
  body: unknown;
}

/** POSTs an activity to the bot's /api/messages over real HTTP. */
export async function post(h: Harness, activity: unknown): Promise<PostResult> {
  return postTo(h.bot.url, activity);
}

/** POSTs an activity to any bot endpoint (e.g. a bot running as a child process). */
export async function postTo(url: string, activity: unknown): Promise<PostResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** The Adaptive Card in a sent or updated activity. */
export function cardOf(activity: Record<string, unknown>): Record<string, unknown> {
  const attachments = activity.attachments as
    { contentType: string; content: Record<string, unknown> }[] | undefined;
  const card = attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!card) throw new Error(`no adaptive card in ${JSON.stringify(activity).slice(0, 300)}`);
  return card.content;
}

/** Finds the first Action.Execute with this verb anywhere in a card and returns its data. */
export function actionData(card: unknown, verb: string): Record<string, unknown> {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' && o.verb === verb) found.push(o.data as Record<string, unknown>);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  if (!found[0]) throw new Error(`no ${verb} action in card`);
  return found[0];
}

/** The sandbox fixture's "TAP approvals" channel, the approvers' conversation in sandbox mode. */
export const APPROVALS_CHANNEL = '19:sandbox-helpdesk-approvals@thread.tacv2';

/** The same activity, in a channel or group chat instead of the sender's 1:1 chat. */
export function inConversation<T extends { conversation: object; channelData: object }>(
  activity: T,
  id: string,
  type: 'channel' | 'groupChat' = 'channel',
): T {
  return {
    ...activity,
    conversation: { ...activity.conversation, id, conversationType: type, isGroup: true },
    channelData: {
      ...activity.channelData,
      ...(type === 'channel' ? { team: { id: '19:sandbox-it-team@thread.tacv2' }, channel: { id } } : {}),
    },
  };
}

/** What Teams sends when someone adds the bot to a channel or group chat. */
export function botAdded(h: World, by: FixtureUser, id: string, type: 'channel' | 'groupChat' = 'channel') {
  return inConversation(
    {
      ...base(h, by),
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:tapdesk', name: 'TapDesk' }],
    },
    id,
    type,
  );
}

/**
 * Teams' installationUpdate: the app was installed ('add') or removed ('remove') by `by`, in their
 * 1:1 chat unless a channel or group chat is named (for a team, its General channel).
 */
export function installationUpdate(
  h: World,
  by: FixtureUser,
  action: 'add' | 'remove' | 'add-upgrade',
  where?: { id: string; type: 'channel' | 'groupChat' },
) {
  const activity = { ...base(h, by), type: 'installationUpdate', action };
  return where ? inConversation(activity, where.id, where.type) : activity;
}

/** What Teams sends besides installationUpdate when a person installs the app: the bot joins their 1:1 chat. */
export function botAddedToPersonalChat(h: World, user: FixtureUser) {
  return {
    ...base(h, user),
    type: 'conversationUpdate',
    membersAdded: [{ id: '28:tapdesk', name: 'TapDesk' }],
  };
}
