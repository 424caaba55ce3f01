import { createHash, type KeyObject } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, exportJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { generateRsaKeyPair } from './certs.js';

/** Entra tolerates five minutes of clock skew on exp/nbf; so does the sandbox. */
const clockSkewSeconds = 300;

/** Why a token was refused, in terms the token service and Graph translate to their own errors. */
export type TokenRejection = 'malformed' | 'signature' | 'expired' | 'notYetValid' | 'audience' | 'issuer';

export type VerifyResult = { ok: true; claims: JWTPayload } | { ok: false; reason: TokenRejection };

/** Signs and verifies the sandbox's RS256 JWTs (SSO assertions, access tokens, id tokens). */
export class TokenSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    readonly kid: string,
    readonly issuer: string,
    private readonly publicJwk: JWK,
  ) {}

  /** Makes a signer with a fresh key; the issuer follows Entra v2: `{origin}/{tenantId}/v2.0`. */
  static async create(
    issuer: string,
    keys?: { privateKey: KeyObject; publicKey: KeyObject },
  ): Promise<TokenSigner> {
    const { privateKey, publicKey } = keys ?? (await generateRsaKeyPair());
    const jwk = await exportJWK(publicKey);
    const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 27);
    return new TokenSigner(privateKey, publicKey, kid, issuer, { ...jwk, kid, use: 'sig', alg: 'RS256' });
  }

  /** The JWKS document served at `/discovery/v2.0/keys`. */
  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.publicJwk, x5t: this.kid }] };
  }

  /** Signs claims with iat/nbf now (real time) and exp after the given lifetime (may be negative for tests). */
  async sign(claims: JWTPayload, audience: string, lifetimeSeconds: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ver: '2.0', ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid })
      .setIssuer(this.issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setNotBefore(Math.min(now, now + lifetimeSeconds))
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.privateKey);
  }

  /** Verifies signature, issuer, time range (real time) and that `aud` is one of the accepted audiences. */
  async verify(token: string, audiences: readonly string[]): Promise<VerifyResult> {
    try {
      if (decodeProtectedHeader(token).alg !== 'RS256') return { ok: false, reason: 'signature' };
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: ['RS256'],
        clockTolerance: clockSkewSeconds,
      });
      if (payload.iss !== this.issuer) return { ok: false, reason: 'issuer' };
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!aud.some((a) => a !== undefined && audiences.includes(a)))
        return { ok: false, reason: 'audience' };
      return { ok: true, claims: payload };
    } catch (error) {
      return { ok: false, reason: classifyJoseError(error) };
    }
  }
}

function classifyJoseError(error: unknown): TokenRejection {
  const code = (error as { code?: string }).code;
  const claim = (error as { claim?: string }).claim;
  if (code === 'ERR_JWT_EXPIRED') return 'expired';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'nbf') return 'notYetValid';
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'signature';
  return 'malformed';
}
