import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { choiceCard, confirmCard } from '../cards/request-views.js';
import { faceCheckPanel } from '../facecheck/panel.js';
import { renderSuggestionCard } from '../cards/suggestion.js';
import { parseCommand } from '../chat/grammar.js';
import { prepareIssue, type IssueCommand } from '../tap/prepare.js';
import { attachCard } from '../tap/request-repository.js';
import { runAudit } from './audit-command.js';
import { withinBoundary } from './boundary.js';
import { fileOf, runBulkCommand, runBulkFile } from './bulk-command.js';
import type { ActingCommand } from './acting-command.js';
import { sendProblemCard } from './card-replies.js';
import type { TeamsDeps } from './context.js';
import { runDevices } from './devices-command.js';
import { runHelp, runHelpWithoutSignIn } from './help-command.js';
import { runManage, runPolicy } from './manage-command.js';
import { runOnboard } from './onboard-command.js';
import { runOnboardingStatus } from './onboarding-status-command.js';
import { runRequest } from './request-command.js';
import { startTurn, type Turn } from './turn.js';
import { sendActivationOffer } from './pim-actions.js';

type CommandHandler<C> = (turn: Turn, command: C) => Promise<void>;
type CommandOf<K extends ActingCommand['kind']> = Extract<ActingCommand, { kind: K }>;

/** One handler per command kind; the mapped type makes the compiler require every kind. */
const COMMANDS: { [K in ActingCommand['kind']]: CommandHandler<CommandOf<K>> } = {
  issue: runIssue,
  bulk: runBulkCommand,
  'bulk-file': runBulkFile,
  request: runRequest,
  audit: runAudit,
  list: runManage,
  revoke: runManage,
  policy: runPolicy,
  help: runHelp,
  devices: runDevices,
  onboard: runOnboard,
  'onboarding-status': runOnboardingStatus,
};

/** Handles a chat message: a file is a bulk list; text is parsed into a command and run as the sender. */
export async function onMessage(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const turn = startTurn(context, deps);
  if (!turn) {
    await context.sendActivity('I can only help people signed in with a work account in this organisation.');
    return;
  }
  // A file in the 1:1 chat is a bulk list; its message text, if any, is ignored.
  const file = fileOf(context);
  if (file) return runActing(turn, file);
  const parsed = parseCommand(context.activity.text ?? '');
  if (!parsed.ok) {
    const suggested = parsed.suggestion !== undefined;
    turn.log.info({ event: 'command.rejected', code: parsed.error.code, suggested }, 'command.rejected');
    // A guessed command is offered on a card whose button runs it; it is never run from here.
    const reply =
      parsed.suggestion === undefined
        ? parsed.error.message
        : MessageFactory.attachment(CardFactory.adaptiveCard(renderSuggestionCard(parsed.suggestion)));
    await context.sendActivity(reply);
    return;
  }
  await runActing(turn, parsed.command);
}

/** Runs a command as the turn's actor, inside the one error boundary; asks Teams for a token when needed. */
export async function runActing(turn: Turn, command: ActingCommand): Promise<void> {
  await withinBoundary(
    turn,
    {
      // Help never needs a sign-in prompt: without a token it simply shows every command.
      login: async () =>
        command.kind === 'help' ? runHelpWithoutSignIn(turn, command) : askForToken(turn, command),
      problem: (p) => sendProblemCard(turn.context, p),
    },
    () => runCommand(turn, command),
  );
}

/** Runs a command as the turn's actor, inside whatever error boundary the caller set up. */
export async function runCommand(turn: Turn, command: ActingCommand): Promise<void> {
  const handler = COMMANDS[command.kind] as CommandHandler<ActingCommand>;
  await handler(turn, command);
}

/** Prepares an issue request as the actor and posts the resulting card. */
async function runIssue(turn: Turn, command: IssueCommand): Promise<void> {
  const { context, deps, actor } = turn;
  const graph = await turn.graph();
  const started = performance.now();
  const input = {
    requester: turn.person,
    timeZone: actor.timeZone,
    utcOffsetMinutes: actor.utcOffsetMinutes,
    conversationId: turn.conversationId,
    command,
  };
  const outcome = await prepareIssue(deps.core, graph, input);
  turn.log.info(
    {
      event: 'issue.prepared',
      outcome: outcome.kind,
      ms: Math.round(performance.now() - started),
      ...(outcome.kind === 'problem' ? { code: outcome.problem.code } : {}),
    },
    'issue.prepared',
  );
  // No role that can create passes: if one can be activated just in time, the refusal offers it.
  if (
    outcome.kind === 'problem' &&
    outcome.problem.code === 'TAP_ROLE_MISSING' &&
    (await sendActivationOffer(turn, input))
  )
    return;
  if (outcome.kind === 'problem') return sendProblemCard(context, outcome.problem);
  const request = outcome.kind === 'choose' ? outcome.request : outcome.view.request;
  const card =
    outcome.kind === 'choose'
      ? choiceCard(outcome.request, outcome.more)
      : confirmCard(
          outcome.view,
          turn.now(),
          faceCheckPanel(outcome.view.request, turn.deps.core.faceCheck, turn.now()),
        );
  const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  // The request was stored (one commit) before the card was posted, so a quick click always finds
  // it. In a 1:1 chat a click names its own card (replyToId), so no message id is recorded; in a
  // shared chat, whose replyToId is not trusted, it is, in a second commit.
  if (sent?.id && context.activity.conversation.conversationType !== 'personal')
    await attachCard(deps.core.requests, request.id, sent.id);
}

/**
 * Message-turn SSO: an OAuth card with a token exchange resource makes Teams send us the user's SSO
 * token in a `signin/tokenExchange` invoke, after which the command is replayed. Channels have no
 * message-turn SSO, so there we say where to go instead.
 */
async function askForToken(turn: Turn, command: ActingCommand): Promise<void> {
  const { context, deps } = turn;
  if (context.activity.conversation.conversationType === 'channel') {
    await context.sendActivity(
      'I need to act with your own Entra role, and Teams cannot give me your sign-in in a channel. Send me the same command in a 1:1 chat.',
    );
    return;
  }
  deps.waiting.park(turn.actor.oid, turn.conversationId, command);
  const card = CardFactory.oauthCard(
    deps.sso.connectionName,
    'Sign in to TapDesk',
    'TapDesk acts with your own Entra role; sign in once to continue.',
    deps.sso.signInUrl,
    { id: crypto.randomUUID(), uri: deps.sso.resource },
  );
  await context.sendActivity(MessageFactory.attachment(card));
}
