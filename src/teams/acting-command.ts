import type { Command } from '../chat/grammar.js';

/** A CSV file the user sent in the 1:1 chat; the link is short-lived and never stored. */
export interface BulkFileCommand {
  kind: 'bulk-file';
  name: string;
  downloadUrl: string;
}

/** Every command acts as the user in Graph (even help reads their roles), so it needs their token. */
export type ActingCommand = Command | BulkFileCommand;
