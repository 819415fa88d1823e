import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerify, X509Certificate } from 'node:crypto';
import JSZip from 'jszip';
import { addScratchOrg, startTestPlatform } from '../local-platform/helpers.ts';
import { createApexHost } from '../../tools/local-platform/apex/apexHost.ts';
import { profileId } from '../../tools/local-platform/devhub/orgs.ts';
import { insertApp } from '../../tools/local-platform/oauth/oauth.ts';
import { getOrg, insertRecord, tx, type StoredOrg } from '../../tools/data/store.ts';
import { deployZip, getCertificate } from '../../tools/local-platform/metadata/index.ts';
import * as metadataModule from '../../tools/local-platform/metadata/index.ts';
import { cachedTokenCount, clearNamedCredentialTokens, namedCredentialErrors } from '../../tools/local-platform/apex/namedCredentials.ts';
import {
  NAMED_CREDENTIAL,
  NAMED_CREDENTIAL_PERMSET,
  renderLegacyJwtExchange,
  renderNamedCredential,
  type NamedCredentialInput,
} from '../../tools/provisioning/renderNamedCredential.ts';

/**
 * Org A (a local org) calls Org B (the local Dev Hub, a real HTTP listener) through `callout:Org_B`: the
 * platform signs with A's deployed certificate, trades the assertion at B's real token endpoint, caches
 * the token, re-mints after a 401, and fails with Salesforce's messages.
 */
let p: Awaited<ReturnType<typeof startTestPlatform>>;
let orgA: StoredOrg;
let adminA: string;
let input: NamedCredentialInput;
const calls: { url: string; headers: Record<string, string>; body?: string }[] = [];
const MD = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const CONSUMER_KEY = '3MVGnamedCredentialTestKey0123456789';

