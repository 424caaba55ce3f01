// Validation of a createPresentationRequest body (contract §4.2, §4.6 rule 2): what the Request Service
// refuses with 400 badRequest/badOrMissingField and the field as `target`.

/** One constraint on a claim of the requested credential; comparisons ignore case. */
export interface PresentationConstraint {
  claimName: string;
  values?: string[];
  contains?: string;
  startsWith?: string;
}

/** What the sandbox keeps of a presentation request it accepted. */
export interface PresentationRequestSpec {
  authority: string;
  clientName: string;
  includeQRCode: boolean;
  callback: { url: string; state: string | undefined; headers: Record<string, string> };
  credentialType: string;
  acceptedIssuers: string[];
  constraints: PresentationConstraint[];
  faceCheck: { sourcePhotoClaimName: string; matchConfidenceThreshold: number } | undefined;
}

export type SpecResult =
  { ok: true; spec: PresentationRequestSpec } | { ok: false; target: string; message: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');
const bad = (target: string, message: string): SpecResult => ({ ok: false, target, message });

/**
 * The callback URL must be absolute HTTPS. The one exception is a loopback http:// address: the bot
 * of `npm run sandbox` and of the tests listens on plain HTTP on 127.0.0.1, and the sandbox never
 * calls anything but this machine.
 */
function callbackUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'callback.url is missing.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'callback.url is not an absolute URL.';
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return undefined;
  return 'callback.url must be an HTTPS URL reachable by the service.';
}

function parseCallback(value: unknown): PresentationRequestSpec['callback'] | SpecResult {
  if (!isObject(value)) return bad('callback', 'callback is missing.');
  const urlProblem = callbackUrlProblem(value.url);
  if (urlProblem) return bad('callback.url', urlProblem);
  if (value.state !== undefined && typeof value.state !== 'string')
    return bad('callback.state', 'callback.state must be a string.');
  const headers: Record<string, string> = {};
  if (value.headers !== undefined) {
    if (!isObject(value.headers)) return bad('callback.headers', 'callback.headers must be an object.');
    for (const [name, v] of Object.entries(value.headers)) {
      if (!['api-key', 'authorization'].includes(name.toLowerCase()) || typeof v !== 'string')
        return bad(
          'callback.headers',
          `Invalid callback header '${name}': only api-key or Authorization are supported.`,
        );
      headers[name] = v;
    }
  }
  return { url: value.url as string, state: value.state as string | undefined, headers };
}

function parseConstraints(value: unknown): PresentationConstraint[] | SpecResult {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return bad('requestedCredentials.constraints', 'constraints must be an array.');
  const out: PresentationConstraint[] = [];
  for (const c of value) {
    if (!isObject(c) || typeof c.claimName !== 'string')
      return bad('requestedCredentials.constraints.claimName', 'Each constraint needs a claimName.');
    const kinds = ['values', 'contains', 'startsWith'].filter((k) => c[k] !== undefined);
    const valid =
      kinds.length === 1 &&
      (kinds[0] === 'values'
        ? isStringArray(c.values) && c.values.length > 0
        : typeof c[kinds[0]!] === 'string');
    if (!valid)
      return bad(
        'requestedCredentials.constraints',
        'Each constraint needs exactly one of values, contains or startsWith.',
      );
    out.push({
      claimName: c.claimName,
      ...(kinds[0] ? { [kinds[0]]: c[kinds[0]] } : {}),
    } as PresentationConstraint);
  }
  return out;
}

function parseFaceCheck(validation: unknown): PresentationRequestSpec['faceCheck'] | SpecResult {
  if (!isObject(validation) || validation.faceCheck === undefined) return undefined;
  const fc = validation.faceCheck;
  const target = 'requestedCredentials.configuration.validation.faceCheck';
  if (!isObject(fc) || typeof fc.sourcePhotoClaimName !== 'string' || fc.sourcePhotoClaimName === '')
    return bad(`${target}.sourcePhotoClaimName`, 'sourcePhotoClaimName is mandatory with faceCheck.');
  const threshold = fc.matchConfidenceThreshold ?? 70;
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 50 || threshold > 100)
    return bad(
      `${target}.matchConfidenceThreshold`,
      'matchConfidenceThreshold must be an integer from 50 to 100.',
    );
  return { sourcePhotoClaimName: fc.sourcePhotoClaimName, matchConfidenceThreshold: threshold };
}

const isFailure = (v: unknown): v is Extract<SpecResult, { ok: false }> => isObject(v) && v.ok === false;

/** Parses and validates a presentation request body; the first problem found is reported. */
export function parsePresentationRequest(body: unknown, tenantAuthority: string | undefined): SpecResult {
  if (!isObject(body)) return bad('', 'The body must be a JSON object.');
  if (typeof body.authority !== 'string' || !body.authority.startsWith('did:'))
    return bad('authority', 'authority must be the verifier DID.');
  // A DID this tenant does not own is not a verifier the service knows for it [inferred].
  if (tenantAuthority && body.authority.toLowerCase() !== tenantAuthority.toLowerCase())
    return bad('authority', `The authority ${body.authority} is not a verifier of this tenant.`);
  for (const flag of ['includeQRCode', 'includeReceipt'] as const)
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean')
      return bad(flag, `${flag} must be a boolean.`);
  if (!isObject(body.registration) || typeof body.registration.clientName !== 'string')
    return bad('registration.clientName', 'registration.clientName is missing.');
  const callback = parseCallback(body.callback);
  if (isFailure(callback)) return callback;
  const creds = body.requestedCredentials;
  if (!Array.isArray(creds) || creds.length !== 1 || !isObject(creds[0]) || typeof creds[0].type !== 'string')
    return bad(
      'requestedCredentials',
      'requestedCredentials needs one credential with a type (the sandbox supports one).',
    );
  const cred = creds[0];
  if (cred.acceptedIssuers !== undefined && !isStringArray(cred.acceptedIssuers))
    return bad('requestedCredentials.acceptedIssuers', 'acceptedIssuers must be an array of DIDs.');
  const constraints = parseConstraints(cred.constraints);
  if (isFailure(constraints)) return constraints;
  const configuration = isObject(cred.configuration) ? cred.configuration : {};
  const faceCheck = parseFaceCheck(configuration.validation);
  if (isFailure(faceCheck)) return faceCheck;
  if (faceCheck && body.includeReceipt === true)
    return bad('includeReceipt', 'includeReceipt is not supported together with faceCheck.');
  return {
    ok: true,
    spec: {
      authority: body.authority,
      clientName: body.registration.clientName,
      includeQRCode: body.includeQRCode === true,
      callback: callback as PresentationRequestSpec['callback'],
      credentialType: cred.type as string,
      acceptedIssuers: (cred.acceptedIssuers as string[] | undefined) ?? [],
      constraints: constraints as PresentationConstraint[],
      faceCheck: faceCheck as PresentationRequestSpec['faceCheck'],
    },
  };
}

/** Whether a holder's claims meet every constraint (ANDed, case-insensitive). */
export function meetsConstraints(
  claims: Record<string, string>,
  constraints: readonly PresentationConstraint[],
): boolean {
  return constraints.every((c) => {
    const value = (claims[c.claimName] ?? '').toLowerCase();
    if (c.values) return c.values.some((v) => v.toLowerCase() === value);
    if (c.contains !== undefined) return value.includes(c.contains.toLowerCase());
    return value.startsWith((c.startsWith ?? '').toLowerCase());
  });
}
