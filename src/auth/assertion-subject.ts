/** Why an assertion cannot stand for the person in the activity. */
export type SubjectMismatch = 'unreadable' | 'oid' | 'tid';

/**
 * Compares the user assertion's `oid` and `tid` claims with the activity's `from.aadObjectId` and
 * TapDesk's tenant. The signature is not checked here: Entra checks it in the OBO exchange. This only
 * stops a valid token of one person from being used in a turn that claims to be another person's,
 * which OBO would happily accept (it acts as whoever the token names, not whoever clicked).
 */
export function subjectMismatch(
  assertion: string,
  expected: { oid: string; tid: string },
): SubjectMismatch | null {
  const claims = payloadOf(assertion);
  if (!claims) return 'unreadable';
  if (!sameId(claims.oid, expected.oid)) return 'oid';
  if (!sameId(claims.tid, expected.tid)) return 'tid';
  return null;
}

function payloadOf(assertion: string): Record<string, unknown> | null {
  const parts = assertion.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Entra object and tenant ids are GUIDs; compare them without regard to case. */
function sameId(claim: unknown, expected: string): boolean {
  return typeof claim === 'string' && expected !== '' && claim.toLowerCase() === expected.toLowerCase();
}
