/**
 * The start of every Graph request body check: a JSON object, or the reason for a 400 in OData's
 * wording. `emptyIs` is what an absent or blank body means for an action that needs no parameters.
 */
export function parseJsonObject(
  raw: string | undefined,
  emptyIs?: Record<string, unknown>,
): Record<string, unknown> | string {
  if (raw === undefined || raw.trim() === '') return emptyIs ?? 'Empty Payload. JSON content expected.';
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'Invalid JSON payload.';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'The request body must be a JSON object.';
  return value as Record<string, unknown>;
}
