// The delivery option of a request: "deliver to manager", "deliver to their manager", "by sms",
// "deliver by sms". Pure, like the rest of the grammar. Only two-or-more-word forms count, so a
// name is never cut at a lone "by" or "deliver".
import { lowerAt, type Token } from './normalise.js';

export type DeliveryChoice = 'manager' | 'sms';

const SMS_WORDS = new Set(['sms', 'text']);

/** The delivery option at tokens[index]: the channel and how many tokens it takes, or null. */
export function readDeliveryOption(
  tokens: readonly Token[],
  index: number,
): { deliverTo: DeliveryChoice; used: number } | null {
  const at = (offset: number) => lowerAt(tokens as Token[], index + offset);
  if (at(0) === 'by' && SMS_WORDS.has(at(1) ?? '')) return { deliverTo: 'sms', used: 2 };
  if (at(0) !== 'deliver') return null;
  if (at(1) === 'by' && SMS_WORDS.has(at(2) ?? '')) return { deliverTo: 'sms', used: 3 };
  if (at(1) !== 'to') return null;
  if (at(2) === 'manager') return { deliverTo: 'manager', used: 3 };
  if ((at(2) === 'their' || at(2) === 'the') && at(3) === 'manager') return { deliverTo: 'manager', used: 4 };
  return null;
}
