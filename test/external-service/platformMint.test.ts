/**
 * Org A (a local org) calls the reference service through `callout:External_Service`: the platform mints
 * a JWT with A's certificate per callout, as the credential's protocol JWT says, and the real service
 * (in-process, loopback) verifies it. Both the External Credential form and the legacy `Jwt` form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { addScratchOrg, startTestPlatform } from '../local-platform/helpers.ts';
import { createApexHost } from '../../tools/local-platform/apex/apexHost.ts';
import { insertRecord, tx, type StoredOrg } from '../../tools/data/store.ts';
import { deployZip, getCertificate } from '../../tools/local-platform/metadata/index.ts';
import * as metadataModule from '../../tools/local-platform/metadata/index.ts';
import { namedCredentialErrors } from '../../tools/local-platform/apex/namedCredentials.ts';
import { readServiceConfig } from '../../tools/external-service/config.ts';
import { createKeyMaterial } from '../../tools/certs/index.ts';
import { startExternalService, type ExternalService } from '../../tools/external-service/server.ts';
import {
  renderExternalServiceCredential,
  renderLegacyExternalServiceCredential,
  SERVICE_NAMED_CREDENTIAL,
  SERVICE_PERMSET,
  type ExternalServiceInput,
} from '../../tools/provisioning/renderExternalService.ts';

const MD = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
let p: Awaited<ReturnType<typeof startTestPlatform>>;
let orgA: StoredOrg;
let adminA: string;
let service: ExternalService;
let input: ExternalServiceInput;
const sent: Record<string, string>[] = [];

async function deploy(files: Record<string, string>) {
  const zip = new JSZip();
  const typeOf: Record<string, string> = {
    externalCredentials: 'ExternalCredential',
    namedCredentials: 'NamedCredential',
    permissionsets: 'PermissionSet',
    certs: 'Certificate',
  };
  const members: Record<string, string[]> = {};
  for (const [path, content] of Object.entries(files)) {
    const rel = path.replace(/^main\/default\//, '');
    const [folder, file] = rel.split('/');
    zip.file(rel.endsWith('.crt-meta.xml') || rel.endsWith('.crt') ? rel : rel.replace(/-meta\.xml$/, ''), content);
    const name = file!.replace(/\..*$/, '');
    const list = (members[typeOf[folder!]!] ??= []);
    if (!list.includes(name)) list.push(name);
  }
  const types = Object.entries(members)
    .map(([t, m]) => `<types>${m.map((x) => `<members>${x}</members>`).join('')}<name>${t}</name></types>`)
    .join('');
  zip.file('package.xml', `<?xml version="1.0" encoding="UTF-8"?><Package ${MD}>${types}<version>66.0</version></Package>`);
  return deployZip({ db: p.db, org: orgA, records: p.records, userId: adminA }, await zip.generateAsync({ type: 'nodebuffer' }));
}

const recordingFetch: typeof fetch = async (url, init) => {
  sent.push({ ...(init?.headers as Record<string, string>) });
  return fetch(url, init);
};
const call = (endpoint = `callout:${SERVICE_NAMED_CREDENTIAL}/users`) =>
  createApexHost({ db: p.db, org: orgA, userId: adminA, metadata: metadataModule, records: p.records, fetchImpl: recordingFetch }).callout({
    method: 'GET',
    endpoint,
    headers: { Accept: 'application/json' },
    body: '',
    timeoutMs: 10_000,
  });

beforeAll(async () => {
  p = await startTestPlatform();
  const made = addScratchOrg(p, 'Org A', 'admin@orga.local');
  orgA = made.org;
  adminA = made.adminId;
  const crt = `<Certificate ${MD}><caSigned>false</caSigned><keySize>2048</keySize><masterLabel>OrgA_JWT_Signing</masterLabel><privateKeyExportable>false</privateKeyExportable></Certificate>`;
  expect((await deploy({ 'certs/OrgA_JWT_Signing.crt': '', 'certs/OrgA_JWT_Signing.crt-meta.xml': crt })).status).toBe('Succeeded');
  const config = readServiceConfig({
    EXTERNAL_SERVICE_PORT: '0',
    EXTERNAL_SERVICE_ISSUER: orgA.instanceUrl,
    EXTERNAL_SERVICE_AUDIENCE: 'urn:external-service:test',
    EXTERNAL_SERVICE_SUBJECTS: 'admin@orga.local',
    EXTERNAL_SERVICE_CERT_PEM: getCertificate(p.db, orgA.id, 'OrgA_JWT_Signing')!.certificatePem,
  });
  service = await startExternalService(config);
  input = {
    serviceUrl: service.url,
    issuer: orgA.instanceUrl,
    subject: 'admin@orga.local',
    audience: 'urn:external-service:test',
    certificateName: 'OrgA_JWT_Signing',
  };
});

afterAll(async () => {
  await service?.close();
  await p?.cleanup();
});

describe('callout:External_Service (protocol JWT) on the local platform', () => {
  it("refuses a user without the principal access with Salesforce's message", async () => {
    const r = await deploy(renderExternalServiceCredential(input));
    expect(r.status, JSON.stringify(r.details.componentFailures)).toBe('Succeeded');
    await expect(call()).rejects.toThrow(namedCredentialErrors.notAccessible(SERVICE_NAMED_CREDENTIAL));
  });

  it("sends a fresh RS256 JWT signed with A's certificate, with the claims the credential sets, and the service accepts it", async () => {
    const ps = p.db
      .prepare("SELECT id FROM records WHERE org_id = ? AND sobject = 'PermissionSet' AND json_extract(fields,'$.Name') = ?")
      .get(orgA.id, SERVICE_PERMSET) as { id: string };
    tx(p.db, () =>
      insertRecord(p.db, orgA.id, 'PermissionSetAssignment', { AssigneeId: adminA, PermissionSetId: ps.id }, { trusted: true }),
    );
    sent.length = 0;
    const first = await call();
    expect(first.statusCode, first.body.toString()).toBe(200);
    expect(JSON.parse(first.body.toString()).caller).toEqual({ sub: 'admin@orga.local', iss: orgA.instanceUrl });
    const second = await call();
    expect(second.statusCode, 'a second callout carries a new token, so the replay cache lets it through').toBe(200);

    const tokens = sent.map((h) => h.Authorization!.replace(/^Bearer /, ''));
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(decodeProtectedHeader(tokens[0]!)).toMatchObject({ alg: 'RS256' });
    const claims = decodeJwt(tokens[0]!);
    expect(claims).toMatchObject({ iss: orgA.instanceUrl, sub: 'admin@orga.local', aud: 'urn:external-service:test' });
    expect(claims.exp! - claims.iat!).toBe(120);
    expect(sent[0]!.Accept).toBe('application/json');
  });

  it('the legacy Named Credential with protocol Jwt mints the same kind of token', async () => {
    const r = await deploy(renderLegacyExternalServiceCredential(input));
    expect(r.status, JSON.stringify(r.details.componentFailures)).toBe('Succeeded');
    sent.length = 0;
    const res = await call();
    expect(res.statusCode, res.body.toString()).toBe(200);
    expect(decodeJwt(sent[0]!.Authorization!.replace(/^Bearer /, ''))).toMatchObject({
      iss: orgA.instanceUrl,
      aud: 'urn:external-service:test',
    });
  });

  it("the service's refusals reach A as 401s naming the cause: a clock ahead of A's, a certificate it does not trust", async () => {
    const trusted = getCertificate(p.db, orgA.id, 'OrgA_JWT_Signing')!.certificatePem;
    const base = {
      EXTERNAL_SERVICE_PORT: '0',
      EXTERNAL_SERVICE_ISSUER: orgA.instanceUrl,
      EXTERNAL_SERVICE_AUDIENCE: input.audience,
      EXTERNAL_SERVICE_SUBJECTS: 'admin@orga.local',
    };
    const cases = [
      // Ten minutes ahead: A's two-minute token has expired on the service's clock.
      { config: { ...base, EXTERNAL_SERVICE_CERT_PEM: trusted }, now: () => Date.now() + 600_000, cause: /clock skew or expired token/ },
      {
        config: { ...base, EXTERNAL_SERVICE_CERT_PEM: (await createKeyMaterial({ alias: 'Other' })).certificatePem },
        now: Date.now,
        cause: /untrusted certificate/,
      },
    ];
    for (const c of cases) {
      const other = await startExternalService(readServiceConfig(c.config), () => {}, c.now);
      try {
        expect((await deploy(renderLegacyExternalServiceCredential({ ...input, serviceUrl: other.url }))).status).toBe('Succeeded');
        const r = await call();
        expect(r.statusCode).toBe(401);
        expect(r.headers['www-authenticate']).toMatch(c.cause);
      } finally {
        await other.close();
      }
    }
  });

  it('sends such tokens only to loopback hosts', async () => {
    const r = await deploy(renderLegacyExternalServiceCredential({ ...input, serviceUrl: 'https://service.example.com' }));
    expect(r.status).toBe('Succeeded');
    sent.length = 0;
    await expect(call()).rejects.toThrow(/sends tokens signed|only to loopback hosts/);
    expect(sent).toHaveLength(0);
  });

  it('a JWT External Credential without a signing certificate does not deploy', async () => {
    const files = renderExternalServiceCredential(input);
    const path = Object.keys(files).find((f) => f.includes('externalCredentials/'))!;
    const broken = files[path]!.replace(
      / {4}<externalCredentialParameters>\n {8}<certificate>[\s\S]*?<\/externalCredentialParameters>\n/,
      '',
    );
    expect(broken).not.toContain('SigningCertificate');
    const r = await deploy({ [path]: broken });
    expect(r.status).toBe('Failed');
    expect(JSON.stringify(r.details.componentFailures)).toContain(
      'requires the following external credential parameter types: SigningCertificate',
    );
  });
});
