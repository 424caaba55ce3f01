import { ActivityTypes, type TurnContext } from 'botbuilder';
import { passesCsv } from '../bulk/results.js';
import { problem, problemLine } from '../errors/catalog.js';
import { actorOf } from './actor.js';
import type { TeamsDeps } from './context.js';
import { turnFields } from './turn-fields.js';
import { FileTransferError } from '../bulk/file-transfer.js';

interface ConsentValue {
  action?: unknown;
  context?: { bulkId?: unknown };
  uploadInfo?: {
    uploadUrl?: unknown;
    contentUrl?: unknown;
    name?: unknown;
    uniqueId?: unknown;
    fileType?: unknown;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

/**
 * `fileConsent/invoke`: the clicker accepted or declined the results file. The context names a bulk
 * and nothing else; who may receive its passes is what TapDesk holds in memory, never the card.
 * Accepting streams the CSV from memory to the upload link Teams gave (its OneDrive), once.
 */
export async function onFileConsent(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const value = (context.activity.value ?? {}) as ConsentValue;
  const actor = actorOf(context.activity);
  const bulkId =
    typeof value.context?.bulkId === 'string' && UUID.test(value.context.bulkId) ? value.context.bulkId : '';
  const accepted = value.action === 'accept';
  deps.log.info(
    { ...turnFields(context), event: 'bulk.file_consent', bulkId, accepted },
    'bulk.file_consent',
  );
  await answer(context);
  if (!actor || !bulkId) return;
  const held = deps.bulkRuns.held.count(bulkId, actor.oid);
  if (held === null) {
    const p = problem('BULK_RESULTS_GONE');
    await context.sendActivity(problemLine(p));
    return;
  }
  if (!accepted) {
    deps.bulkRuns.held.drop(bulkId);
    await deps.bulkRuns.undelivered(bulkId, 'declined');
    await context.sendActivity(
      'You declined the file, so I dropped the passes. Nobody can read them now; use "Issue again" on the card for new ones.',
    );
    return;
  }
  const info = value.uploadInfo ?? {};
  const rows = deps.bulkRuns.held.take(bulkId, actor.oid);
  if (!rows) return;
  const bytes = Buffer.from(passesCsv(rows), 'utf8');
  rows.length = 0;
  try {
    await deps.files.upload(String(info.uploadUrl ?? ''), bytes);
  } catch (error) {
    if (!(error instanceof FileTransferError)) throw error;
    deps.log.warn(
      { ...turnFields(context), event: 'bulk.upload_failed', bulkId, err: error.message },
      'bulk.upload_failed',
    );
    await deps.bulkRuns.undelivered(bulkId, 'upload-failed');
    await context.sendActivity(
      'I could not put the file in your OneDrive, so I dropped the passes: nobody can read them now. Use "Issue again" on the card for new ones.',
    );
    return;
  } finally {
    bytes.fill(0);
  }
  await deps.bulkRuns.delivered(bulkId);
  await context.sendActivity({
    type: ActivityTypes.Message,
    attachments: [
      {
        contentType: FILE_INFO,
        name: String(info.name ?? 'passes.csv'),
        contentUrl: String(info.contentUrl ?? ''),
        content: { uniqueId: String(info.uniqueId ?? ''), fileType: String(info.fileType ?? 'csv') },
      },
    ],
  });
}

/** Teams only needs to hear that the invoke arrived; the outcome follows as messages. */
async function answer(context: TurnContext): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: {} } });
}
