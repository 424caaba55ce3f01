// What the grammar makes of a message: a command, or a refusal that may carry a suggested command.
import type { AuditCommand } from './audit.js';
import type { DevicesCommand } from './devices.js';
import type { ManageCommand } from './manage.js';
import type { OnboardCommand, OnboardingStatusCommand } from './onboard.js';
import type { ParseError } from './messages.js';
import type { StartSpec } from './start.js';

export type Command =
  | { kind: 'issue'; who: string; lifetimeMinutes?: number; usableOnce?: boolean; start?: StartSpec }
  | {
      kind: 'request';
      who: string;
      lifetimeMinutes?: number;
      usableOnce?: boolean;
      start?: StartSpec;
      reason?: string;
      /** `deliver to manager` / `by sms`: where the approved pass goes instead of the approver. */
      deliverTo?: 'manager' | 'sms';
    }
  | { kind: 'bulk'; targets: string[]; lifetimeMinutes?: number; usableOnce?: boolean; start?: StartSpec }
  | AuditCommand
  | ManageCommand
  | DevicesCommand
  | OnboardCommand
  | OnboardingStatusCommand
  | HelpCommand;
/**
 * `help`, or small talk answered like help: `said` is what the person opened with ('hello' for a
 * greeting, 'thanks', 'capabilities' for "what can you do?"); absent for plain `help`.
 */
export interface HelpCommand {
  kind: 'help';
  said?: 'hello' | 'thanks' | 'capabilities';
}
/**
 * A command, or a refusal. A refusal may carry `suggestion`: a command, as text, guessed from the
 * message ("isue tap for bob" → "issue TAP for bob"). It parses to a command, but is never acted on
 * as it stands: the person is asked, and a click on it runs the text as if they had typed it.
 */
export type ParseResult =
  { ok: true; command: Command } | { ok: false; error: ParseError; suggestion?: string };
export type Refusal = Extract<ParseResult, { ok: false }>;
