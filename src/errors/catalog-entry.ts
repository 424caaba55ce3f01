import { guardStart } from '../text/plain.js';

export interface ProblemContext {
  targetName?: string;
  min?: number;
  max?: number;
  retryAfterSeconds?: number;
  who?: string;
  clickerName?: string;
  requesterName?: string;
  usedAt?: string;
  resetsAtText?: string;
  /** Approvals: who decided first, and when (already formatted for the reader). */
  deciderName?: string;
  /** 'approved', 'rejected', … */
  decision?: string;
  decidedText?: string;
  managerName?: string;
  /** Several people matched a request: their names and addresses, ready to show. */
  matches?: string;
  /** Bulk: how many passes are concerned, and a detail already worded for chat (e.g. a CSV error). */
  count?: number;
  detail?: string;
}

/** One catalog entry: a title, and the message and next step worded from the context. */
export interface CatalogEntry {
  title: string;
  message: (c: ProblemContext) => string;
  nextStep: (c: ProblemContext) => string;
}

// The only value that starts a message (see guardStart).
export const them = (c: ProblemContext) => guardStart(c.targetName ?? 'this user');

/**
 * A command to type, as a code span with the person in it, or with an italic placeholder after it:
 * Teams may take a `<user>` placeholder for an HTML tag and drop it.
 */
export function commandFor(command: string, who: string | undefined): string {
  return who ? `\`${command} ${who}\`` : `\`${command}\` _person_`;
}