/** Source-format files (main/default/…-meta.xml) as a Metadata API zip, the way the CLI converts them. */
async function deploySource(files: Record<string, string>, extra: Record<string, string> = {}) {
  const zip = new JSZip();
  const members: Record<string, string[]> = {};
  const typeOf: Record<string, string> = {
    externalCredentials: 'ExternalCredential',
    namedCredentials: 'NamedCredential',
    permissionsets: 'PermissionSet',
    certs: 'Certificate',
  };
  for (const [path, content] of Object.entries({ ...files, ...extra })) {
    const rel = path.replace(/^main\/default\//, '');
    const [folder, file] = rel.split('/');
    const mdPath = rel.endsWith('.crt-meta.xml') || rel.endsWith('.crt') ? rel : rel.replace(/-meta\.xml$/, '');
    zip.file(mdPath, content);
    const name = file!.replace(/\..*$/, '');
    const list = (members[typeOf[folder!]!] ??= []);
    if (!list.includes(name)) list.push(name);
  }
  const types = Object.entries(members)
    .map(([t, m]) => `<types>${m.map((x) => `<members>${x}</members>`).join('')}<name>${t}</name></types>`)
    .join('');
  zip.file('package.xml', `<?xml version="1.0" encoding="UTF-8"?><Package ${MD}>${types}<version>66.0</version></Package>`);
  const r = await deployZip({ db: p.db, org: orgA, records: p.records, userId: adminA }, await zip.generateAsync({ type: 'nodebuffer' }));
  expect(r.status, JSON.stringify(r.details.componentFailures)).toBe('Succeeded');
}

const cert = (name: string) => ({
  [`certs/${name}.crt`]: '',
  [`certs/${name}.crt-meta.xml`]: `<Certificate ${MD}><caSigned>false</caSigned><keySize>2048</keySize><masterLabel>${name}</masterLabel><privateKeyExportable>false</privateKeyExportable></Certificate>`,
});

function addUserA(username: string, profile: string): string {
  return tx(p.db, () =>
    insertRecord(
      p.db,
      orgA.id,
      'User',
      { Username: username, LastName: 'User', Email: username, IsActive: true, ProfileId: profileId(p.db, orgA.id, profile)! },
      { trusted: true },
    ),
  );
}

function assign(userId: string, permissionSet: string): void {
  const ps = p.db
    .prepare("SELECT id FROM records WHERE org_id = ? AND sobject = 'PermissionSet' AND json_extract(fields,'$.Name') = ?")
    .get(orgA.id, permissionSet) as { id: string };
  tx(p.db, () => insertRecord(p.db, orgA.id, 'PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: ps.id }, { trusted: true }));
}

const recordingFetch: typeof fetch = async (url, init) => {
  calls.push({
    url: String(url),
    headers: { ...(init?.headers as Record<string, string>) },
    body: typeof init?.body === 'string' ? init.body : undefined,
  });
  return fetch(url, init);
};
const hostFor = (userId = adminA) =>
  createApexHost({ db: p.db, org: orgA, userId, metadata: metadataModule, records: p.records, fetchImpl: recordingFetch });
const get = (userId: string | undefined, endpoint: string) =>
  hostFor(userId).callout({ method: 'GET', endpoint, headers: { Accept: 'application/json' }, body: '', timeoutMs: 10_000 });
const tokenPosts = () => calls.filter((c) => c.url.endsWith('/services/oauth2/token'));

beforeAll(async () => {
  p = await startTestPlatform();
  const made = addScratchOrg(p, 'Org A', 'admin@orga.local');
  orgA = made.org;
  adminA = made.adminId;
  input = {
    loginUrl: p.url,
    instanceUrl: p.url,
    consumerKey: CONSUMER_KEY,
    username: p.adminUsername,
    certificateName: 'OrgA_JWT_Signing',
  };
  // A's certificates (key pairs generated by the deploy), then the new-model credential on top.
  await deploySource({}, { ...cert('OrgA_JWT_Signing'), ...cert('Untrusted_Cert') });
  await deploySource(renderNamedCredential(input));
  // B trusts A's OrgA_JWT_Signing only: its app carries that public certificate and pre-authorizes admins.
  insertApp(p.db, p.devHub.id, {
    kind: 'ConnectedApp',
    name: 'OrgA_Account_Reader',
    consumerKey: CONSUMER_KEY,
    certificatePem: getCertificate(p.db, orgA.id, 'OrgA_JWT_Signing')!.certificatePem,
    adminApproved: true,
    profiles: ['System Administrator'],
    permissionSets: [],
    deployedAt: Date.now() - 60_000,
  });
  assign(adminA, NAMED_CREDENTIAL_PERMSET);
});
afterAll(async () => {
  await p?.cleanup();
});
beforeEach(() => {
  calls.length = 0;
  clearNamedCredentialTokens();
});

describe('callout:Org_B through the External Credential (OAuth 2.0 JWT bearer)', () => {
  it("exchanges an RS256 assertion signed with A's certificate at B's token endpoint and calls B with the token", async () => {
    const r = await get(adminA, `callout:${NAMED_CREDENTIAL}/services/oauth2/userinfo`);
    expect(r.statusCode, r.body.toString()).toBe(200);
    expect(JSON.parse(r.body.toString()).preferred_username).toBe(p.adminUsername);

    const [post] = tokenPosts();
    expect(post!.url).toBe(`${p.url}/services/oauth2/token`);
    const form = new URLSearchParams(post!.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [h, c, s] = form.get('assertion')!.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'RS256' });
    const claims = JSON.parse(Buffer.from(c!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: CONSUMER_KEY, sub: p.adminUsername, aud: p.url });
    expect(claims.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(100);
    expect(claims.exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(120);
    const publicKey = new X509Certificate(getCertificate(p.db, orgA.id, 'OrgA_JWT_Signing')!.certificatePem).publicKey;
    expect(createVerify('RSA-SHA256').update(`${h}.${c}`).verify(publicKey, Buffer.from(s!, 'base64url'))).toBe(true);

    const call = calls.find((x) => x.url.endsWith('/services/oauth2/userinfo'))!;
    expect(call.headers.Authorization).toMatch(/^Bearer .+/);
    expect(call.headers.Accept).toBe('application/json');
  });

  it('needs no Remote Site Setting (A has none)', async () => {
    expect(metadataModule.listRemoteSites(p.db, orgA.id)).toEqual([]);
    expect((await get(adminA, `callout:${NAMED_CREDENTIAL}/services/oauth2/userinfo`)).statusCode).toBe(200);
  });

  it('caches the token per credential: a second callout makes no new exchange', async () => {
    await get(adminA, `callout:${NAMED_CREDENTIAL}/services/oauth2/userinfo`);
    await get(adminA, `callout:${NAMED_CREDENTIAL}/services/oauth2/userinfo?again=1`);
    expect(tokenPosts()).toHaveLength(1);
    expect(cachedTokenCount()).toBe(1);
  });

  it('re-mints once when B answers 401 for the cached token (revoked session)', async () => {
    const path = `/services/data/v66.0/query?q=${encodeURIComponent('SELECT Id FROM User LIMIT 1')}`;
    expect((await get(adminA, `callout:${NAMED_CREDENTIAL}${path}`)).statusCode).toBe(200);
    const old = calls.find((x) => x.url.includes('/query'))!.headers.Authorization!.slice('Bearer '.length);
    const revoked = await fetch(`${p.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${old}`,
    });
    expect(revoked.status).toBe(200);
    calls.length = 0;
    const r = await get(adminA, `callout:${NAMED_CREDENTIAL}${path}`);
    expect(r.statusCode, r.body.toString()).toBe(200);
    expect(tokenPosts()).toHaveLength(1);
    const sent = calls.filter((x) => x.url.includes('/query')).map((x) => x.headers.Authorization);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBe(`Bearer ${old}`);
    expect(sent[1]).not.toBe(`Bearer ${old}`);
  });

  it('hands a 401 for a freshly minted token back to Apex without looping, and keeps it out of the cache', async () => {
    // B's Account_Retriever-like refusal: a path that always answers 401 is not available, so revoke between mint and use.
    const revokingFetch: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      if (String(url).endsWith('/services/oauth2/token')) {
        const body = (await res.clone().json()) as { access_token: string };
        await fetch(`${p.url}/services/oauth2/revoke`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `token=${body.access_token}`,
        });
        calls.push({ url: String(url), headers: {} });
      }
      return res;
    };
    const host = createApexHost({
      db: p.db,
      org: orgA,
      userId: adminA,
      metadata: metadataModule,
      records: p.records,
      fetchImpl: revokingFetch,
    });
    const r = await host.callout({
      method: 'GET',
      endpoint: `callout:${NAMED_CREDENTIAL}/services/data/v66.0/query?q=SELECT+Id+FROM+User`,
      headers: {},
      body: '',
      timeoutMs: 10_000,
    });
    expect(r.statusCode).toBe(401);
    expect(tokenPosts()).toHaveLength(1);
    expect(cachedTokenCount()).toBe(0);
  });

  it("fails with Salesforce's message for a missing named credential", async () => {
    await expect(get(adminA, 'callout:Nope/services/oauth2/userinfo')).rejects.toThrow(namedCredentialErrors.notAccessible('Nope'));
    expect(namedCredentialErrors.notAccessible('Nope')).toBe(
      'The callout couldn\'t access the endpoint. You might not have the required permissions, or the named credential "Nope" might not exist.',
    );
  });

  it('refuses a user without the principal access (no permission set), with the same message, before any exchange', async () => {
    const plain = addUserA('plain@orga.local', 'Standard User');
    await expect(get(plain, `callout:${NAMED_CREDENTIAL}/services/oauth2/userinfo`)).rejects.toThrow(
      namedCredentialErrors.notAccessible(NAMED_CREDENTIAL),
    );
    expect(tokenPosts()).toHaveLength(0);
    assign(plain, NAMED_CREDENTIAL_PERMSET);
    // With the permission set the same user gets through (sub is B's integration user for every A user).
    expect((await get(plain, `callout:${NAMED_CREDENTIAL}/services/oauth2/userinfo`)).statusCode).toBe(200);
  });

  it('fails with "Unable to complete the JWT token exchange" when B does not trust the signing certificate', async () => {
    await deploySource(renderNamedCredential({ ...input, certificateName: 'Untrusted_Cert' }));
    try {
      const failure = get(adminA, `callout:${NAMED_CREDENTIAL}/services/oauth2/userinfo`);
      await expect(failure).rejects.toThrow(namedCredentialErrors.exchangeFailed);
      await expect(get(adminA, `callout:${NAMED_CREDENTIAL}/x`)).rejects.toThrow('invalid_grant: invalid assertion');
      expect(cachedTokenCount()).toBe(0);
    } finally {
      await deploySource(renderNamedCredential(input));
    }
  });

  it('fails the exchange when the token endpoint does not answer', async () => {
    await deploySource(renderNamedCredential({ ...input, loginUrl: 'http://127.0.0.1:9' }));
    try {
      await expect(get(adminA, `callout:${NAMED_CREDENTIAL}/services/oauth2/userinfo`)).rejects.toThrow(
        namedCredentialErrors.exchangeFailed,
      );
    } finally {
      await deploySource(renderNamedCredential(input));
    }
  });

  it('refuses a credential disabled for callouts', async () => {
    const files = renderNamedCredential(input);
    const ncPath = Object.keys(files).find((k) => k.includes('namedCredentials/'))!;
    await deploySource({
      [ncPath]: files[ncPath]!.replace('<calloutStatus>Enabled</calloutStatus>', '<calloutStatus>Disabled</calloutStatus>'),
    });
    try {
      await expect(get(adminA, `callout:${NAMED_CREDENTIAL}/services/oauth2/userinfo`)).rejects.toThrow(
        namedCredentialErrors.disabled(NAMED_CREDENTIAL),
      );
    } finally {
      await deploySource(renderNamedCredential(input));
    }
  });
});

describe('callout:Org_B_Legacy through a legacy JwtExchange Named Credential', () => {
  const legacy = (i: NamedCredentialInput) =>
    Object.fromEntries(
      Object.entries(renderLegacyJwtExchange(i)).map(([k, v]) => [k.replace(`/${NAMED_CREDENTIAL}.`, '/Org_B_Legacy.'), v]),
    );

  it('does the same exchange without a permission set (legacy credentials have no principals)', async () => {
    await deploySource(legacy(input));
    const other = addUserA('legacy@orga.local', 'Standard User');
    const r = await get(other, 'callout:Org_B_Legacy/services/oauth2/userinfo');
    expect(r.statusCode, r.body.toString()).toBe(200);
    expect(JSON.parse(r.body.toString()).preferred_username).toBe(p.adminUsername);
    const claims = JSON.parse(
      Buffer.from(new URLSearchParams(tokenPosts()[0]!.body).get('assertion')!.split('.')[1]!, 'base64url').toString(),
    );
    expect(claims).toMatchObject({ iss: CONSUMER_KEY, sub: p.adminUsername, aud: p.url });
  });

  it('reports the exchange failure for an untrusted certificate', async () => {
    await deploySource(legacy({ ...input, certificateName: 'Untrusted_Cert' }));
    await expect(get(adminA, 'callout:Org_B_Legacy/services/oauth2/userinfo')).rejects.toThrow(namedCredentialErrors.exchangeFailed);
  });
});

describe('Org A itself', () => {
  it('is a separate org from B', () => {
    expect(getOrg(p.db, orgA.id)!.id).not.toBe(p.devHub.id);
  });
});
