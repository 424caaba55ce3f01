import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Turn } from './turn.js';
import type { BulkFileCommand } from './acting-command.js';
import { parseBulkCsv, MAX_CSV_BYTES } from '../bulk/csv-input.js';
import type { BulkJob } from '../bulk/job.js';
import { validateBulk, type BulkInput } from '../bulk/validate.js';
import type { Command } from '../chat/grammar.js';
import { problem, type Problem } from '../errors/catalog.js';
import { problemForGraphFailure } from '../graph/errors.js';
import { GraphFailure } from '../graph/failure.js';
import type { TapGraph } from '../graph/port.js';
import { issuerStrength } from '../tap/roles.js';
import { bulkCard } from '../cards/bulk-views.js';
import { sendProblemCard } from './card-replies.js';
import type { TeamsDeps } from './context.js';
import { FileTransferError } from '../bulk/file-transfer.js';

export type BulkCommand = Extract<Command, { kind: 'bulk' }>;

export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** The file a message carries, as Teams describes it, if any. */
export function fileOf(context: TurnContext): BulkFileCommand | undefined {
  const attachment = (context.activity.attachments ?? []).find((a) => a.contentType === FILE_DOWNLOAD_INFO);
  if (!attachment) return undefined;
  const content = attachment.content as { downloadUrl?: unknown } | undefined;
  return {
    kind: 'bulk-file',
    name: typeof attachment.name === 'string' ? attachment.name.slice(0, 200) : 'file',
    downloadUrl: typeof content?.downloadUrl === 'string' ? content.downloadUrl : '',
  };
}

/** `issue TAP for a, b, c [options]`: one row per person, the options for all. */
export async function runBulkCommand(turn: Turn, command: BulkCommand): Promise<void> {
  // The token first, as for every command: without a sign-in nothing is read or checked.
  await turn.graph();
  const { lifetimeMinutes, usableOnce, start } = command;
  const asks = command.targets.map((user, index) => ({
    line: index + 1,
    user,
    ...(lifetimeMinutes !== undefined ? { lifetimeMinutes } : {}),
    ...(usableOnce !== undefined ? { usableOnce } : {}),
    ...(start !== undefined ? { start } : {}),
  }));
  await validateAndShow(turn, { kind: 'command' }, asks, []);
}

/**
 * A CSV file: download it from Teams' storage into memory, read it, then validate like a command.
 * The sender's role is checked first, with their own token: someone who may not issue passes must not
 * make TapDesk fetch and parse a file of their choosing.
 */
export async function runBulkFile(turn: Turn, file: BulkFileCommand): Promise<void> {
  const { context, deps } = turn;
  const graph = await turn.graph();
  if (!isPersonal(context)) return sendProblemCard(context, problem('BULK_PERSONAL_ONLY'));
  const refusal = await roleRefusal(graph);
  if (refusal) return sendProblemCard(context, refusal);
  if (!/\.csv$/i.test(file.name))
    return sendProblemCard(
      context,
      problem('BULK_CSV_UNREADABLE', { detail: `'${file.name}' is not a .csv file; I only read CSV files.` }),
    );
  let bytes: Uint8Array;
  try {
    bytes = await deps.files.download(file.downloadUrl, MAX_CSV_BYTES + 1);
  } catch (error) {
    if (!(error instanceof FileTransferError)) throw error;
    turn.log.warn({ event: 'bulk.download_failed', err: error.message }, 'bulk.download_failed');
    const tooBig = /larger than/.test(error.message);
    return sendProblemCard(
      context,
      tooBig
        ? problem('BULK_CSV_UNREADABLE', {
            detail: `The file is larger than ${MAX_CSV_BYTES} bytes; split it.`,
          })
        : problem('BULK_FILE_UNAVAILABLE'),
    );
  }
  const parsed = parseBulkCsv(bytes);
  if (!parsed.ok) return sendProblemCard(context, problem('BULK_CSV_UNREADABLE', { detail: parsed.message }));
  await validateAndShow(
    turn,
    { kind: 'csv', fileName: file.name },
    parsed.rows,
    parsed.rowErrors,
    parsed.onboarding === true,
  );
}

/** The same role check validateBulk makes, for before the download; Graph failures become problems. */
async function roleRefusal(graph: TapGraph): Promise<Problem | undefined> {
  try {
    const roles = await graph.getRoles('me', AbortSignal.timeout(5_000));
    return issuerStrength(roles) === 'none' ? problem('TAP_ROLE_MISSING') : undefined;
  } catch (error) {
    if (error instanceof GraphFailure) return problemForGraphFailure(error, { operation: 'read' });
    throw error;
  }
}

const isPersonal = (context: TurnContext) => context.activity.conversation.conversationType === 'personal';

async function validateAndShow(
  turn: Turn,
  source: BulkInput['source'],
  asks: BulkInput['asks'],
  rowErrors: BulkInput['rowErrors'],
  onboarding = false,
): Promise<void> {
  const { context, deps, actor } = turn;
  if (!isPersonal(context)) return sendProblemCard(context, problem('BULK_PERSONAL_ONLY'));
  const graph = await turn.graph();
  // An onboarding file reads Intune as the sender, with the device-read token of its own.
  const devices = onboarding ? await turn.devices() : undefined;
  const started = performance.now();
  const outcome = await validateBulk(
    deps.bulk,
    graph,
    {
      requester: turn.person,
      timeZone: actor.timeZone,
      utcOffsetMinutes: actor.utcOffsetMinutes,
      conversationId: context.activity.conversation.id,
      source,
      asks,
      rowErrors,
      ...(onboarding ? { onboarding } : {}),
    },
    devices ? async () => devices : undefined,
  );
  turn.log.info(
    {
      event: 'bulk.validated',
      rows: asks.length + rowErrors.length,
      outcome: outcome.kind,
      ...(outcome.kind === 'ready' ? { bulkId: outcome.job.id, ready: outcome.job.counts.ready } : {}),
      ...(outcome.kind === 'problem' ? { code: outcome.problem.code } : {}),
      ms: Math.round(performance.now() - started),
    },
    'bulk.validated',
  );
  if (outcome.kind === 'problem') return sendProblemCard(context, outcome.problem);
  await postBulkCard(context, deps, outcome.job);
}

/** Posts a bulk's card in this conversation and remembers its id, so the card can follow the bulk. */
export async function postBulkCard(context: TurnContext, deps: TeamsDeps, job: BulkJob): Promise<void> {
  const card = bulkCard(job, deps.core.clock.now(), { above: deps.bulk.approvalAbove });
  const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  if (sent?.id) await deps.bulk.bulk.patch(job.id, (j) => ({ ...j, cardActivityId: sent.id }));
}
