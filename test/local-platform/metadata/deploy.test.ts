import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { X509Certificate } from 'node:crypto';
import { newTestPlatform, zipOf, classMeta, MD } from './fixtures.ts';
import {
  deployZip,
  findOAuthApp,
  getCertificate,
  getPermissionSet,
  listApexClasses,
  listApexTriggers,
  listRemoteSites,
  getNamedCredential,
  getCachePartitions,
  getCustomObject,
  getSettings,
  retrieveComponents,
  PRIVATE_KEY_IMPORT_REFUSED,
  CONNECTED_APP_RESTRICTED,
} from '../../../tools/local-platform/metadata/index.ts';
import type { OrgInfo } from '../../../tools/local-platform/http/contracts.ts';
import { generateSelfSigned } from '../../../tools/local-platform/metadata/types/certificate.ts';

const platform = newTestPlatform();
let org: OrgInfo;
let other: OrgInfo;
let adminId: string;
let certPem: string;

const deploy = (zip: Buffer, options = {}, target?: OrgInfo) =>
  deployZip({ db: platform.db, org: target ?? org, records: platform.records, userId: adminId }, zip, options);
const failures = (r: Awaited<ReturnType<typeof deploy>>) =>
  r.details.componentFailures.map((f) => `${f.componentType}:${f.fullName}: ${f.problem}`);

beforeAll(async () => {
  ({ org, adminId } = platform.addOrg({ name: 'Org A', features: ['PlatformCache'] }));
  ({ org: other } = platform.addOrg({ name: 'Org B' }));
  certPem = (await generateSelfSigned('Trusted', org.id, 2048)).certificatePem;
});
afterAll(() => platform.cleanup());

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

describe('ApexTrigger', () => {
  const triggerMeta = `<?xml version="1.0" encoding="UTF-8"?><ApexTrigger ${MD}><apiVersion>62.0</apiVersion><status>Active</status></ApexTrigger>`;
  const trig = (name: string, body: string) => ({ [`triggers/${name}.trigger`]: body, [`triggers/${name}.trigger-meta.xml`]: triggerMeta });

  it('stores a trigger for the runtime and upserts the ApexTrigger row with its object and events', async () => {
    const body =
      'trigger AccountNames on Account (before insert, after update) {\n  for (Account a : Trigger.new) a.Description = a.Name;\n}';
    const r = await deploy(await zipOf(trig('AccountNames', body), { ApexTrigger: ['AccountNames'] }));
    expect(r.status, JSON.stringify(r.details.componentFailures)).toBe('Succeeded');
    expect(listApexTriggers(platform.db, org.id)).toEqual([{ name: 'AccountNames', body, status: 'Active' }]);
    expect(platform.records.find(org.id, 'ApexTrigger', 'Name', 'AccountNames')).toMatchObject({
      TableEnumOrId: 'Account',
      UsageBeforeInsert: true,
      UsageAfterUpdate: true,
      UsageAfterInsert: false,
    });
  });

  it('refuses a syntax error, a name that is not its file, before undelete, and a custom object that does not exist', async () => {
    const r = await deploy(
      await zipOf(
        {
          ...trig('Broken', 'trigger Broken on Account (before insert) {\n  Integer x = 1\n}'),
          ...trig('Misnamed', 'trigger Other on Account (after insert) { }'),
          ...trig('NoSuchEvent', 'trigger NoSuchEvent on Account (before undelete) { }'),
          ...trig('Ghost', 'trigger Ghost on Ghost__c (after insert) { }'),
        },
        { ApexTrigger: ['Broken', 'Misnamed', 'NoSuchEvent', 'Ghost'] },
      ),
    );
    expect(r.status).toBe('Failed');
    expect(failures(r).sort()).toEqual([
      "ApexTrigger:Broken: Unexpected token '}'.",
      'ApexTrigger:Ghost: Invalid type: Ghost__c',
      'ApexTrigger:Misnamed: Invalid trigger name: Other, expected Misnamed',
      'ApexTrigger:NoSuchEvent: Invalid trigger event: before undelete',
    ]);
    expect(r.details.componentFailures.find((f) => f.fullName === 'Broken')).toMatchObject({
      fileName: 'triggers/Broken.trigger',
      lineNumber: 3,
      columnNumber: 1,
    });
  });
});

