import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { parseCommand, type Command } from '../chat/grammar.js';
import { helpText } from '../cards/render.js';
import { runHelp } from './help-command.js';
import { runManage, runPolicy } from './manage-command.js';
import { LoginRequiredError } from '../auth/obo.js';
import { ProblemError } from '../errors/catalog.js';
import { attachCard } from '../tap/requests.js';
import { prepareIssue, type IssueCommand } from '../tap/prepare.js';
import { actorOf, type Actor } from './actor.js';
import { runAudit } from './audit-command.js';
import { runRequest } from './request-command.js';
import type { TapGraph } from '../graph/port.js';
import { logProblemCause, turnFields, type TeamsDeps } from './context.js';
import { choiceCard, confirmCard } from '../cards/request-views.js';
import { sendProblemCard } from './card-replies.js';
import { fileOf, runBulkCommand, runBulkFile, type BulkFileCommand } from './bulk-command.js';

/** Handles a chat message: parse, then prepare an issue request and show its card. */
export async function onMessage(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const actor = actorOf(context.activity);
  if (!actor) {
    await context.sendActivity('I can only help people signed in with a work account in this organisation.');
    return;
  }
  // A file in the 1:1 chat is a bulk list; its message text, if any, is ignored.
  const file = fileOf(context);
  if (file) return runActing(context, deps, actor, file);
  const parsed = parseCommand(context.activity.text ?? '');
  if (!parsed.ok) {
    deps.log.info(
      { ...turnFields(context), event: 'command.rejected', code: parsed.error.code },
      'command.rejected',
    );
    await context.sendActivity(parsed.error.message);
    return;
  }
  await runActing(context, deps, actor, parsed.command);
}

/** Every command acts as the user in Graph (even help reads their roles), so it needs their token. */
export type ActingCommand = Exclude<Command, { kind: 'help' }> | { kind: 'help' } | BulkFileCommand;

/** Gets the actor's Graph access and runs the command; asks Teams for a token when there is none. */
export async function runActing(
  context: TurnContext,
  deps: TeamsDeps,
  actor: Actor,
  command: ActingCommand,
): Promise<void> {
  try {
    const graph = await deps.graph.forUser(context, actor.oid, AbortSignal.timeout(5_000));
    switch (command.kind) {
      case 'issue':
        return await runIssue(context, deps, actor, graph, command);
      case 'bulk':
        return await runBulkCommand(context, deps, actor, graph, command);
      case 'bulk-file':
        return await runBulkFile(context, deps, actor, graph, command);
      case 'audit':
        return await runAudit(context, deps, actor, graph, command);
      case 'request':
        return await runRequest(context, deps, actor, graph, command);
      case 'list':
      case 'revoke':
        return await runManage(context, deps, actor, graph, command);
      case 'policy':
        return await runPolicy(context, graph);
      case 'help':
        return await runHelp(context, graph, deps.core.roleReader !== undefined);
    }
  } catch (error) {
    // Help never needs a sign-in prompt: without a token it simply shows every command.
    if (error instanceof LoginRequiredError && command.kind === 'help')
      return void (await context.sendActivity(helpText()));
    if (error instanceof LoginRequiredError) return askForToken(context, deps, actor, command);
    if (error instanceof ProblemError) {
      logProblemCause(deps, context, error);
      return sendProblemCard(context, error.problem);
    }
    throw error;
  }
}

/** Prepares an issue request as the actor and posts the resulting card. */
async function runIssue(
  context: TurnContext,
  deps: TeamsDeps,
  actor: Actor,
  graph: TapGraph,
  command: IssueCommand,
): Promise<void> {
  const started = performance.now();
  const outcome = await prepareIssue(deps.core, graph, {
    requester: { oid: actor.oid, name: actor.name },
    timeZone: actor.timeZone,
    utcOffsetMinutes: actor.utcOffsetMinutes,
    conversationId: context.activity.conversation.id,
    command,
  });
  const now = deps.core.clock.now();
  deps.log.info(
    {
      ...turnFields(context),
      event: 'issue.prepared',
      outcome: outcome.kind,
      ms: Math.round(performance.now() - started),
      ...(outcome.kind === 'problem' ? { code: outcome.problem.code } : {}),
    },
    'issue.prepared',
  );
  if (outcome.kind === 'problem') return sendProblemCard(context, outcome.problem);
  const request = outcome.kind === 'choose' ? outcome.request : outcome.view.request;
  const card =
    outcome.kind === 'choose' ? choiceCard(outcome.request, outcome.more) : confirmCard(outcome.view, now);
  const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  if (sent?.id) await attachCard(deps.core.requests, request.id, sent.id);
}

/**
 * Message-turn SSO: an OAuth card with a token exchange resource makes Teams send us the user's SSO
 * token in a `signin/tokenExchange` invoke, after which the command is replayed. Channels have no
 * message-turn SSO, so there we say where to go instead.
 */
async function askForToken(
  context: TurnContext,
  deps: TeamsDeps,
  actor: Actor,
  command: ActingCommand,
): Promise<void> {
  if (context.activity.conversation.conversationType === 'channel') {
    await context.sendActivity(
      'I need to act with your own Entra role, and Teams cannot give me your sign-in in a channel. Send me the same command in a 1:1 chat.',
    );
    return;
  }
  deps.waiting.park(actor.oid, context.activity.conversation.id, command);
  const card = CardFactory.oauthCard(
    deps.sso.connectionName,
    'Sign in to TapDesk',
    'TapDesk acts with your own Entra role; sign in once to continue.',
    deps.sso.signInUrl,
    {
      id: crypto.randomUUID(),
      uri: deps.sso.resource,
    },
  );
  await context.sendActivity(MessageFactory.attachment(card));
}
