import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { describeAuditEvent } from '../cards/audit-rows.js';
import { renderAuditCard } from '../cards/render.js';
import type { Command } from '../chat/grammar.js';
import { problem } from '../errors/catalog.js';
import { ChatList, chatText } from '../text/plain.js';
import { resolveTarget } from '../tap/resolve.js';
import { mayReadAudit } from '../tap/roles.js';
import type { Turn } from './turn.js';
import { problemCard } from '../cards/request-views.js';

export type AuditCommand = Extract<Command, { kind: 'audit' }>;

/** `audit for alice` / `audit last 20`: the trail, for people whose Entra roles cover passes. */
export async function runAudit(turn: Turn, command: AuditCommand): Promise<void> {
  const { context, deps, actor } = turn;
  const graph = await turn.graph();
  const signal = AbortSignal.timeout(5_000);
  const roles = await graph.getRoles('me', signal);
  if (!mayReadAudit(roles)) {
    await sendCard(context, problemCard(problem('AUDIT_NOT_ALLOWED')));
    return;
  }
  let title = `Last ${command.last} TAP events`;
  let events;
  if (command.who) {
    const found = await resolveTarget(graph, command.who, signal);
    if (found.kind === 'none') {
      await sendCard(context, problemCard(problem('TAP_USER_NOT_FOUND', { who: command.who })));
      return;
    }
    if (found.kind === 'many') {
      const names = new ChatList(found.users.map((u) => `${u.displayName} (${u.userPrincipalName})`));
      await context.sendActivity(
        chatText`Several people match '${command.who}': ${names}. Ask again with the full address, for example \`audit for ${found.users[0]!.userPrincipalName}\`.`,
      );
      return;
    }
    title = `Last ${command.last} TAP events for ${found.user.displayName}`;
    events = await deps.core.audit.forTarget(found.user.id, command.last);
  } else {
    events = await deps.core.audit.recent(command.last);
  }
  const now = deps.core.clock.now();
  await sendCard(
    context,
    renderAuditCard({
      title,
      rows: events.map((e) => describeAuditEvent(e, actor.timeZone, now)),
      emptyText: 'No events recorded yet.',
      footer: 'Newest first. The full trail: `npm run audit:export` on the server.',
    }),
  );
}

async function sendCard(context: TurnContext, card: Record<string, unknown>): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
