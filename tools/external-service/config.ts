/**
 * The reference external service's settings, from the environment (a deployment elsewhere sets these;
 * `setup:orgs --external-service` sets them for the copy it starts on loopback). Bad values fail at
 * start with the variable to fix, never at the first request.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { ToolError } from '../core/ToolError.ts';

export interface ServiceConfig {
  host: string;
  port: number;
  /** Base URL callers use; the default audience. */
  publicUrl: string;
  /** Expected `iss`: who mints the tokens (Org A). */
  issuer: string;
  /** Expected `aud`: this service. */
  audience: string;
  /** True when publicUrl/audience were derived from host and port (then port 0 resolves at start). */
  publicUrlDefaulted?: boolean;
  audienceDefaulted?: boolean;
  /** `sub` values allowed to call. */
  allowedSubjects: string[];
  /** Org A's certificate (public PEM), or … */
  certificatePem?: string;
  /** … a JWKS URL that publishes its key. */
  jwksUrl?: string;
  /** Leeway for exp/nbf/iat, seconds: bounded so a wide setting can't turn expiry off. */
  clockSkewSeconds: number;
  /** Oldest `iat` accepted, seconds: a token lives at most this long whatever its `exp` says. */
  maxTokenAgeSeconds: number;
  /** Refuse a jti seen before (on by default; whether Salesforce re-mints per callout is unverified). */
  replayCheck: boolean;
}

export const ENV = {
  host: 'EXTERNAL_SERVICE_HOST',
  port: 'EXTERNAL_SERVICE_PORT',
  publicUrl: 'EXTERNAL_SERVICE_PUBLIC_URL',
  issuer: 'EXTERNAL_SERVICE_ISSUER',
  audience: 'EXTERNAL_SERVICE_AUDIENCE',
  subjects: 'EXTERNAL_SERVICE_SUBJECTS',
  certFile: 'EXTERNAL_SERVICE_CERT_FILE',
  certPem: 'EXTERNAL_SERVICE_CERT_PEM',
  jwksUrl: 'EXTERNAL_SERVICE_JWKS_URL',
  clockSkew: 'EXTERNAL_SERVICE_CLOCK_SKEW_SECONDS',
  maxAge: 'EXTERNAL_SERVICE_MAX_TOKEN_AGE_SECONDS',
  replayCheck: 'EXTERNAL_SERVICE_REPLAY_CHECK',
} as const;

export const DEFAULT_PORT = 6300;
export const MAX_CLOCK_SKEW_SECONDS = 300;

const bad = (variable: string, message: string, fix: string) => new ToolError(`${variable}: ${message}`, 'BadServiceConfig', [fix]);

function int(env: NodeJS.ProcessEnv, variable: string, fallback: number, min: number, max: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw bad(
      variable,
      `'${raw}' is not a whole number from ${min} to ${max}.`,
      `Set ${variable} to a value from ${min} to ${max}, or unset it (default ${fallback}).`,
    );
  return n;
}

/** Reads and checks the settings; throws ToolError naming the variable to fix. */
export function readServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const host = env[ENV.host] || '127.0.0.1';
  const port = int(env, ENV.port, DEFAULT_PORT, 0, 65535);
  const publicUrl = (env[ENV.publicUrl] || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  const issuer = env[ENV.issuer] ?? '';
  if (!issuer)
    throw bad(ENV.issuer, 'is not set.', `Set ${ENV.issuer} to the iss Org A's credential sends (setup:orgs uses A's My Domain URL).`);
  const audience = env[ENV.audience] || publicUrl;
  const allowedSubjects = (env[ENV.subjects] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!allowedSubjects.length)
    throw bad(ENV.subjects, 'is empty: no subject could call.', `Set ${ENV.subjects} to a comma-separated list of allowed sub values.`);
  let certificatePem = env[ENV.certPem] || undefined;
  if (!certificatePem && env[ENV.certFile]) {
    try {
      certificatePem = readFileSync(env[ENV.certFile]!, 'utf8');
    } catch (e) {
      throw bad(
        ENV.certFile,
        `cannot read ${env[ENV.certFile]}: ${(e as Error).message}`,
        "Point it at Org A's certificate (the public PEM retrieved from Certificate and Key Management).",
      );
    }
  }
  const jwksUrl = env[ENV.jwksUrl] || undefined;
  if (!certificatePem === !jwksUrl) {
    throw bad(
      certificatePem ? ENV.jwksUrl : ENV.certFile,
      certificatePem ? 'set together with a certificate: trust one source.' : 'no key to trust.',
      `Set exactly one of ${ENV.certFile} (or ${ENV.certPem}) and ${ENV.jwksUrl}.`,
    );
  }
  if (certificatePem) {
    try {
      const cert = new X509Certificate(certificatePem);
      if (cert.publicKey.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
    } catch (e) {
      throw bad(
        ENV.certFile,
        `not an RSA X.509 certificate (${(e as Error).message}).`,
        "Use Org A's signing certificate in PEM form (-----BEGIN CERTIFICATE-----).",
      );
    }
  }
  if (jwksUrl && !/^https?:\/\//.test(jwksUrl))
    throw bad(ENV.jwksUrl, `'${jwksUrl}' is not an http(s) URL.`, 'Set the full URL of the key set.');
  return {
    host,
    port,
    publicUrl,
    issuer,
    audience,
    publicUrlDefaulted: !env[ENV.publicUrl],
    audienceDefaulted: !env[ENV.audience],
    allowedSubjects,
    certificatePem,
    jwksUrl,
    clockSkewSeconds: int(env, ENV.clockSkew, 60, 0, MAX_CLOCK_SKEW_SECONDS),
    maxTokenAgeSeconds: int(env, ENV.maxAge, 300, 30, 3600),
    replayCheck: !['off', 'false', '0'].includes((env[ENV.replayCheck] ?? '').toLowerCase()),
  };
}
