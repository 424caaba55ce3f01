import { CardFactory, MessageFactory } from 'botbuilder';
import { LoginRequiredError } from '../auth/obo.js';
import type { HelpCommand } from '../chat/grammar.js';
import {
  helpText,
  helpTextFor,
  renderWelcomeCard,
  type HelpSettings,
  type WelcomeAudience,
  type WelcomeOccasion,
} from '../cards/render.js';
import { mayFindDevices } from '../devices/roles.js';
import { issuerStrength, mayReadAudit } from '../tap/roles.js';
import type { TeamsDeps } from './context.js';
import type { Turn } from './turn.js';

/** Graph reads for help and the welcome stay within this; a greeting must not hang on a slow tenant. */
const READ_TIMEOUT_MS = 5_000;

/** This deployment's settings, as help and the welcome speak of them. */
export function helpSettingsOf(deps: TeamsDeps): HelpSettings {
  const approvals = deps.core.approvals;
  return {
    maxLifetimeMinutes: deps.core.maxLifetimeMinutes,
    approvalsOn: approvals.approversConversationId !== undefined,
    requesterGroup: approvals.requesterGroupId !== undefined,
    deliverTo: approvals.deliverTo,
    approvalTtlMinutes: approvals.ttlMinutes,
    bulkApprovalAbove: deps.bulk.approvalAbove,
    seesEligibleRoles: deps.core.roleReader !== undefined,
  };
}

/**
 * `help`, and small talk answered like it: thanks gets one line (no Graph, so never a sign-in),
 * a greeting gets the welcome card for what the caller may do, "what can you do?" the full help.
 * Reading roles throws LoginRequiredError without a token; the boundary then calls
 * runHelpWithoutSignIn.
 */
export async function runHelp(turn: Turn, command: HelpCommand): Promise<void> {
  if (command.said === 'thanks') return sendThanks(turn);
  if (command.said === 'hello') return sendWelcome(turn, await audienceOf(turn), 'hello');
  const graph = await turn.graph();
  const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
  const [roles, policy] = await Promise.all([graph.getRoles('me', signal), graph.getTapPolicy(signal)]);
  await turn.context.sendActivity(
    helpTextFor(
      {
        canIssue: issuerStrength(roles) !== 'none',
        canReadAudit: mayReadAudit(roles),
        canReadPolicy: policy !== null,
        canFindDevices: mayFindDevices(roles),
      },
      helpSettingsOf(turn.deps),
    ),
  );
}

/** The same answers when Teams gave no token: help never needs a sign-in prompt. */
export async function runHelpWithoutSignIn(turn: Turn, command: HelpCommand): Promise<void> {
  if (command.said === 'thanks') return sendThanks(turn);
  if (command.said === 'hello') return sendWelcome(turn, { kind: 'unknown', name: nameOf(turn) }, 'hello');
  await turn.context.sendActivity(helpText(helpSettingsOf(turn.deps)));
}

/**
 * What the caller may do, read as them: their active roles, and membership of the requester group
 * when one is set and requests are on. Throws LoginRequiredError when Teams gave no token.
 */
async function audienceOf(turn: Turn): Promise<WelcomeAudience> {
  const graph = await turn.graph();
  const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
  const { requesterGroupId, approversConversationId } = turn.deps.core.approvals;
  const [roles, inRequesterGroup] = await Promise.all([
    graph.getRoles('me', signal),
    requesterGroupId && approversConversationId ? graph.isMemberOf(requesterGroupId, signal) : false,
  ]);
  return {
    kind: 'person',
    name: nameOf(turn),
    canIssue: issuerStrength(roles) !== 'none',
    canReadAudit: mayReadAudit(roles),
    inRequesterGroup,
  };
}

/**
 * The welcome after an install: adapted to the person when their roles can be read, else the
 * general one. It never asks for a sign-in, and a failed read costs the person only the adaptation.
 */
export async function welcomeAudienceOf(turn: Turn): Promise<WelcomeAudience> {
  try {
    return await audienceOf(turn);
  } catch (error) {
    const reason = error instanceof LoginRequiredError ? 'no_token' : 'read_failed';
    turn.log.info(
      {
        event: 'welcome.general',
        reason,
        ...(reason === 'read_failed' ? { err: { name: (error as Error).name } } : {}),
      },
      'welcome.general',
    );
    return { kind: 'unknown', name: nameOf(turn) };
  }
}

/** The name Teams gave, if any; a welcome without one says no name rather than "Someone". */
const nameOf = (turn: Turn): string | undefined => turn.context.activity.from?.name || undefined;

export async function sendWelcome(
  turn: Pick<Turn, 'context' | 'deps'>,
  audience: WelcomeAudience,
  occasion: WelcomeOccasion,
): Promise<void> {
  const card = renderWelcomeCard(audience, occasion, helpSettingsOf(turn.deps));
  await turn.context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

async function sendThanks(turn: Turn): Promise<void> {
  await turn.context.sendActivity("You're welcome. Type `help` whenever you need the commands.");
}
