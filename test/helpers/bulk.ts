// Driving a bulk through the bot: send a CSV, click its card, wait for the run, accept the file.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { NoticeQueue } from '../../src/notices/queue.js';
import type { FixtureUser } from '../../sandbox/index.js';
import { newHireUpn } from '../../sandbox/new-hires.js';
import {
  actionData,
  APPROVALS_CHANNEL,
  botAdded,
  cardOf,
  click,
  inConversation,
  post,
  type PostResult,
} from './activities.js';
import { startHarness, type Harness } from './bot-harness.js';
import type { ConnectorCall } from './connector.js';
import { fileConsentInvoke, fileMessage } from './files.js';
import { openUploadSession, putUserFile, readUploadedFile, sandboxState } from './sandbox-admin.js';

export const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';

/**
 * A bot for approval flows of bulks: `newHires` generated people, hourly limits out of the way, and
 * TapDesk added to the approvers' channel (by Dana).
 */
export async function startApprovalsHarness(newHires: number): Promise<Harness> {
  const h = await startHarness(
    { TAP_LIMIT_PER_ISSUER_PER_HOUR: '1000', TAP_LIMIT_TENANT_PER_HOUR: '1000' },
    { newHires },
  );
  await post(h, botAdded(h, h.user('dana@contoso.com'), APPROVALS_CHANNEL));
  return h;
}

/** A CSV of `count` generated new hires from the `first`-th on, with only the `user` column. */
export const newHiresCsv = (first: number, count: number) =>
  ['user', ...Array.from({ length: count }, (_, i) => newHireUpn(first + i))].join('\n');

/** A click made on the approvers' card, in its channel thread. */
export const inApproversThread = (activity: ReturnType<typeof click>) =>
  inConversation(activity, `${APPROVALS_CHANNEL};messageid=1`);

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Drops a CSV file into the user's 1:1 chat; returns the bulk card the bot answered with. */
export async function sendCsv(h: Harness, user: FixtureUser, name: string, csv: string) {
  const file = await putUserFile(h, name, csv);
  const before = h.connector.sent().length;
  const turn = await post(h, fileMessage(h, user, file.attachment));
  expect(turn.status).toBe(200);
  const reply = h.connector.sent()[before];
  if (!reply) throw new Error('the bot did not answer the file');
  return reply;
}

/** The facts of a card as title → value. */
export function factsOf(card: unknown): Record<string, string> {
  const facts: Record<string, string> = {};
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'FactSet')
        for (const f of o.facts as { title: string; value: string }[]) facts[f.title] = f.value;
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return facts;
}

export async function clickBulk(
  h: Harness,
  user: FixtureUser,
  reply: ConnectorCall,
  verb: string,
  extra: Record<string, unknown> = {},
  conversationId?: string,
): Promise<PostResult> {
  const { bulkId } = actionData(cardOf(reply.activity), verb);
  return post(h, click(h, user, verb, { bulkId, ...extra }, { replyToId: reply.assignedId, conversationId }));
}

/** The file consent card the bot offered in this conversation, once the run has finished. */
export async function consentCard(h: Harness, conversationId: string, ms = 30_000) {
  const call = await waitFor(
    'the file consent card',
    () =>
      h.connector
        .proactive(conversationId)
        .find((c) =>
          (c.activity.attachments as { contentType: string }[] | undefined)?.some(
            (a) => a.contentType === FILE_CONSENT,
          ),
        ),
    ms,
  );
  const attachment = (
    call.activity.attachments as { contentType: string; name: string; content: Record<string, unknown> }[]
  ).find((a) => a.contentType === FILE_CONSENT)!;
  return { call, attachment };
}

/** Accepts the offered file like Teams does and returns the uploaded CSV's rows. */
export async function acceptFile(h: Harness, user: FixtureUser, conversationId = `a:1:${user.id}`) {
  const { call, attachment } = await consentCard(h, conversationId);
  const uploadInfo = await openUploadSession(h, attachment.name);
  const turn = await post(
    h,
    fileConsentInvoke(
      h,
      user,
      { action: 'accept', context: attachment.content.acceptContext, uploadInfo },
      { replyToId: call.assignedId },
    ),
  );
  expect(turn.status).toBe(200);
  const file = await readUploadedFile(h, uploadInfo.uniqueId);
  return { file, attachment, rows: csvRows(file.content) };
}

export function csvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\r\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i]!, v])));
}

/** Passes in the sandbox per user id, and whether each delivered code is the one Graph created. */
export async function passesByUser(h: Harness) {
  const state = await sandboxState(h);
  const byUser = new Map<string, typeof state.passes>();
  for (const p of state.passes) byUser.set(p.userId, [...(byUser.get(p.userId) ?? []), p]);
  return { state, byUser };
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Create POSTs the sandbox saw per user, by status (inside $batch each item is logged). */
export function createsPerUser(graphLog: { method: string; path: string; status: number }[]) {
  const per = new Map<string, number[]>();
  for (const entry of graphLog) {
    const m = /^\/v1\.0\/users\/([^/]+)\/authentication\/temporaryAccessPassMethods$/.exec(entry.path);
    if (entry.method !== 'POST' || !m) continue;
    const id = decodeURIComponent(m[1]!);
    per.set(id, [...(per.get(id) ?? []), entry.status]);
  }
  return per;
}

/** Notices still queued about a request or bulk, due or not (sent and given-up ones are deleted). */
export async function queuedNoticesFor(h: Harness, id: string): Promise<number> {
  const all = await new NoticeQueue(h.store).due(new Date('2100-01-01T00:00:00Z'), 1_000);
  return all.filter((n) => n.value.requestId === id).length;
}