describe('ApexClass', () => {
  it('reports a syntax error with its file, line and column, and applies nothing of the deploy', async () => {
    const zip = await zipOf(
      {
        'classes/Broken.cls': 'public class Broken {\n  void f() {\n    Integer x = 1\n  }\n}',
        'classes/Broken.cls-meta.xml': classMeta,
        'classes/Fine.cls': 'public class Fine {}',
        'classes/Fine.cls-meta.xml': classMeta,
      },
      { ApexClass: ['Broken', 'Fine'] },
    );
    const r = await deploy(zip);
    expect(r.status).toBe('Failed');
    expect(r.details.componentFailures).toEqual([
      expect.objectContaining({
        componentType: 'ApexClass',
        fullName: 'Broken',
        fileName: 'classes/Broken.cls',
        problem: "Missing ';' at '}'",
        lineNumber: 4,
        columnNumber: 3,
        problemType: 'Error',
      }),
    ]);
    expect(listApexClasses(platform.db, org.id).map((c) => c.name)).not.toContain('Fine');
  });

  it('deploys a class naming a standard field the platform does not know, with a warning that names it', async () => {
    // Salesforce may have the field (the platform's standard field lists are partial): a warning, not
    // a refusal; a custom field it lacks is refused (Invalid field …), a known standard field says nothing.
    const body =
      "public class Fields {\n  static void m() {\n    Account a = new Account(Name = 'x', Phone = '1', Shoe_Size = 'y');\n    List<Account> l = [SELECT Id, Name, Tradestyle_Code FROM Account];\n  }\n}";
    const r = await deploy(
      await zipOf({ 'classes/Fields.cls': body, 'classes/Fields.cls-meta.xml': classMeta }, { ApexClass: ['Fields'] }),
    );
    expect(r.status).toBe('Succeeded');
    expect(r.details.componentSuccesses.find((c) => c.fullName === 'Fields')).toMatchObject({
      problemType: 'Warning',
      problem:
        'not supported by the local runtime: Account.Shoe_Size (it deploys; running it fails) at line 3\nnot supported by the local runtime: Account.Tradestyle_Code (it deploys; running it fails) at line 4',
    });
  });

  it('stores classes, upserts the ApexClass row, and tells created, changed and unchanged apart', async () => {
    const files = (body: string) => ({ 'classes/Hello.cls': body, 'classes/Hello.cls-meta.xml': classMeta });
    const first = await deploy(await zipOf(files('public class Hello {}'), { ApexClass: ['Hello'] }));
    expect(first.status).toBe('Succeeded');
    expect(first.details.componentSuccesses[0]).toMatchObject({ fullName: 'Hello', created: true, changed: false });
    const again = await deploy(await zipOf(files('public class Hello {}'), { ApexClass: ['Hello'] }));
    expect(again.details.componentSuccesses[0]).toMatchObject({ created: false, changed: false });
    const edited = await deploy(await zipOf(files('public class Hello { public Integer n; }'), { ApexClass: ['*'] }));
    expect(edited.details.componentSuccesses[0]).toMatchObject({ created: false, changed: true });
    expect(platform.records.find(org.id, 'ApexClass', 'Name', 'Hello')).toMatchObject({
      Body: 'public class Hello { public Integer n; }',
      Status: 'Active',
    });
  });

  it('checkOnly validates without saving', async () => {
    const r = await deploy(
      await zipOf({ 'classes/DryRun.cls': 'public class DryRun {}', 'classes/DryRun.cls-meta.xml': classMeta }, { ApexClass: ['DryRun'] }),
      { checkOnly: true },
    );
    expect(r).toMatchObject({ status: 'Succeeded', checkOnly: true });
    expect(listApexClasses(platform.db, org.id).map((c) => c.name)).not.toContain('DryRun');
  });

  it('fails members named in package.xml but missing from the zip, with Salesforce wording', async () => {
    const r = await deploy(await zipOf({}, { ApexClass: ['Ghost'] }));
    expect(failures(r)).toEqual([
      "ApexClass:Ghost: An object 'Ghost' of type ApexClass was named in package.xml, but was not found in zipped directory",
    ]);
  });

  it('answers a zip without package.xml with an error message, not a crash', async () => {
    const zip = new JSZip();
    zip.file('classes/A.cls', 'public class A {}');
    const r = await deploy(await zip.generateAsync({ type: 'nodebuffer' }));
    expect(r).toMatchObject({ status: 'Failed', errorMessage: 'No package.xml found' });
  });
});

