import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import {
  passStatusText,
  renderPassesCard,
  renderPassListCard,
  renderPolicyCard,
  renderRevokeConfirmCard,
} from '../cards/render.js';
import type { PassListScope } from '../chat/manage.js';
import { listOutstandingPasses, type ListedPass } from '../tap/pass-list.js';
import { issuerOf } from '../tap/request.js';
import { formatDuration, type ManageCommand } from '../chat/grammar.js';
import { problem } from '../errors/catalog.js';
import { ChatList, chatText } from '../text/plain.js';
import type { TapMethod, TapPolicy } from '../graph/port.js';
import { formatWhen } from '../tap/format.js';
import { attachCard } from '../tap/request-repository.js';
import { lookUpPass } from '../tap/revoke.js';
import type { Turn } from './turn.js';
import { problemCard } from '../cards/request-views.js';
import { ownTapPolicy } from '../graph/policy-graph.js';

async function sendCard(context: TurnContext, card: Record<string, unknown>): Promise<string | undefined> {
  return (await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card))))?.id;
}

const expiryOf = (p: TapMethod) => new Date(Date.parse(p.startDateTime) + p.lifetimeInMinutes * 60_000);

/**
 * `list TAP for alice` (the pass, with Revoke when allowed), `revoke TAP for alice` (a confirmation)
 * and `list TAPs [mine]` (every pass outstanding).
 */
export async function runManage(
  turn: Turn,
  command: Extract<ManageCommand, { kind: 'list' | 'revoke' }>,
): Promise<void> {
  if (!('who' in command)) return runPassList(turn, command.scope);
  const { context, deps, actor } = turn;
  const graph = await turn.graph();
  const found = await lookUpPass(deps.core, graph, {
    requester: { oid: actor.oid, name: actor.name },
    timeZone: actor.timeZone,
    conversationId: context.activity.conversation.id,
    who: command.who,
  });
  if (found.kind === 'problem') {
    await sendCard(context, problemCard(found.problem));
    return;
  }
  if (found.kind === 'ambiguous') {
    const names = new ChatList(found.users.map((u) => `${u.displayName} (${u.userPrincipalName})`));
    await context.sendActivity(
      chatText`Several people match '${command.who}': ${names}. Ask again with the full address, for example \`${command.kind} TAP for ${found.users[0]!.userPrincipalName}\`.`,
    );
    return;
  }
  const { target, pass, revokeRequest } = found.view;
  const now = deps.core.clock.now();
  const zone = actor.timeZone;
  let card;
  if (command.kind === 'revoke' && pass && revokeRequest) {
    card = renderRevokeConfirmCard({
      requestId: revokeRequest.id,
      targetName: target.displayName,
      targetUpn: target.userPrincipalName,
      createdText: formatWhen(new Date(pass.createdDateTime), zone, now),
      expiresText: formatWhen(expiryOf(pass), zone, now),
      usableText: pass.isUsable ? 'usable now' : `not usable (${pass.methodUsabilityReason})`,
      requesterName: actor.name,
      requestExpiresText: formatWhen(new Date(revokeRequest.expiresAt), zone, now),
    });
  } else {
    card = renderPassListCard({
      targetName: target.displayName,
      targetUpn: target.userPrincipalName,
      pass: pass
        ? {
            createdText: formatWhen(new Date(pass.createdDateTime), zone, now),
            startText: formatWhen(new Date(pass.startDateTime), zone, now),
            expiresText: formatWhen(expiryOf(pass), zone, now),
            lifetimeText: formatDuration(pass.lifetimeInMinutes),
            usableOnce: pass.isUsableOnce,
            usable: pass.isUsable,
            reasonText: pass.methodUsabilityReason,
          }
        : null,
      revokeRequestId: revokeRequest?.id ?? null,
    });
  }
  const messageId = await sendCard(context, card);
  if (messageId && revokeRequest) await attachCard(deps.core.requests, revokeRequest.id, messageId);
}

/** `list TAPs [mine]`: every pass TapDesk issued that is still outstanding, each with its own Revoke. */
async function runPassList(turn: Turn, scope: PassListScope): Promise<void> {
  const { context, deps, actor } = turn;
  const listed = await listOutstandingPasses(deps.core, await turn.graph(), {
    requester: turn.person,
    timeZone: actor.timeZone,
    conversationId: turn.conversationId,
    scope,
  });
  if (listed.kind === 'problem') {
    await sendCard(context, problemCard(listed.problem));
    return;
  }
  const now = turn.now();
  // No card id is recorded on the revoke requests: one message holds several, and a click answers
  // in place (its own 1:1 chat) or with the invoke response only.
  await sendCard(
    context,
    renderPassesCard({
      mine: scope === 'mine',
      more: listed.more,
      hidden: listed.hidden,
      rows: listed.rows.map((row) => ({
        targetName: row.request.target!.displayName,
        targetUpn: row.request.target!.userPrincipalName,
        issuerName: issuerOf(row.request).name,
        issuedText: formatWhen(new Date(row.request.outcome!.at), actor.timeZone, now),
        expiresText: formatWhen(new Date(row.request.outcome!.expiresAt!), actor.timeZone, now),
        usableOnce: row.request.outcome!.isUsableOnce ?? false,
        statusText: graphStatus(row.graph),
        revokeRequestId: row.graph.kind === 'live' ? (row.graph.revokeRequest?.id ?? null) : null,
      })),
    }),
  );
}

function graphStatus(graph: ListedPass['graph']): string {
  if (graph.kind === 'gone') return 'Gone from Entra (revoked, replaced or cleaned up): nothing to revoke';
  return passStatusText(graph.pass.isUsable, graph.pass.methodUsabilityReason);
}

/**
 * `tap policy`: the tenant's TAP policy, or why the caller may not read it. Its terms (lifetimes,
 * one-time) are on every card anyway; who it applies to only when the caller's own role may read it.
 */
export async function runPolicy(turn: Turn): Promise<void> {
  const { context } = turn;
  const graph = await turn.graph();
  const signal = AbortSignal.timeout(5_000);
  const own = await ownTapPolicy(graph, signal);
  const policy = own ?? (await graph.getTapPolicy(signal));
  if (!policy) {
    await sendCard(context, problemCard(problem('POLICY_NOT_READABLE')));
    return;
  }
  const view = policyView(policy);
  if (!own) {
    const hidden = 'not shown: your role cannot read who the policy applies to';
    view.includeText = hidden;
    view.excludeText = hidden;
  }
  await sendCard(context, renderPolicyCard(view));
}

function targetsText(targets: { id: string; targetType: string }[] | undefined, none: string): string {
  if (!targets?.length) return none;
  return targets.map((t) => (t.id === 'all_users' ? 'all users' : `${t.targetType} ${t.id}`)).join(', ');
}

function policyView(p: TapPolicy) {
  return {
    state: p.state,
    defaultLifetimeText: formatDuration(p.defaultLifetimeInMinutes),
    minimumLifetimeText: formatDuration(p.minimumLifetimeInMinutes),
    maximumLifetimeText: formatDuration(p.maximumLifetimeInMinutes),
    oneTimeText: p.isUsableOnce ? 'one-time passes only' : 'one-time or multi-use',
    length: p.defaultLength,
    includeText: targetsText(p.includeTargets, 'nobody'),
    excludeText: targetsText(p.excludeTargets, 'nobody'),
  };
}
