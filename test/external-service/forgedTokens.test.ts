/**
 * The reference service against forged and misused tokens, in-process: each case is one way an attacker
 * or a misconfigured caller gets a token wrong, and the service must answer 401 (400 for a token in the
 * URL) with an RFC 6750 challenge whose error_description names the cause, and log no token.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyMaterial, type KeyMaterial } from '../../tools/certs/index.ts';
import { readServiceConfig } from '../../tools/external-service/config.ts';
import { startExternalService, type ExternalService, type LogLine } from '../../tools/external-service/server.ts';

const ISSUER = 'https://orga.example.my.salesforce.com';
const SUBJECT = 'admin@orga.example';
let orgA: KeyMaterial;
let stranger: KeyMaterial;
let service: ExternalService;
let audience: string;
const logs: LogLine[] = [];

beforeAll(async () => {
  [orgA, stranger] = await Promise.all([createKeyMaterial({ alias: 'OrgA_JWT_Signing' }), createKeyMaterial({ alias: 'Someone_Else' })]);
  const config = readServiceConfig({
    EXTERNAL_SERVICE_PORT: '0',
    EXTERNAL_SERVICE_ISSUER: ISSUER,
    EXTERNAL_SERVICE_AUDIENCE: 'https://service.example/users-api',
    EXTERNAL_SERVICE_SUBJECTS: `${SUBJECT}, other@orga.example`,
    EXTERNAL_SERVICE_CERT_PEM: orgA.certificatePem,
    EXTERNAL_SERVICE_CLOCK_SKEW_SECONDS: '30',
  });
  audience = config.audience;
  service = await startExternalService(config, (l) => logs.push(l));
});

afterAll(async () => service?.close());

const now = () => Math.floor(Date.now() / 1000);

/** A token as Org A's Named Credential mints it, with overrides. */
async function token(claims: Record<string, unknown> = {}, key: KeyMaterial = orgA): Promise<string> {
  const base = { iss: ISSUER, sub: SUBJECT, aud: audience, iat: now(), exp: now() + 120, jti: randomUUID() };
  return new SignJWT({ ...base, ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .sign(await importPKCS8(key.privateKeyPem, 'RS256'));
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

async function call(authorization?: string, query = '') {
  const res = await fetch(`${service.url}/users${query}`, { headers: authorization ? { Authorization: authorization } : {} });
  return { status: res.status, challenge: res.headers.get('www-authenticate') ?? '', body: (await res.json()) as Record<string, unknown> };
}

/** The refusal a forged token must get: 401, invalid_token, and a description naming the cause. */
async function expectRefused(jwt: string, cause: RegExp) {
  const r = await call(`Bearer ${jwt}`);
  expect(r.status).toBe(401);
  expect(r.challenge).toMatch(/^Bearer realm="external-service", error="invalid_token", error_description="[^"]+"$/);
  expect(r.challenge).toMatch(cause);
  expect(r.body.users).toBeUndefined();
  expect(JSON.stringify(logs)).not.toContain(jwt);
  return r;
}

describe('external service: a genuine token', () => {
  it('gets the users, and the log line names the caller without the token', async () => {
    const jwt = await token();
    const r = await call(`Bearer ${jwt}`);
    expect(r.status).toBe(200);
    expect((r.body.users as unknown[]).length).toBe(3);
    expect(r.body.caller).toEqual({ sub: SUBJECT, iss: ISSUER });
    const line = logs.at(-1)!;
    expect(line).toMatchObject({ path: '/users', status: 200, sub: SUBJECT });
    expect(JSON.stringify(logs)).not.toContain(jwt);
  });

  it('health answers without a token and says what it trusts', async () => {
    const res = await fetch(`${service.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      issuer: ISSUER,
      audience,
      trust: `certificate SHA-256 ${orgA.fingerprintSha256}`,
    });
  });
});

describe('external service refuses forged tokens', () => {
  it('alg none', async () => {
    const claims = { iss: ISSUER, sub: SUBJECT, aud: audience, iat: now(), exp: now() + 120 };
    await expectRefused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, /algorithm not allowed: only RS256/);
  });

  it('HS256 signed with the public certificate as the secret', async () => {
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: ISSUER, sub: SUBJECT, aud: audience, iat: now(), exp: now() + 120 })}`;
    const mac = createHmac('sha256', orgA.certificatePem).update(input).digest('base64url');
    await expectRefused(`${input}.${mac}`, /algorithm not allowed: only RS256/);
  });

  it('expired beyond the clock skew', async () => {
    await expectRefused(
      await token({ iat: now() - 200, exp: now() - 31 }),
      /clock skew or expired token: expired at .*allowed clock skew 30 s/,
    );
  });

  it('nbf in the future beyond the clock skew', async () => {
    await expectRefused(await token({ nbf: now() + 90 }), /clock skew: token not valid before/);
  });

  it('wrong audience', async () => {
    await expectRefused(
      await token({ aud: 'https://another-service.example' }),
      /wrong audience: aud 'https:\/\/another-service.example', this service accepts 'https:\/\/service.example\/users-api'/,
    );
  });

  it('wrong issuer', async () => {
    await expectRefused(await token({ iss: 'https://evil.example' }), /wrong issuer: iss 'https:\/\/evil.example'/);
  });

  it('tampered payload (sub swapped after signing)', async () => {
    const [h, , s] = (await token()).split('.');
    const forged = `${h}.${b64({ iss: ISSUER, sub: 'other@orga.example', aud: audience, iat: now(), exp: now() + 120 })}.${s}`;
    await expectRefused(forged, /untrusted certificate: the signature does not verify/);
  });

  it("signed with another key than Org A's certificate", async () => {
    await expectRefused(await token({}, stranger), /untrusted certificate: the signature does not verify/);
  });

  it('replayed jti', async () => {
    const jwt = await token();
    expect((await call(`Bearer ${jwt}`)).status).toBe(200);
    await expectRefused(jwt, /token replayed: jti '[0-9a-f-]+' was already used/);
  });

  it('sub not on the allow-list', async () => {
    await expectRefused(await token({ sub: 'intruder@orga.example' }), /subject not allowed: sub 'intruder@orga.example'/);
  });

  it('sub that is not a string, even an array or object holding an allowed subject', async () => {
    await expectRefused(
      await token({ sub: [SUBJECT] }),
      /subject not allowed: sub must be a string \(RFC 7519 section 4\.1\.2\), got an array/,
    );
    await expectRefused(await token({ sub: { toString: SUBJECT } }), /sub must be a string/);
  });

  it('token in the query string instead of the header: refused, and the URL is logged without it', async () => {
    const jwt = await token();
    const r = await call(undefined, `?access_token=${jwt}`);
    expect(r.status).toBe(400);
    expect(r.challenge).toMatch(/error="invalid_request", error_description="access_token in the query string is refused/);
    expect(r.body.users).toBeUndefined();
    expect(logs.at(-1)).toMatchObject({ path: '/users', status: 400 });
    expect(JSON.stringify(logs)).not.toContain(jwt);
  });

  it('no token at all: the challenge without an error code (RFC 6750 §3.1)', async () => {
    const r = await call();
    expect(r.status).toBe(401);
    expect(r.challenge).toBe('Bearer realm="external-service"');
  });
});

describe('external service configuration', () => {
  const base = { EXTERNAL_SERVICE_ISSUER: ISSUER, EXTERNAL_SERVICE_SUBJECTS: SUBJECT };
  it('bounds the clock skew and names the variable to fix', () => {
    expect(() =>
      readServiceConfig({ ...base, EXTERNAL_SERVICE_CERT_PEM: orgA.certificatePem, EXTERNAL_SERVICE_CLOCK_SKEW_SECONDS: '3600' }),
    ).toThrow(/EXTERNAL_SERVICE_CLOCK_SKEW_SECONDS: '3600' is not a whole number from 0 to 300/);
  });
  it('needs exactly one source of trust', () => {
    expect(() => readServiceConfig(base)).toThrow(/no key to trust/);
    expect(() =>
      readServiceConfig({
        ...base,
        EXTERNAL_SERVICE_CERT_PEM: orgA.certificatePem,
        EXTERNAL_SERVICE_JWKS_URL: 'https://keys.example/jwks',
      }),
    ).toThrow(/trust one source/);
  });
  it('refuses a private key where the certificate belongs', () => {
    expect(() => readServiceConfig({ ...base, EXTERNAL_SERVICE_CERT_PEM: orgA.privateKeyPem })).toThrow(/not an RSA X.509 certificate/);
  });
});