describe('XML validation', () => {
  it('fails malformed XML with a position', async () => {
    const r = await deploy(
      await zipOf(
        {
          'remoteSiteSettings/Bad.remoteSite': `<?xml version="1.0" encoding="UTF-8"?>\n<RemoteSiteSetting ${MD}>\n  <url>https://x.example</url>\n  <isActive>true</isActive\n</RemoteSiteSetting>`,
        },
        { RemoteSiteSetting: ['Bad'] },
      ),
    );
    expect(r.details.componentFailures[0]).toMatchObject({ fullName: 'Bad', lineNumber: expect.any(Number) });
    expect(r.details.componentFailures[0]!.problem).toMatch(/^Error parsing file: /);
  });

  it('rejects unknown elements and bad booleans per component', async () => {
    const r = await deploy(
      await zipOf(
        {
          'remoteSiteSettings/Odd.remoteSite': `<?xml version="1.0" encoding="UTF-8"?>\n<RemoteSiteSetting ${MD}>\n<disableProtocolSecurity>false</disableProtocolSecurity>\n<isActive>yes</isActive>\n<colour>blue</colour>\n<url>https://x.example</url>\n</RemoteSiteSetting>`,
        },
        { RemoteSiteSetting: ['Odd'] },
      ),
    );
    expect(failures(r)).toEqual([
      'RemoteSiteSetting:Odd: Element {http://soap.sforce.com/2006/04/metadata}colour invalid at this location in type RemoteSiteSetting',
      "RemoteSiteSetting:Odd: 'yes' is not a valid value for the type xsd:boolean",
    ]);
    expect(r.details.componentFailures[0]).toMatchObject({ lineNumber: 5, columnNumber: 1 });
    expect(listRemoteSites(platform.db, org.id).map((s) => s.name)).not.toContain('Odd');
  });

  it('stores a valid remote site for callout checks', async () => {
    const r = await deploy(
      await zipOf(
        {
          'remoteSiteSettings/OrgB.remoteSite': `<RemoteSiteSetting ${MD}><disableProtocolSecurity>false</disableProtocolSecurity><isActive>true</isActive><url>http://127.0.0.1:6101</url></RemoteSiteSetting>`,
        },
        { RemoteSiteSetting: ['OrgB'] },
      ),
    );
    expect(r.status).toBe('Succeeded');
    expect(listRemoteSites(platform.db, org.id)).toContainEqual({
      name: 'OrgB',
      url: 'http://127.0.0.1:6101',
      isActive: true,
      disableProtocolSecurity: false,
    });
  });
});

