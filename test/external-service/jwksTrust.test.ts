/**
 * The service trusting a JWKS URL instead of a certificate file: a token whose kid names a published key
 * passes; a token signed by a key the set does not publish is refused as an untrusted certificate.
 */
import { createServer, type Server } from 'node:http';
import { createPublicKey } from 'node:crypto';
import { SignJWT, exportJWK, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyMaterial, type KeyMaterial } from '../../tools/certs/index.ts';
import { readServiceConfig } from '../../tools/external-service/config.ts';
import { startExternalService, type ExternalService } from '../../tools/external-service/server.ts';

let orgA: KeyMaterial;
let stranger: KeyMaterial;
let keys: Server;
let service: ExternalService;
const ISSUER = 'https://orga.example.my.salesforce.com';

beforeAll(async () => {
  [orgA, stranger] = await Promise.all([createKeyMaterial({ alias: 'OrgA_JWT_Signing' }), createKeyMaterial({ alias: 'Stranger' })]);
  const jwk = { ...(await exportJWK(createPublicKey(orgA.certificatePem))), kid: 'OrgA_JWT_Signing', alg: 'RS256', use: 'sig' };
  keys = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => keys.listen(0, '127.0.0.1', () => r()));
  const address = keys.address() as { port: number };
  service = await startExternalService(
    readServiceConfig({
      EXTERNAL_SERVICE_PORT: '0',
      EXTERNAL_SERVICE_ISSUER: ISSUER,
      EXTERNAL_SERVICE_SUBJECTS: 'admin@orga.example',
      EXTERNAL_SERVICE_JWKS_URL: `http://127.0.0.1:${address.port}/id/keys`,
    }),
  );
});

afterAll(async () => {
  await service?.close();
  keys?.close();
});

async function call(key: KeyMaterial) {
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ iss: ISSUER, sub: 'admin@orga.example', aud: service.url, iat: now, exp: now + 120 })
    .setProtectedHeader({ alg: 'RS256', kid: 'OrgA_JWT_Signing' })
    .sign(await importPKCS8(key.privateKeyPem, 'RS256'));
  const res = await fetch(`${service.url}/users`, { headers: { Authorization: `Bearer ${jwt}` } });
  return { status: res.status, challenge: res.headers.get('www-authenticate') ?? '' };
}

describe('external service trusting a JWKS URL', () => {
  it('accepts a token signed with the published key', async () => {
    const r = await call(orgA);
    expect(r.status, r.challenge).toBe(200);
  });

  it('refuses a token signed with a key the set does not publish', async () => {
    const r = await call(stranger);
    expect(r.status).toBe(401);
    expect(r.challenge).toContain('error_description="untrusted certificate');
  });
});
