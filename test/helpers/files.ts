// Teams file activities: a user sending the bot a file, and the user's answer to a file consent card.
import type { FixtureUser } from '../../sandbox/index.js';
import { click, message, type World } from './activities.js';
import type { FileDownloadAttachment, UploadInfo } from './sandbox-admin.js';

/**
 * A personal-chat message carrying a `file.download.info` attachment (from `putUserFile`), as Teams
 * sends it when the user drops a file into the chat. Without `text` the activity has no text, like a
 * file sent on its own.
 */
export function fileMessage(
  h: World,
  from: FixtureUser,
  attachment: FileDownloadAttachment,
  text?: string,
  conversationId?: string,
) {
  // `text: undefined` disappears when the activity is serialised.
  return { ...message(h, from, '', conversationId), text, attachments: [attachment] };
}

/**
 * The `fileConsent/invoke` Teams sends when the user accepts or declines a file consent card:
 * accept carries the card's acceptContext and the uploadInfo (from `openUploadSession`), decline the
 * declineContext and no uploadInfo.
 */
export function fileConsentInvoke(
  h: World,
  from: FixtureUser,
  answer: { action: 'accept' | 'decline'; context: unknown; uploadInfo?: UploadInfo },
  options: { replyToId?: string; conversationId?: string } = {},
) {
  // click() gives the same base activity (ids, conversation, from, serviceUrl, tenant) as every invoke.
  const base = click(h, from, '', {}, options);
  return {
    ...base,
    name: 'fileConsent/invoke',
    value: {
      type: 'fileUpload',
      action: answer.action,
      context: answer.context,
      ...(answer.uploadInfo ? { uploadInfo: answer.uploadInfo } : {}),
    },
  };
}