describe('External Client App', () => {
  it('fails pieces whose app is missing, or whose certificate is not X.509, and applies none of them', async () => {
    const files = ecaFiles({ cert: '<certificate>not a certificate</certificate>', policyApp: 'Nope' });
    const r = await deploy(await zipOf(files, ecaManifest), {}, other);
    expect(failures(r)).toEqual([
      'ExtlClntAppGlobalOauthSettings:OrgB_App_glbloauth: The certificate must be a PEM-encoded X.509 certificate (-----BEGIN CERTIFICATE-----).',
      'ExtlClntAppOauthConfigurablePolicies:OrgB_App_plcy: In field: externalClientApplication - no ExternalClientApplication named Nope found',
    ]);
    expect(platform.db.prepare("SELECT COUNT(*) AS n FROM md_components WHERE org_id = ? AND type LIKE 'E%'").get(other.id)).toEqual({
      n: 0,
    });
  });

  it('deploys the app with a certificate (PEM or base64 of PEM) and answers findOAuthApp with its policy', async () => {
    const files = ecaFiles({ cert: `<certificate>${Buffer.from(certPem).toString('base64')}</certificate>` });
    const r = await deploy(await zipOf(files, ecaManifest), {}, other);
    expect(failures(r)).toEqual([]);
    const stored = platform.db.prepare('SELECT consumer_key FROM md_consumer_keys WHERE org_id = ?').get(other.id) as {
      consumer_key: string;
    };
    expect(stored.consumer_key).toMatch(/^3MVG9[A-Za-z0-9]{80}$/);
    const app = findOAuthApp(platform.db, other.id, stored.consumer_key);
    expect(app).toMatchObject({
      kind: 'ExternalClientApplication',
      name: 'OrgB_App',
      adminApproved: true,
      profiles: ['System Administrator'],
      sessionTimeoutMinutes: 30,
    });
    expect(new X509Certificate(app!.certificatePem!).fingerprint256).toBe(new X509Certificate(certPem).fingerprint256);
    expect(findOAuthApp(platform.db, org.id, stored.consumer_key)).toBeUndefined();
    // retrieve gives back the assigned key, so tooling can read it
    const ret = await retrieveComponents(
      platform.db,
      other.id,
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
      platform.db.prepare('SELECT consumer_key FROM md_consumer_keys WHERE org_id = ?').get(other.id) as { consumer_key: string }
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
    const kp = getCertificate(platform.db, org.id, 'Signer')!;
    expect(kp.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    const x509 = new X509Certificate(kp.certificatePem);
    expect(x509.subject).toContain('CN=Signer');
    expect(x509.checkPrivateKey((await import('node:crypto')).createPrivateKey(kp.privateKeyPem))).toBe(true);

    const ret = await retrieveComponents(
      platform.db,
      org.id,
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
    const renewed = getCertificate(platform.db, org.id, 'Signer')!;
    expect(renewed.privateKeyPem).not.toBe(kp.privateKeyPem);
    expect(new X509Certificate(renewed.certificatePem).fingerprint256).not.toBe(x509.fingerprint256);
    expect((await deploy(await zipOf(files(renewed.certificatePem), { Certificate: ['Signer'] }))).status).toBe('Succeeded');
    expect(new X509Certificate(getCertificate(platform.db, org.id, 'Signer')!.certificatePem).fingerprint256).not.toBe(
      new X509Certificate(renewed.certificatePem).fingerprint256,
    );
  });
});

describe('Custom metadata', () => {
  const type = `<CustomObject ${MD}><fields><fullName>Endpoint__c</fullName><label>Endpoint</label><length>255</length><type>Text</type></fields><fields><fullName>Enabled__c</fullName><defaultValue>false</defaultValue><label>Enabled</label><type>Checkbox</type></fields><label>Org B Connection</label><pluralLabel>Org B Connections</pluralLabel><visibility>Public</visibility></CustomObject>`;
  const rec = (field: string, value: string) =>
    `<CustomMetadata ${MD} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><label>Default</label><protected>false</protected><values><field>${field}</field><value xsi:type="xsd:string">${value}</value></values><values><field>Enabled__c</field><value xsi:type="xsd:boolean">true</value></values></CustomMetadata>`;

  it('fails a record of an unknown type or with an unknown field', async () => {
    const r1 = await deploy(
      await zipOf({ 'customMetadata/Nope.Default.md': rec('Endpoint__c', 'x') }, { CustomMetadata: ['Nope.Default'] }),
    );
    expect(failures(r1)[0]).toMatch(/Nope__mdt/);
    const r2 = await deploy(
      await zipOf(
        { 'objects/Conn__mdt.object': type, 'customMetadata/Conn.Default.md': rec('Wrong__c', 'x') },
        { CustomObject: ['Conn__mdt'], CustomMetadata: ['Conn.Default'] },
      ),
    );
    expect(failures(r2)).toEqual(['CustomMetadata:Conn.Default: In field: field - no CustomField named Conn__mdt.Wrong__c found']);
    expect(platform.records.find(org.id, 'Conn__mdt', 'DeveloperName', 'Default')).toBeUndefined();
  });

  it('writes records as sObject rows of the type, with typed values', async () => {
    const r = await deploy(
      await zipOf(
        { 'objects/Conn__mdt.object': type, 'customMetadata/Conn.Default.md': rec('Endpoint__c', 'https://b.example') },
        { CustomObject: ['Conn__mdt'], CustomMetadata: ['Conn.Default'] },
      ),
    );
    expect(failures(r)).toEqual([]);
    expect(platform.records.find(org.id, 'Conn__mdt', 'DeveloperName', 'Default')).toMatchObject({
      DeveloperName: 'Default',
      MasterLabel: 'Default',
      Endpoint__c: 'https://b.example',
      Enabled__c: true,
    });
  });
});

describe('PermissionSet, NamedCredential, PlatformCachePartition', () => {
  const ps = (cls: string) =>
    `<PermissionSet ${MD}><classAccesses><apexClass>${cls}</apexClass><enabled>true</enabled></classAccesses><hasActivationRequired>false</hasActivationRequired><label>Integration</label><objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Account</object><viewAllRecords>false</viewAllRecords></objectPermissions><fieldPermissions><editable>false</editable><field>Account.Industry</field><readable>true</readable></fieldPermissions><userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions></PermissionSet>`;

  it('fails a permission set granting a class that does not exist', async () => {
    const r = await deploy(
      await zipOf({ 'permissionsets/Integration.permissionset': ps('NoSuchClass') }, { PermissionSet: ['Integration'] }),
    );
    expect(failures(r)).toEqual(['PermissionSet:Integration: In field: apexClass - no ApexClass named NoSuchClass found']);
  });

  it('stores permissions for USER_MODE and a PermissionSet row for `sf org assign permset`', async () => {
    const r = await deploy(await zipOf({ 'permissionsets/Integration.permissionset': ps('Hello') }, { PermissionSet: ['Integration'] }));
    expect(failures(r)).toEqual([]);
    expect(getPermissionSet(platform.db, org.id, 'Integration')).toEqual({
      name: 'Integration',
      label: 'Integration',
      objectPermissions: { Account: { read: true, create: false, edit: false, delete: false } },
      fieldPermissions: { 'Account.Industry': { readable: true, editable: false } },
      classAccesses: ['Hello'],
      userPermissions: ['ApiEnabled'],
    });
    expect(platform.records.find(org.id, 'PermissionSet', 'Name', 'Integration')).toMatchObject({ Label: 'Integration' });
  });

  it('fails a named credential whose external credential is missing', async () => {
    const nc = `<NamedCredential ${MD}><label>Org B</label><namedCredentialParameters><parameterName>Url</parameterName><parameterType>Url</parameterType><parameterValue>http://127.0.0.1:6101</parameterValue></namedCredentialParameters><namedCredentialParameters><externalCredential>OrgB_Ext</externalCredential><parameterName>ExternalCredential</parameterName><parameterType>Authentication</parameterType></namedCredentialParameters><namedCredentialType>SecuredEndpoint</namedCredentialType></NamedCredential>`;
    const r = await deploy(await zipOf({ 'namedCredentials/OrgB.namedCredential': nc }, { NamedCredential: ['OrgB'] }));
    expect(failures(r)).toEqual(['NamedCredential:OrgB: In field: externalCredential - no ExternalCredential named OrgB_Ext found']);
    const ec = `<ExternalCredential ${MD}><authenticationProtocol>Custom</authenticationProtocol><label>Ext</label></ExternalCredential>`;
    const ok = await deploy(
      await zipOf(
        { 'namedCredentials/OrgB.namedCredential': nc, 'externalCredentials/OrgB_Ext.externalCredential': ec },
        { NamedCredential: ['OrgB'], ExternalCredential: ['OrgB_Ext'] },
      ),
    );
    expect(failures(ok)).toEqual([]);
    expect(getNamedCredential(platform.db, org.id, 'OrgB')).toMatchObject({
      endpoint: 'http://127.0.0.1:6101',
      externalCredential: 'OrgB_Ext',
    });
  });

  it('holds cache partitions to the org capacity (3 MB with the PlatformCache feature, 0 without)', async () => {
    const part = (mb: number) =>
      `<PlatformCachePartition ${MD}><isDefaultPartition>false</isDefaultPartition><masterLabel>Tokens</masterLabel><platformCachePartitionTypes><allocatedCapacity>${mb}</allocatedCapacity><cacheType>Organization</cacheType></platformCachePartitionTypes></PlatformCachePartition>`;
    expect(
      failures(await deploy(await zipOf({ 'cachePartitions/Tokens.cachePartition': part(4) }, { PlatformCachePartition: ['Tokens'] })))[0],
    ).toMatch(/exceeds .* \(3 MB\)/);
    expect(
      failures(
        await deploy(await zipOf({ 'cachePartitions/Tokens.cachePartition': part(1) }, { PlatformCachePartition: ['Tokens'] }), {}, other),
      )[0],
    ).toMatch(/\(0 MB\)/);
    expect(
      failures(await deploy(await zipOf({ 'cachePartitions/Tokens.cachePartition': part(1) }, { PlatformCachePartition: ['Tokens'] }))),
    ).toEqual([]);
    expect(getCachePartitions(platform.db, org.id)).toEqual([
      { name: 'Tokens', label: 'Tokens', isDefault: false, orgCapacityMb: 1, sessionCapacityMb: 0 },
    ]);
  });
});

describe('retrieve', () => {
  it('names what the org lacks with Salesforce wording and returns a package.xml', async () => {
    const r = await retrieveComponents(
      platform.db,
      org.id,
      { unpackaged: { types: [{ name: 'ApexClass', members: ['Hello', 'Missing'] }], version: '66.0' } },
      'r3',
    );
    expect(r.messages).toEqual([
      { fileName: 'unpackaged/package.xml', problem: "Entity of type 'ApexClass' named 'Missing' cannot be found" },
    ]);
    const zip = await JSZip.loadAsync(Buffer.from(r.zipFile, 'base64'));
    expect(Object.keys(zip.files).sort()).toEqual(
      [
        'unpackaged/',
        'unpackaged/classes/',
        'unpackaged/classes/Hello.cls',
        'unpackaged/classes/Hello.cls-meta.xml',
        'unpackaged/package.xml',
      ].filter((n) => zip.files[n]),
    );
    expect(await zip.file('unpackaged/package.xml')!.async('string')).toContain('<members>Hello</members>');
  });
});

describe('redeploys and deletions', () => {
  it('keeps deployedAt of an unchanged app (the propagation delay counts from real changes)', async () => {
    const key = (
      platform.db.prepare('SELECT consumer_key FROM md_consumer_keys WHERE org_id = ?').get(other.id) as { consumer_key: string }
    ).consumer_key;
    const before = findOAuthApp(platform.db, other.id, key)!.deployedAt;
    await new Promise((r) => setTimeout(r, 5));
    const files = ecaFiles({ cert: `<certificate>${Buffer.from(certPem).toString('base64')}</certificate>` });
    expect((await deploy(await zipOf(files, ecaManifest), {}, other)).status).toBe('Succeeded');
    expect(findOAuthApp(platform.db, other.id, key)!.deployedAt).toBe(before);
    // a real change (the session timeout) moves it
    const changed = {
      ...files,
      'extlClntAppOauthPolicies/OrgB_App_plcy.ecaOauthPlcy': files['extlClntAppOauthPolicies/OrgB_App_plcy.ecaOauthPlcy'].replace(
        '>30<',
        '>45<',
      ),
    };
    expect((await deploy(await zipOf(changed, ecaManifest), {}, other)).status).toBe('Succeeded');
    expect(findOAuthApp(platform.db, other.id, key)).toMatchObject({ sessionTimeoutMinutes: 45 });
    expect(findOAuthApp(platform.db, other.id, key)!.deployedAt).toBeGreaterThan(before);
  });

  it('deletes components named in destructiveChanges.xml, with their sObject rows', async () => {
    await deploy(
      await zipOf({ 'classes/Doomed.cls': 'public class Doomed {}', 'classes/Doomed.cls-meta.xml': classMeta }, { ApexClass: ['Doomed'] }),
    );
    expect(platform.records.find(org.id, 'ApexClass', 'Name', 'Doomed')).toBeDefined();
    const zip = new JSZip();
    zip.file('package.xml', `<Package ${MD}><version>62.0</version></Package>`);
    zip.file(
      'destructiveChanges.xml',
      `<Package ${MD}><types><members>Doomed</members><name>ApexClass</name></types><version>62.0</version></Package>`,
    );
    const r = await deploy(await zip.generateAsync({ type: 'nodebuffer' }));
    expect(r.status).toBe('Succeeded');
    expect(r.details.componentSuccesses).toContainEqual(expect.objectContaining({ fullName: 'Doomed', deleted: true }));
    expect(listApexClasses(platform.db, org.id).map((c) => c.name)).not.toContain('Doomed');
    expect(platform.records.find(org.id, 'ApexClass', 'Name', 'Doomed')).toBeUndefined();
  });
});

describe('CustomTab and LWC', () => {
  const bundle = {
    'lwc/accountsView/accountsView.js':
      "import { LightningElement } from 'lwc';\nexport default class AccountsView extends LightningElement {}\n",
    'lwc/accountsView/accountsView.html': '<template></template>',
    'lwc/accountsView/accountsView.js-meta.xml': `<LightningComponentBundle ${MD}><apiVersion>66.0</apiVersion><isExposed>true</isExposed><targets><target>lightning__Tab</target></targets></LightningComponentBundle>`,
  };
  const tab = `<CustomTab ${MD}><label>Accounts</label><lwcComponent>accountsView</lwcComponent><motif>Custom1: Heart</motif></CustomTab>`;

  it('fails a tab whose component is missing, and deploys it with its bundle', async () => {
    expect(failures(await deploy(await zipOf({ 'tabs/Accounts_View.tab': tab }, { CustomTab: ['Accounts_View'] })))).toEqual([
      'CustomTab:Accounts_View: In field: lwcComponent - no LightningComponentBundle named accountsView found',
    ]);
    const r = await deploy(
      await zipOf(
        { ...bundle, 'tabs/Accounts_View.tab': tab },
        { CustomTab: ['Accounts_View'], LightningComponentBundle: ['accountsView'] },
      ),
    );
    expect(failures(r)).toEqual([]);
  });

  it('fails a bundle without its js-meta.xml fields right', async () => {
    const broken = {
      ...bundle,
      'lwc/accountsView/accountsView.js-meta.xml': `<LightningComponentBundle ${MD}><isExposed>maybe</isExposed></LightningComponentBundle>`,
    };
    expect(failures(await deploy(await zipOf(broken, { LightningComponentBundle: ['accountsView'] })))).toEqual([
      'LightningComponentBundle:accountsView: Required field is missing: apiVersion',
      "LightningComponentBundle:accountsView: 'maybe' is not a valid value for the type xsd:boolean",
    ]);
  });
  it('fails a bundle whose template, script or style does not compile, naming the file, line and column', async () => {
    const broken = {
      ...bundle,
      'lwc/accountsView/accountsView.html': '<template>\n  <div>\n</template>',
      'lwc/accountsView/accountsView.js':
        "import { LightningElement } from 'lwc';\nexport default class AccountsView extends LightningElement {\n  load( {}\n}\n",
      'lwc/accountsView/accountsView.css': '.card { color: red;',
    };
    const r = await deploy(await zipOf(broken, { LightningComponentBundle: ['accountsView'] }));
    expect(r.status).toBe('Failed');
    const byFile = Object.fromEntries(r.details.componentFailures.map((f) => [f.fileName, f]));
    expect(byFile['lwc/accountsView/accountsView.html']).toMatchObject({
      lineNumber: 3,
      problem: expect.stringMatching(/^LWC1058: Invalid HTML syntax/),
    });
    expect(byFile['lwc/accountsView/accountsView.js']).toMatchObject({
      lineNumber: 4,
      problem: expect.stringMatching(/LWC1007: accountsView\.js: Unexpected token/),
    });
    expect(byFile['lwc/accountsView/accountsView.css']).toMatchObject({ problem: expect.stringMatching(/LWC1009: .*Unclosed block/) });
    expect(JSON.stringify(r.details.componentFailures)).not.toContain(process.cwd());
  });
});

describe('hostile zips', () => {
  it('never stores a path that climbs out of the package, and refuses bad class names', async () => {
    const zip = new JSZip();
    zip.file('package.xml', `<Package ${MD}><types><members>*</members><name>ApexClass</name></types><version>62.0</version></Package>`);
    zip.file('classes/../../evil.cls', 'public class evil {}');
    await deploy(await zip.generateAsync({ type: 'nodebuffer' }));
    const paths = (platform.db.prepare('SELECT files FROM md_components WHERE org_id = ?').all(org.id) as { files: string }[]).flatMap(
      (r) => Object.keys(JSON.parse(r.files)),
    );
    expect(paths.filter((p) => p.includes('..') || p.startsWith('/'))).toEqual([]);
    expect(listApexClasses(platform.db, org.id).map((c) => c.name)).not.toContain('evil');
    const bad = await deploy(
      await zipOf({ 'classes/Bad Name.cls': 'public class X {}', 'classes/Bad Name.cls-meta.xml': classMeta }, { ApexClass: ['*'] }),
    );
    expect(failures(bad)[0]).toMatch(/^ApexClass:Bad Name: Invalid class name Bad Name/);
  });

  it("reads a class's name past a string holding /* (a REST urlMapping such as '/records/v1/*')", async () => {
    const body = `@RestResource(urlMapping='/records/v1/*')
global with sharing class Records {
  /** @description An inner class after a doc comment. */
  private class Failure extends Exception {
  }
}`;
    const r = await deploy(
      await zipOf({ 'classes/Records.cls': body, 'classes/Records.cls-meta.xml': classMeta }, { ApexClass: ['Records'] }),
    );
    expect(failures(r)).toEqual([]);
    expect(listApexClasses(platform.db, org.id).map((c) => c.name)).toContain('Records');
  });

  it('refuses more files than a deploy may hold, before inflating any', async () => {
    const zip = new JSZip();
    zip.file('package.xml', `<Package ${MD}><version>62.0</version></Package>`);
    for (let i = 0; i <= 10_000; i++) zip.file(`staticresources/R${i}.resource`, '');
    const r = await deploy(await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' }));
    expect(r).toMatchObject({ status: 'Failed', errorMessage: 'The zip file contains 10002 files; a deploy can hold at most 10000.' });
  }, 60_000);
});

describe('Apex types across classes', () => {
  it('fails a class whose superclass exists neither in the deploy nor in the org', async () => {
    const r = await deploy(
      await zipOf(
        { 'classes/Child.cls': 'public class Child\n    extends MissingBase {\n}', 'classes/Child.cls-meta.xml': classMeta },
        { ApexClass: ['Child'] },
      ),
    );
    expect(r.details.componentFailures).toEqual([
      expect.objectContaining({ fullName: 'Child', problem: 'Invalid type: MissingBase', lineNumber: 2, columnNumber: 5 }),
    ]);
    const ok = await deploy(
      await zipOf(
        {
          'classes/Child.cls': 'public class Child extends MissingBase {}',
          'classes/Child.cls-meta.xml': classMeta,
          'classes/MissingBase.cls': 'public virtual class MissingBase {}',
          'classes/MissingBase.cls-meta.xml': classMeta,
        },
        { ApexClass: ['Child', 'MissingBase'] },
      ),
    );
    expect(failures(ok)).toEqual([]);
  });
});

describe('child-only deploys', () => {
  it('merges a deploy of one CustomField into the stored object, keeping the other fields', async () => {
    const obj = (fields: string) =>
      `<CustomObject ${MD}>${fields}<label>Cfg</label><pluralLabel>Cfgs</pluralLabel><visibility>Public</visibility></CustomObject>`;
    const field = (name: string, len: number) =>
      `<fields><fullName>${name}</fullName><label>${name}</label><length>${len}</length><type>Text</type></fields>`;
    expect(
      (await deploy(await zipOf({ 'objects/Cfg__mdt.object': obj(field('A__c', 10) + field('B__c', 20)) }, { CustomObject: ['Cfg__mdt'] })))
        .status,
    ).toBe('Succeeded');
    // what SDR sends for `-m CustomField:Cfg__mdt.B__c`: the object file with only that field, and only the child in package.xml
    const r = await deploy(
      await zipOf(
        { 'objects/Cfg__mdt.object': `<CustomObject ${MD}>${field('B__c', 99)}</CustomObject>` },
        { CustomField: ['Cfg__mdt.B__c'] },
      ),
    );
    expect(failures(r)).toEqual([]);
    const fields = getCustomObject(platform.db, org.id, 'Cfg__mdt')!.fields.map((f) => `${f.name}:${f.length}`);
    expect(fields).toEqual(['A__c:10', 'B__c:99']);
  });
});

describe('Settings', () => {
  it('stores deployed settings as plain values for the platform to read (e.g. the session timeout)', async () => {
    const r = await deploy(
      await zipOf(
        {
          'settings/Security.settings': `<?xml version="1.0" encoding="UTF-8"?><SecuritySettings ${MD}><sessionSettings><sessionTimeout>TwoHours</sessionTimeout></sessionSettings></SecuritySettings>`,
        },
        { Settings: ['Security'] },
      ),
    );
    expect(failures(r)).toEqual([]);
    expect(getSettings(platform.db, org.id, 'Security')).toEqual({ sessionSettings: { sessionTimeout: 'TwoHours' } });
    const wrongRoot = await deploy(await zipOf({ 'settings/Security.settings': `<SharingSettings ${MD}/>` }, { Settings: ['Security'] }));
    expect(failures(wrongRoot)[0]).toMatch(/expected root element SecuritySettings but found SharingSettings/);
  });
});
