import { createHash } from 'node:crypto';

/**
 * The directory's `mobilePhone` is free text ("+1 425 555 0101", "+44 (0)20 7946 0958 x12"). ACS
 * needs E.164: a '+', a country code and at most 15 digits. Anything that is not clearly that
 * (no '+', letters, too short or long) is refused rather than guessed at: an SMS to a wrong number
 * would hand a pass to a stranger.
 */
export function toE164(mobilePhone: string | null | undefined): string | null {
  if (!mobilePhone) return null;
  const withoutExtension = mobilePhone.trim().replace(/\s*(?:x|ext\.?)\s*\d+$/i, '');
  if (!withoutExtension.startsWith('+')) return null;
  // The trunk prefix some people write in brackets, "+44 (0)20…", is not dialled from abroad.
  const body = withoutExtension.slice(1).replace(/\(0\)/g, '');
  if (/[^\d\s().-]/.test(body)) return null;
  const digits = body.replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15 || digits.startsWith('0')) return null;
  return `+${digits}`;
}

/** "+14255550101" → "+1 ••• ••• 0101": enough for the approver to recognise, too little to dial. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const last = digits.slice(-4);
  const country = digits.length > 10 ? digits.slice(0, digits.length - 10) : digits.slice(0, 1);
  return `+${country} ••• ••• ${last}`;
}

/** A stable fingerprint of a number, so the number shown can be compared later without storing it. */
export function phoneSha256(e164: string): string {
  return createHash('sha256').update(e164).digest('hex');
}

/** What a card and the audit trail keep of a directory number: masked and fingerprinted. */
export function smsDestination(mobilePhone: string | null): { masked: string; sha256: string } | null {
  const e164 = toE164(mobilePhone);
  return e164 ? { masked: maskPhone(e164), sha256: phoneSha256(e164) } : null;
}
