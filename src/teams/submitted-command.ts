import type { Activity } from 'botbuilder';

/**
 * A welcome card's button (Action.Submit) arrives as a message with no text and the card's data,
 * `{ command }`, as its value, in Teams and in the Agents Playground alike. The command is what the
 * button says it types, so it becomes the message's text and is parsed like anything typed: the same
 * grammar, the same checks, as the person who clicked. Anything else in a value is left alone, and a
 * message that has text keeps it.
 */
export function readSubmittedCommand(activity: Partial<Activity>): void {
  if (activity.text) return;
  const value = activity.value as Record<string, unknown> | undefined;
  if (!value || typeof value !== 'object' || Object.keys(value).length !== 1) return;
  const command = value['command'];
  // Too long or not a command at all: the grammar says so, as it would to someone typing it.
  if (typeof command !== 'string') return;
  activity.text = command;
  activity.value = undefined;
}
