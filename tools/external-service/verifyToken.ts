/**
 * Verifies one bearer token the way a careful resource server does, with `jose`: RS256 only (so neither
 * `none` nor HS256 keyed with the public certificate gets through), the configured iss and aud, sub on an
 * allow-list, exp/nbf/iat with a bounded clock skew and a maximum age, and a jti replay cache when the
 * token carries a jti. A refusal is a description meant for the caller's WWW-Authenticate header:
 * it names the cause (clock, audience, issuer, key) and never echoes the token.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { createRemoteJWKSet, errors, importX509, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type CryptoKey } from 'jose';
import type { ServiceConfig } from './config.ts';

export type Verdict = { ok: true; claims: JWTPayload } | { ok: false; description: string };

const ALGORITHMS = ['RS256'];
const REPLAY_CACHE_LIMIT = 50_000;

export interface TokenVerifier {
  verify(token: string): Promise<Verdict>;
  /** What the service trusts, for /health and logs: a certificate fingerprint or the JWKS URL. */
  trust: string;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
/** A claim value for a description: caller-controlled, so shortened and single-quoted (RFC 6750 forbids " and \ there). */
const shown = (v: unknown) => `'${(typeof v === 'string' ? v : (JSON.stringify(v) ?? '')).slice(0, 120)}'`;

export async function createTokenVerifier(config: ServiceConfig, now: () => number = Date.now): Promise<TokenVerifier> {
  let key: CryptoKey | JWTVerifyGetKey;
  let trust: string;
  if (config.certificatePem) {
    key = await importX509(config.certificatePem, 'RS256');
    trust = `certificate SHA-256 ${new X509Certificate(config.certificatePem).fingerprint256}`;
  } else {
    key = createRemoteJWKSet(new URL(config.jwksUrl!));
    trust = `JWKS ${config.jwksUrl}`;
  }
  // jti → exp (seconds): a jti seen before its token expired is a replay.
  const seen = new Map<string, number>();

  function remember(jti: string, exp: number): void {
    const nowS = now() / 1000;
    if (seen.size >= REPLAY_CACHE_LIMIT) for (const [k, e] of seen) if (e + config.clockSkewSeconds < nowS) seen.delete(k);
    seen.set(jti, exp);
  }

  async function verify(token: string): Promise<Verdict> {
    const nowS = Math.floor(now() / 1000);
    let claims: JWTPayload;
    try {
      const result = await jwtVerify(token, key as CryptoKey, {
        algorithms: ALGORITHMS,
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: config.clockSkewSeconds,
        maxTokenAge: config.maxTokenAgeSeconds,
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
        currentDate: new Date(now()),
      });
      claims = result.payload;
    } catch (e) {
      return { ok: false, description: describe(e, config, nowS) };
    }
    // RFC 7519 §4.1.2: sub is a string. String(["allowed"]) would be "allowed", so anything else is refused first.
    if (typeof claims.sub !== 'string') {
      return {
        ok: false,
        description: `subject not allowed: sub must be a string (RFC 7519 section 4.1.2), got ${Array.isArray(claims.sub) ? 'an array' : typeof claims.sub}`,
      };
    }
    if (!config.allowedSubjects.includes(claims.sub)) {
      return { ok: false, description: `subject not allowed: sub ${shown(claims.sub)} is not on the allow-list` };
    }
    if (config.replayCheck && typeof claims.jti === 'string') {
      const earlier = seen.get(claims.jti);
      if (earlier !== undefined && earlier + config.clockSkewSeconds >= nowS)
        return { ok: false, description: `token replayed: jti ${shown(claims.jti)} was already used` };
      remember(claims.jti, claims.exp!);
    }
    return { ok: true, claims };
  }

  return { verify, trust };
}

/** jose's error → a description that names the cause and what this service expected. */
function describe(e: unknown, config: ServiceConfig, nowS: number): string {
  const clock = `server time ${iso(nowS)}, allowed clock skew ${config.clockSkewSeconds} s`;
  if (e instanceof errors.JWTExpired) {
    const p = e.payload;
    if (e.claim === 'iat')
      return `clock skew or stale token: issued at ${iso(Number(p.iat))}, older than ${config.maxTokenAgeSeconds} s (${clock})`;
    return `clock skew or expired token: expired at ${iso(Number(p.exp))} (${clock})`;
  }
  if (e instanceof errors.JWTClaimValidationFailed) {
    const p = e.payload;
    switch (e.claim) {
      case 'nbf':
        return `clock skew: token not valid before ${iso(Number(p.nbf))} (${clock})`;
      case 'iat':
        return e.reason === 'missing' ? 'missing claim: iat' : `clock skew: token issued in the future at ${iso(Number(p.iat))} (${clock})`;
      case 'aud':
        return e.reason === 'missing'
          ? 'missing claim: aud'
          : `wrong audience: aud ${shown(p.aud)}, this service accepts ${shown(config.audience)}`;
      case 'iss':
        return e.reason === 'missing'
          ? 'missing claim: iss'
          : `wrong issuer: iss ${shown(p.iss)}, this service accepts ${shown(config.issuer)}`;
      default:
        return e.reason === 'missing' ? `missing claim: ${e.claim}` : `claim ${e.claim} is invalid`;
    }
  }
  if (e instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed: only RS256 is accepted';
  if (e instanceof errors.JWSSignatureVerificationFailed)
    return 'untrusted certificate: the signature does not verify with the certificate this service trusts';
  if (e instanceof errors.JWKSNoMatchingKey) return 'untrusted certificate: no key in the trusted key set matches the token';
  if (e instanceof errors.JWKSTimeout || (e instanceof errors.JOSEError && e.code === 'ERR_JWKS_INVALID'))
    return 'key set unavailable: the service could not load its JWKS';
  if (e instanceof errors.JOSENotSupported) return 'algorithm not allowed: only RS256 is accepted';
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return 'malformed token: not a signed JWT';
  return 'token could not be verified';
}

/** SHA-256 of a token, for correlating log lines without writing the token itself. */
export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 16);
