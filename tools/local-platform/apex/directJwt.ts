/**
 * Named Credentials whose protocol is JWT itself (no exchange): Salesforce mints a JWT, signs it RS256
 * with the org's certificate and sends it as `Authorization: Bearer` on every callout; the external
 * service verifies it. Two forms:
 * - new model: an External Credential with `authenticationProtocol` `Jwt` (Connect API lists `Jwt`;
 *   Help "Create or Edit a JWT External Credential"; the Metadata API reference of API 56 still says
 *   "Reserved for future use" — UNVERIFIED that a deploy takes it, see docs/salesforce-rules.md#jwt-external-credential);
 *   claims come from `JwtBodyClaim` rows, extra header fields from `JwtHeaderClaim` rows, the key from the
 *   `SigningCertificate` row's `certificate`.
 * - legacy: a NamedCredential with `protocol` `Jwt` ("for connections using a direct token system"),
 *   `jwtIssuer`, `jwtTextSubject`, `jwtAudience` (JSON), `jwtSigningCertificate`, `jwtValidityPeriodSeconds`.
 * Claims follow the Named Credentials JWT claims reference: iss, sub, aud as configured, iat now, exp
 * two minutes later unless set, alg RS256. UNVERIFIED: whether Salesforce also adds `typ`, `kid` (we send
 * the certificate's name), `nbf` (we send iat) and `jti` (we send a fresh UUID per callout), and whether it
 * re-mints per callout (we do) or reuses a token until it expires.
 * The local platform sends these tokens only to loopback hosts: a key held by a local org never leaves
 * the machine.
 */
import { createPrivateKey, randomUUID, sign as cryptoSign } from 'node:crypto';
import type { ExternalCredentialInfo, NamedCredentialInfo } from '../metadata/lookups.ts';

export const DEFAULT_DIRECT_JWT_SECONDS = 120;

export interface DirectJwtConfig {
  certificate: string;
  claims: Record<string, string | string[]>;
  header: Record<string, string>;
  validitySeconds: number;
}

/** Why a credential can't be used; the caller turns it into Salesforce's error. */
export class DirectJwtProblem extends Error {}

const FORMULA = /\{!/;

/** Legacy `jwtAudience` is JSON: `"aud1"` or `["aud1","aud2"]` (META NamedCredential); a bare URL is taken as is. */
export function parseAudience(value: string): string | string[] {
  const v = value.trim();
  if (v.startsWith('"') || v.startsWith('[')) {
    try {
      const parsed = JSON.parse(v) as unknown;
      if (typeof parsed === 'string' || (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')))
        return parsed as string | string[];
    } catch {
      /* the literal text is the audience */
    }
  }
  return v;
}

/** The legacy `protocol` `Jwt` NamedCredential's settings. */
export function directJwtFromLegacy(nc: NamedCredentialInfo): DirectJwtConfig {
  const j = nc.jwt;
  const missing = [
    ['jwtIssuer', j.issuer],
    ['jwtTextSubject', j.subject],
    ['jwtAudience', j.audience],
    ['jwtSigningCertificate', j.signingCertificate],
  ]
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (j.formulaSubject && !j.subject)
    throw new DirectJwtProblem('the local platform does not evaluate jwtFormulaSubject; use jwtTextSubject');
  if (missing.length) throw new DirectJwtProblem(`missing ${missing.join(', ')}`);
  return {
    certificate: j.signingCertificate!,
    claims: { iss: j.issuer!, sub: j.subject!, aud: parseAudience(j.audience!) },
    header: {},
    validitySeconds: j.validitySeconds ?? DEFAULT_DIRECT_JWT_SECONDS,
  };
}

/** The `Jwt` External Credential's settings for one principal (its group's rows first, then ungrouped/default). */
export function directJwtFromExternal(ec: ExternalCredentialInfo, principal: string): DirectJwtConfig {
  const rows = (type: string) => {
    const all = ec.parameters.filter((p) => p.type === type);
    const own = all.filter((p) => p.group === principal);
    const names = new Set(own.map((p) => p.name));
    return [...own, ...all.filter((p) => p.group !== principal && !names.has(p.name))];
  };
  const signing = rows('SigningCertificate')[0];
  const certificate = signing?.certificate ?? signing?.value;
  const claims: Record<string, string | string[]> = {};
  let validitySeconds = DEFAULT_DIRECT_JWT_SECONDS;
  for (const p of rows('JwtBodyClaim')) {
    if (!p.name || p.value === undefined) continue;
    if (FORMULA.test(p.value)) throw new DirectJwtProblem(`the local platform does not evaluate formula claims (${p.name} = ${p.value})`);
    if (p.name === 'exp') {
      // A number is read as the lifetime in seconds (the Setup field "Expiration"); absolute times come as formulas.
      const n = Number(p.value);
      if (!Number.isInteger(n) || n <= 0) throw new DirectJwtProblem(`exp '${p.value}' is not a number of seconds`);
      validitySeconds = n;
      continue;
    }
    if (p.name === 'iat') continue; // set at minting, not editable (JWT claims reference)
    claims[p.name] = p.name === 'aud' ? parseAudience(p.value) : p.value;
  }
  const header: Record<string, string> = {};
  for (const p of rows('JwtHeaderClaim')) if (p.name && p.name !== 'alg' && p.value !== undefined) header[p.name] = p.value;
  const missing = [
    ['SigningCertificate', certificate],
    ['JwtBodyClaim iss', claims.iss],
    ['JwtBodyClaim sub', claims.sub],
    ['JwtBodyClaim aud', claims.aud],
  ]
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length) throw new DirectJwtProblem(`missing ${missing.join(', ')}`);
  return { certificate: certificate!, claims, header, validitySeconds };
}

/** One JWT as the credential sends it: RS256 over header and claims, fresh iat/nbf/exp/jti. */
export function mintDirectJwt(config: DirectJwtConfig, privateKeyPem: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const header = { typ: 'JWT', kid: config.certificate, ...config.header, alg: 'RS256' };
  const claims = { ...config.claims, iat: nowSeconds, nbf: nowSeconds, exp: nowSeconds + config.validitySeconds, jti: randomUUID() };
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${cryptoSign('sha256', Buffer.from(input), createPrivateKey(privateKeyPem)).toString('base64url')}`;
}

/** Loopback only: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}
