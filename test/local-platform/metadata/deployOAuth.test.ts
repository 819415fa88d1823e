/** Metadata API deploys of what OAuth reads: External Client Apps, connected apps, certificates, and redeploys of an app. */
import { beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { X509Certificate } from 'node:crypto';
import { deployOrgs, zipOf, MD } from './fixtures.ts';
import {
  findOAuthApp,
  getCertificate,
  retrieveComponents,
  PRIVATE_KEY_IMPORT_REFUSED,
  CONNECTED_APP_RESTRICTED,
} from '../../../tools/local-platform/metadata/index.ts';
import { generateSelfSigned } from '../../../tools/local-platform/metadata/types/certificate.ts';

const t = deployOrgs();
const { platform, deploy, failures } = t;
let certPem: string;

beforeAll(async () => {
  certPem = (await generateSelfSigned('Trusted', t.org.id, 2048)).certificatePem;
});

const ecaFiles = (opts: { cert?: string; key?: string; app?: string; policyApp?: string; permSet?: string } = {}) => ({
  'externalClientApps/OrgB_App.eca': `<?xml version="1.0" encoding="UTF-8"?><ExternalClientApplication ${MD}><contactEmail>a@b.c</contactEmail><distributionState>Local</distributionState><isProtected>false</isProtected><label>OrgB App</label></ExternalClientApplication>`,
  'extlClntAppGlobalOauthSets/OrgB_App_glbloauth.ecaGlblOauth': `<?xml version="1.0" encoding="UTF-8"?><ExtlClntAppGlobalOauthSettings ${MD}><callbackUrl>https://login.salesforce.com/services/oauth2/success</callbackUrl>${opts.cert === undefined ? `<certificate>${certPem}</certificate>` : opts.cert}${opts.key ? `<consumerKey>${opts.key}</consumerKey>` : ''}<externalClientApplication>${opts.app ?? 'OrgB_App'}</externalClientApplication><isConsumerSecretOptional>true</isConsumerSecretOptional><label>g</label></ExtlClntAppGlobalOauthSettings>`,
  'extlClntAppOauthSettings/OrgB_App_oauth.ecaOauth': `<?xml version="1.0" encoding="UTF-8"?><ExtlClntAppOauthSettings ${MD}><commaSeparatedOauthScopes>Api, RefreshToken</commaSeparatedOauthScopes><externalClientApplication>OrgB_App</externalClientApplication><label>o</label></ExtlClntAppOauthSettings>`,
  'extlClntAppOauthPolicies/OrgB_App_plcy.ecaOauthPlcy': `<?xml version="1.0" encoding="UTF-8"?><ExtlClntAppOauthConfigurablePolicies ${MD}>${opts.permSet ? `<commaSeparatedPermissionSet>${opts.permSet}</commaSeparatedPermissionSet>` : ''}<commaSeparatedProfile>System Administrator</commaSeparatedProfile><externalClientApplication>${opts.policyApp ?? 'OrgB_App'}</externalClientApplication><label>p</label><permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType><sessionTimeoutInMinutes>30</sessionTimeoutInMinutes></ExtlClntAppOauthConfigurablePolicies>`,
});
const ecaManifest = {
  ExternalClientApplication: ['OrgB_App'],
  ExtlClntAppGlobalOauthSettings: ['OrgB_App_glbloauth'],
  ExtlClntAppOauthSettings: ['OrgB_App_oauth'],
  ExtlClntAppOauthConfigurablePolicies: ['OrgB_App_plcy'],
};

describe('External Client App', () => {
  it('fails pieces whose app is missing, or whose certificate is not X.509, and applies none of them', async () => {
    const files = ecaFiles({ cert: '<certificate>not a certificate</certificate>', policyApp: 'Nope' });
    const r = await deploy(await zipOf(files, ecaManifest), {}, t.other);
    expect(failures(r)).toEqual([
      'ExtlClntAppGlobalOauthSettings:OrgB_App_glbloauth: The certificate must be a PEM-encoded X.509 certificate (-----BEGIN CERTIFICATE-----).',
      'ExtlClntAppOauthConfigurablePolicies:OrgB_App_plcy: In field: externalClientApplication - no ExternalClientApplication named Nope found',
    ]);
    expect(platform.db.prepare("SELECT COUNT(*) AS n FROM md_components WHERE org_id = ? AND type LIKE 'E%'").get(t.other.id)).toEqual({
      n: 0,
    });
  });

  it('deploys the app with a certificate (PEM or base64 of PEM) and answers findOAuthApp with its policy', async () => {
    const files = ecaFiles({ cert: `<certificate>${Buffer.from(certPem).toString('base64')}</certificate>` });
    const r = await deploy(await zipOf(files, ecaManifest), {}, t.other);
    expect(failures(r)).toEqual([]);
    const stored = platform.db.prepare('SELECT consumer_key FROM md_consumer_keys WHERE org_id = ?').get(t.other.id) as {
      consumer_key: string;
    };
    expect(stored.consumer_key).toMatch(/^3MVG9[A-Za-z0-9]{80}$/);
    const app = findOAuthApp(platform.db, t.other.id, stored.consumer_key);
    expect(app).toMatchObject({
      kind: 'ExternalClientApplication',
      name: 'OrgB_App',
      adminApproved: true,
      profiles: ['System Administrator'],
      sessionTimeoutMinutes: 30,
    });
    expect(new X509Certificate(app!.certificatePem!).fingerprint256).toBe(new X509Certificate(certPem).fingerprint256);
    expect(findOAuthApp(platform.db, t.org.id, stored.consumer_key)).toBeUndefined();
    // retrieve gives back the assigned key, so tooling can read it
    const ret = await retrieveComponents(
      platform.db,
      t.other.id,
      { unpackaged: { types: [{ name: 'ExtlClntAppGlobalOauthSettings', members: ['*'] }] } },
      'r1',
    );
    const zip = await JSZip.loadAsync(Buffer.from(ret.zipFile, 'base64'));
    expect(await zip.file('unpackaged/extlClntAppGlobalOauthSets/OrgB_App_glbloauth.ecaGlblOauth')!.async('string')).toContain(
      `<consumerKey>${stored.consumer_key}</consumerKey>`,
    );
  });

  it('refuses a consumer key another org already uses', async () => {
    const taken = (
      platform.db.prepare('SELECT consumer_key FROM md_consumer_keys WHERE org_id = ?').get(t.other.id) as { consumer_key: string }
    ).consumer_key;
    const r = await deploy(await zipOf(ecaFiles({ key: taken }), ecaManifest));
    expect(failures(r)).toContain('ExtlClntAppGlobalOauthSettings:OrgB_App_glbloauth: The consumer key is already taken');
  });

  it('checks that pre-authorised permission sets exist', async () => {
    const r = await deploy(await zipOf(ecaFiles({ permSet: 'Missing_Set' }), ecaManifest));
    expect(failures(r)).toContain(
      'ExtlClntAppOauthConfigurablePolicies:OrgB_App_plcy: In field: commaSeparatedPermissionSet - no PermissionSet named Missing_Set found',
    );
  });

  it('takes a consumer key only on create: a redeploy with the same or another key is refused, one without it keeps the key', async () => {
    const third = platform.addOrg({ name: 'Org C' }).org;
    const key = `KeyOnCreate${Date.now()}`;
    expect(failures(await deploy(await zipOf(ecaFiles({ key }), ecaManifest), {}, third))).toEqual([]);
    const again = failures(await deploy(await zipOf(ecaFiles({ key }), ecaManifest), {}, third));
    expect(again).toEqual([
      expect.stringMatching(/^ExtlClntAppGlobalOauthSettings:OrgB_App_glbloauth: The consumer key is already in use by this app/),
    ]);
    const changed = failures(await deploy(await zipOf(ecaFiles({ key: `${key}X` }), ecaManifest), {}, third));
    expect(changed).toEqual([
      "ExtlClntAppGlobalOauthSettings:OrgB_App_glbloauth: The consumer key can't be changed after the app is created.",
    ]);
    expect(failures(await deploy(await zipOf(ecaFiles(), ecaManifest), {}, third))).toEqual([]);
    expect(findOAuthApp(platform.db, third.id, key)).toMatchObject({ name: 'OrgB_App' });
  });

  it('refuses to pre-authorise a permission set deployed with the app: it must be in the org first', async () => {
    const fourth = platform.addOrg({ name: 'Org D' }).org;
    const permSet = { 'permissionsets/Reader.permissionset': `<PermissionSet ${MD}><label>Reader</label></PermissionSet>` };
    const together = await deploy(
      await zipOf({ ...ecaFiles({ permSet: 'Reader' }), ...permSet }, { ...ecaManifest, PermissionSet: ['Reader'] }),
      {},
      fourth,
    );
    expect(failures(together)).toEqual([
      'ExtlClntAppOauthConfigurablePolicies:OrgB_App_plcy: In field: commaSeparatedPermissionSet - no PermissionSet named Reader found (deploy the permission set before the app that pre-authorizes it)',
    ]);
    expect(failures(await deploy(await zipOf(permSet, { PermissionSet: ['Reader'] }), {}, fourth))).toEqual([]);
    expect(failures(await deploy(await zipOf(ecaFiles({ permSet: 'Reader' }), ecaManifest), {}, fourth))).toEqual([]);
  });
});

describe('ConnectedApp', () => {
  const app = (key: string) => ({
    'connectedApps/Legacy.connectedApp': `<ConnectedApp ${MD}><contactEmail>a@b.c</contactEmail><label>Legacy</label><oauthConfig><callbackUrl>https://x.example/cb</callbackUrl><certificate>${certPem}</certificate><consumerKey>${key}</consumerKey><isAdminApproved>true</isAdminApproved><scopes>Api</scopes><scopes>RefreshToken</scopes></oauthConfig><profileName>System Administrator</profileName></ConnectedApp>`,
  });

  it("is blocked in orgs that don't allow creating connected apps (Spring '26)", async () => {
    const r = await deploy(await zipOf(app('LegacyKey12345'), { ConnectedApp: ['Legacy'] }));
    expect(failures(r)).toEqual([`ConnectedApp:Legacy: ${CONNECTED_APP_RESTRICTED}`]);
  });

  it('validates the consumer key and registers the app where creation is allowed', async () => {
    const { org: allowed } = platform.addOrg({ name: 'Old org', settings: { localPlatform: { allowConnectedAppCreation: true } } });
    const bad = await deploy(await zipOf(app('short'), { ConnectedApp: ['Legacy'] }), {}, allowed);
    expect(failures(bad)[0]).toMatch(/8-256 characters/);
    const ok = await deploy(await zipOf(app('LegacyKey12345'), { ConnectedApp: ['Legacy'] }), {}, allowed);
    expect(failures(ok)).toEqual([]);
    expect(findOAuthApp(platform.db, allowed.id, 'LegacyKey12345')).toMatchObject({
      kind: 'ConnectedApp',
      adminApproved: true,
      profiles: ['System Administrator'],
    });
  });
});

describe('Certificate', () => {
  const files = (content: string) => ({
    'certs/Signer.crt': content,
    'certs/Signer.crt-meta.xml': `<Certificate ${MD}><caSigned>false</caSigned><keySize>2048</keySize><masterLabel>Signer</masterLabel><privateKeyExportable>false</privateKeyExportable></Certificate>`,
  });

  it('refuses content with a key it did not generate', async () => {
    const r = await deploy(await zipOf(files(certPem), { Certificate: ['Signer'] }));
    expect(failures(r)).toEqual([`Certificate:Signer: ${PRIVATE_KEY_IMPORT_REFUSED}`]);
  });

  it('generates a key pair for an empty .crt, retrieves only the public PEM, and renews the pair on every redeploy', async () => {
    expect((await deploy(await zipOf(files(''), { Certificate: ['Signer'] }))).status).toBe('Succeeded');
    const kp = getCertificate(platform.db, t.org.id, 'Signer')!;
    expect(kp.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    const x509 = new X509Certificate(kp.certificatePem);
    expect(x509.subject).toContain('CN=Signer');
    expect(x509.checkPrivateKey((await import('node:crypto')).createPrivateKey(kp.privateKeyPem))).toBe(true);

    const ret = await retrieveComponents(
      platform.db,
      t.org.id,
      { unpackaged: { types: [{ name: 'Certificate', members: ['Signer'] }] } },
      'r2',
    );
    const zip = await JSZip.loadAsync(Buffer.from(ret.zipFile, 'base64'));
    const crt = await zip.file('unpackaged/certs/Signer.crt')!.async('string');
    expect(new X509Certificate(crt).fingerprint256).toBe(x509.fingerprint256);
    for (const f of Object.values(zip.files)) expect(await f.async('string')).not.toMatch(/PRIVATE KEY/);

    // "You can also use this procedure to renew a certificate. A new private+public key pair is created":
    // an empty .crt over the existing one, and a retrieve round trip (its own public PEM), both rotate the key.
    expect((await deploy(await zipOf(files(''), { Certificate: ['Signer'] }))).status).toBe('Succeeded');
    const renewed = getCertificate(platform.db, t.org.id, 'Signer')!;
    expect(renewed.privateKeyPem).not.toBe(kp.privateKeyPem);
    expect(new X509Certificate(renewed.certificatePem).fingerprint256).not.toBe(x509.fingerprint256);
    expect((await deploy(await zipOf(files(renewed.certificatePem), { Certificate: ['Signer'] }))).status).toBe('Succeeded');
    expect(new X509Certificate(getCertificate(platform.db, t.org.id, 'Signer')!.certificatePem).fingerprint256).not.toBe(
      new X509Certificate(renewed.certificatePem).fingerprint256,
    );
  });
});

describe('redeploys', () => {
  it('keeps deployedAt of an unchanged app (the propagation delay counts from real changes)', async () => {
    const key = (
      platform.db.prepare('SELECT consumer_key FROM md_consumer_keys WHERE org_id = ?').get(t.other.id) as { consumer_key: string }
    ).consumer_key;
    const before = findOAuthApp(platform.db, t.other.id, key)!.deployedAt;
    await new Promise((r) => setTimeout(r, 5));
    const files = ecaFiles({ cert: `<certificate>${Buffer.from(certPem).toString('base64')}</certificate>` });
    expect((await deploy(await zipOf(files, ecaManifest), {}, t.other)).status).toBe('Succeeded');
    expect(findOAuthApp(platform.db, t.other.id, key)!.deployedAt).toBe(before);
    // a real change (the session timeout) moves it
    const changed = {
      ...files,
      'extlClntAppOauthPolicies/OrgB_App_plcy.ecaOauthPlcy': files['extlClntAppOauthPolicies/OrgB_App_plcy.ecaOauthPlcy'].replace(
        '>30<',
        '>45<',
      ),
    };
    expect((await deploy(await zipOf(changed, ecaManifest), {}, t.other)).status).toBe('Succeeded');
    expect(findOAuthApp(platform.db, t.other.id, key)).toMatchObject({ sessionTimeoutMinutes: 45 });
    expect(findOAuthApp(platform.db, t.other.id, key)!.deployedAt).toBeGreaterThan(before);
  });
});
