/**
 * The real `sf` CLI against the local platform: `project deploy start` of this repository's provider and
 * consumer sources (into the Dev Hub and into a scratch org created with `org create scratch`), a broken
 * class that fails with its line, a dry run, and `project retrieve start` bringing back the generated
 * certificate as public PEM. HOME is a temp folder so the CLI's auth files never touch the user's.
 * What only checks the orgs' state afterwards (queries, a permission set assignment, a token) goes through
 * jsforce, the library under the CLI, in this process: each sf start costs seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { cpSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { Connection, OAuth2 } from '@jsforce/jsforce-node';
import { startPlatform, type RunningPlatform } from '../../../tools/local-platform/http/server.ts';
import { runSoql } from '../../../tools/data/soql.ts';
import { adminToken, api, JWT_GRANT, sfWorkspace, signRs256 } from '../helpers.ts';
import {
  getCertificate,
  listApexClasses,
  listApexTriggers,
  getCachePartitions,
  findOAuthApp,
  listRemoteSites,
} from '../../../tools/local-platform/metadata/index.ts';
import { renderConsumerConfig, renderExternalClientApp, writeRendered } from '../../../tools/provisioning/render.ts';

const repo = resolve(import.meta.dirname, '../../..');
const { work, project, env, sf, loginJwt, remove } = sfWorkspace('md-sf-');
let platform: RunningPlatform;
let scratchOrgId = '';
/** The scratch org through jsforce, as the sf libraries reach it (a CLI start per query would cost seconds). */
let scratch: Connection;
/** The Dev Hub through jsforce. */
let hub: Connection;
const connect = async (instanceUrl: string, username: string) =>
  new Connection({ instanceUrl, accessToken: await adminToken(platform, instanceUrl, username), version: '66.0' });

beforeAll(async () => {
  platform = await startPlatform({ home: join(work, 'platform'), port: 0, log: () => {} });
  for (const d of ['broken', 'triggers', 'rendered/provider', 'rendered/consumer']) mkdirSync(join(project, d), { recursive: true });
  cpSync(join(repo, 'force-app'), join(project, 'force-app'), { recursive: true });
  cpSync(join(repo, 'config'), join(project, 'config'), { recursive: true });
  cpSync(join(repo, 'deploy-once'), join(project, 'deploy-once'), { recursive: true });
  if (existsSync(join(repo, '.forceignore'))) cpSync(join(repo, '.forceignore'), join(project, '.forceignore'));
  writeFileSync(
    join(project, 'sfdx-project.json'),
    JSON.stringify({
      packageDirectories: [
        { path: 'force-app/provider', default: false },
        { path: 'force-app/consumer', default: true },
        { path: 'broken', default: false },
        { path: 'triggers', default: false },
        { path: 'rendered/provider', default: false },
        { path: 'rendered/consumer', default: false },
      ],
      name: 'md-e2e',
      namespace: '',
      sourceApiVersion: '66.0',
    }),
  );
  const login = await loginJwt(platform, 'hub', '--set-default-dev-hub');
  expect(login.exitCode, JSON.stringify(login.json)).toBe(0);
  hub = await connect(platform.url, platform.adminUsername);
}, 120_000);

afterAll(async () => {
  await platform?.close();
  remove();
});

describe('sf project deploy start / retrieve start', () => {
  it('deploys force-app/provider into the Dev Hub', async () => {
    const r = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app/provider', '--target-org', 'hub']);
    expect(r.exitCode, JSON.stringify(r.json)).toBe(0);
    expect(r.json.result['status']).toBe('Succeeded');
    const names = listApexClasses(platform.db, platform.devHub.id).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['AccountRetriever']));
  }, 120_000);

  it('fails a broken class with its file and line, and leaves the org unchanged', async () => {
    mkdirSync(join(project, 'broken/classes'), { recursive: true });
    writeFileSync(
      join(project, 'broken/classes/Broken.cls'),
      'public with sharing class Broken {\n    public static Integer twice(Integer n) {\n        return n * 2\n    }\n}\n',
    );
    writeFileSync(
      join(project, 'broken/classes/Broken.cls-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n',
    );
    writeFileSync(join(project, 'broken/classes/Sibling.cls'), 'public with sharing class Sibling {}\n');
    writeFileSync(join(project, 'broken/classes/Sibling.cls-meta.xml'), readFileSync(join(project, 'broken/classes/Broken.cls-meta.xml')));
    const r = await sf(['project', 'deploy', 'start', '--source-dir', 'broken', '--target-org', 'hub']);
    expect(r.exitCode).not.toBe(0);
    const files = (r.json.result['files'] ?? (r.json as unknown as { data?: { files?: unknown[] } }).data?.files) as {
      fullName: string;
      state: string;
      lineNumber?: number;
      columnNumber?: number;
      error?: string;
      filePath?: string;
    }[];
    const failed = files.filter((f) => f.state === 'Failed');
    expect(failed).toEqual([
      expect.objectContaining({ fullName: 'Broken', lineNumber: 4, columnNumber: 5, error: "Missing ';' at '}' (4:5)" }),
    ]);
    expect(failed[0]!.filePath).toMatch(/broken\/classes\/Broken\.cls$/);
    expect(listApexClasses(platform.db, platform.devHub.id).map((c) => c.name)).not.toContain('Sibling');
  }, 120_000);

  it('deploys a trigger with its test (RunSpecifiedTests): the test sees it fire and fail a row with addError', async () => {
    const meta = (type: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</${type}>\n`;
    mkdirSync(join(project, 'triggers/main/triggers'), { recursive: true });
    mkdirSync(join(project, 'triggers/main/classes'), { recursive: true });
    writeFileSync(
      join(project, 'triggers/main/triggers/AccountDescriber.trigger'),
      "trigger AccountDescriber on Account (before insert) {\n    for (Account a : Trigger.new) {\n        if (a.Name == 'Nope') a.addError('Nope is not a name');\n        a.Description = 'Described: ' + a.Name;\n    }\n}\n",
    );
    writeFileSync(join(project, 'triggers/main/triggers/AccountDescriber.trigger-meta.xml'), meta('ApexTrigger'));
    writeFileSync(
      join(project, 'triggers/main/classes/AccountDescriberTest.cls'),
      `@IsTest
private class AccountDescriberTest {
    @IsTest
    static void describesAndRefuses() {
        Account a = new Account(Name = 'Acme');
        insert a;
        Assert.areEqual('Described: Acme', [SELECT Description FROM Account WHERE Id = :a.Id].Description, 'the before insert trigger sets it');
        try {
            insert new Account(Name = 'Nope');
            Assert.fail('the trigger refuses Nope');
        } catch (DmlException e) {
            Assert.areEqual('Nope is not a name', e.getDmlMessage(0), 'the addError message');
            Assert.areEqual(StatusCode.FIELD_CUSTOM_VALIDATION_EXCEPTION, e.getDmlType(0), 'the status code');
        }
    }
}
`,
    );
    writeFileSync(join(project, 'triggers/main/classes/AccountDescriberTest.cls-meta.xml'), meta('ApexClass'));
    const r = await sf([
      'project',
      'deploy',
      'start',
      '--source-dir',
      'triggers',
      '--target-org',
      'hub',
      '--test-level',
      'RunSpecifiedTests',
      '--tests',
      'AccountDescriberTest',
    ]);
    expect(r.exitCode, JSON.stringify(r.json)).toBe(0);
    const tests = (
      r.json.result['details'] as {
        runTestResult: {
          numTestsRun: number;
          numFailures: number;
          codeCoverage: { name: string; type: string; numLocationsNotCovered: number }[];
        };
      }
    ).runTestResult;
    expect(tests).toMatchObject({ numTestsRun: 1, numFailures: 0 });
    expect(tests.codeCoverage).toContainEqual(
      expect.objectContaining({ name: 'AccountDescriber', type: 'Trigger', numLocationsNotCovered: 0 }),
    );
    expect(listApexTriggers(platform.db, platform.devHub.id).map((t) => t.name)).toContain('AccountDescriber');
    // REST writes fire triggers too (what `sf data create record` sends).
    const token = await adminToken(platform);
    const post = (name: string) =>
      api(platform.url, token, '/services/data/v66.0/sobjects/Account', {
        method: 'POST',
        body: JSON.stringify({ Name: name }),
        headers: { 'Content-Type': 'application/json' },
      });
    const refused = await post('Nope');
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual([{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Nope is not a name' }]);
    expect((await post('ViaRest')).status).toBe(201);
    expect(runSoql(platform.db, platform.devHub.id, "SELECT Description FROM Account WHERE Name = 'ViaRest'").records[0]).toMatchObject({
      Description: 'Described: ViaRest',
    });
  }, 120_000);

  it('deploys force-app/consumer into a scratch org made by `sf org create scratch`, with source tracking', async () => {
    const created = await sf([
      'org',
      'create',
      'scratch',
      '--definition-file',
      'config/consumer-scratch-def.json',
      '--target-dev-hub',
      'hub',
      '--alias',
      'orga',
      '--wait',
      '5',
    ]);
    expect(created.exitCode, JSON.stringify(created.json)).toBe(0);
    const orgId = created.json.result['orgId'] as string;
    scratchOrgId = orgId;
    scratch = await connect(
      (created.json.result['authFields'] as { instanceUrl: string }).instanceUrl,
      created.json.result['username'] as string,
    );
    // through the REST deploy endpoint (the CLI's org-metadata-rest-deploy setting)
    const r = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app/consumer', '--target-org', 'orga'], {
      SF_ORG_METADATA_REST_DEPLOY: 'true',
    });
    expect(r.exitCode, JSON.stringify(r.json)).toBe(0);
    expect(r.json.warnings ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/SourceMembers/)]));
    expect(getCachePartitions(platform.db, orgId).map((p) => p.name)).toEqual(['OrgBTokens']);
    // the certificate is not in force-app/consumer: it is deployed once, from outside every package directory
    expect(getCertificate(platform.db, orgId, 'OrgA_JWT_Signing')).toBeUndefined();
    const cert = await sf(['project', 'deploy', 'start', '--source-dir', 'deploy-once/consumer', '--target-org', 'orga']);
    expect(cert.exitCode, JSON.stringify(cert.json)).toBe(0);
    expect(getCertificate(platform.db, orgId, 'OrgA_JWT_Signing')?.privateKeyPem).toContain('PRIVATE KEY');
  }, 180_000);

  it('renews the key pair when the empty certificate is deployed again (new fingerprint), and Tooling Certificate finds it', async () => {
    const before = new X509Certificate(getCertificate(platform.db, scratchOrgId, 'OrgA_JWT_Signing')!.certificatePem).fingerprint256;
    // what setup:orgs asks before it deploys the certificate (through sfdx-core's jsforce)
    const q = await scratch.tooling.query("SELECT Id, DeveloperName FROM Certificate WHERE DeveloperName = 'OrgA_JWT_Signing'");
    expect(q.records).toEqual([expect.objectContaining({ DeveloperName: 'OrgA_JWT_Signing', Id: expect.stringMatching(/^0P1\w{15}$/) })]);
    const again = await sf(['project', 'deploy', 'start', '--source-dir', 'deploy-once/consumer', '--target-org', 'orga']);
    expect(again.exitCode, JSON.stringify(again.json)).toBe(0);
    expect(new X509Certificate(getCertificate(platform.db, scratchOrgId, 'OrgA_JWT_Signing')!.certificatePem).fingerprint256).not.toBe(
      before,
    );
    // redeploying the package directory leaves it alone
    const current = getCertificate(platform.db, scratchOrgId, 'OrgA_JWT_Signing')!.certificatePem;
    const code = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app/consumer', '--target-org', 'orga']);
    expect(code.exitCode, JSON.stringify(code.json)).toBe(0);
    expect(getCertificate(platform.db, scratchOrgId, 'OrgA_JWT_Signing')!.certificatePem).toBe(current);
  }, 180_000);

  it('retrieves the generated certificate as public PEM only', async () => {
    // Not in any package directory of the project, so sf writes it into the default one.
    const crt = join(project, 'force-app/consumer/main/default/certs/OrgA_JWT_Signing.crt');
    expect(existsSync(crt)).toBe(false);
    const r = await sf([
      'project',
      'retrieve',
      'start',
      '--metadata',
      'Certificate:OrgA_JWT_Signing',
      '--metadata',
      'ApexClass:Jwt',
      '--target-org',
      'orga',
    ]);
    expect(r.exitCode, JSON.stringify(r.json)).toBe(0);
    const pem = readFileSync(crt, 'utf8');
    expect(pem).not.toMatch(/PRIVATE KEY/);
    expect(new X509Certificate(pem).subject).toContain('CN=OrgA_JWT_Signing');
    expect(new X509Certificate(pem).fingerprint256).toBe(
      new X509Certificate(getCertificate(platform.db, scratchOrgId, 'OrgA_JWT_Signing')!.certificatePem).fingerprint256,
    );
  }, 120_000);

  it("deploys the provisioning tool's rendered External Client App (Dev Hub) and consumer config (scratch org)", async () => {
    const pem = readFileSync(join(project, 'force-app/consumer/main/default/certs/OrgA_JWT_Signing.crt'), 'utf8');
    const consumerKey = 'LocalE2eKey' + Date.now();
    await writeRendered(
      join(project, 'rendered/provider'),
      renderExternalClientApp({
        certificatePem: pem,
        consumerKey,
        contactEmail: 'ci@example.com',
        permissionSet: 'Account_Retriever_Integration',
      }),
    );
    await writeRendered(
      join(project, 'rendered/consumer'),
      renderConsumerConfig({
        loginUrl: platform.url,
        instanceUrl: platform.url,
        consumerKey,
        username: platform.adminUsername,
        certificateName: 'OrgA_JWT_Signing',
      }),
    );
    const provider = await sf(['project', 'deploy', 'start', '--source-dir', 'rendered/provider', '--target-org', 'hub']);
    expect(provider.exitCode, JSON.stringify(provider.json)).toBe(0);
    const app = findOAuthApp(platform.db, platform.devHub.id, consumerKey);
    expect(app).toMatchObject({
      kind: 'ExternalClientApplication',
      name: 'OrgA_Account_Reader',
      adminApproved: true,
      permissionSets: ['Account_Retriever_Integration'],
      sessionTimeoutMinutes: 60,
    });
    expect(new X509Certificate(app!.certificatePem!).fingerprint256).toBe(new X509Certificate(pem).fingerprint256);

    const consumer = await sf(['project', 'deploy', 'start', '--source-dir', 'rendered/consumer', '--target-org', 'orga']);
    expect(consumer.exitCode, JSON.stringify(consumer.json)).toBe(0);
    expect(platform.records.find(scratchOrgId, 'Org_B_Connection__mdt', 'DeveloperName', 'Default')).toMatchObject({
      Consumer_Key__c: consumerKey,
      Certificate_Name__c: 'OrgA_JWT_Signing',
      Named_Credential__c: null,
    });
    expect(listRemoteSites(platform.db, scratchOrgId)).toEqual([
      expect.objectContaining({ url: platform.url, isActive: true, disableProtocolSecurity: true }),
    ]);

    // the record is queryable like Salesforce's custom metadata
    const q = await scratch.query(
      "SELECT DeveloperName, Consumer_Key__c, Named_Credential__c FROM Org_B_Connection__mdt WHERE DeveloperName = 'Default'",
    );
    expect(q.records).toEqual([
      expect.objectContaining({ DeveloperName: 'Default', Consumer_Key__c: consumerKey, Named_Credential__c: null }),
    ]);

    // The deployed ECA trusts Org A's generated certificate: its private key logs a pre-authorised user in
    // (pre-authorised through the deployed permission set, assigned as `sf org assign permset` does).
    const [user] = (await hub.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = '${platform.adminUsername}'`)).records;
    const [permSet] = (await hub.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'Account_Retriever_Integration'"))
      .records;
    expect(await hub.sobject('PermissionSetAssignment').create({ AssigneeId: user.Id, PermissionSetId: permSet.Id })).toMatchObject({
      success: true,
    });
    // An External Client App takes the org's own URL as audience, not login.salesforce.com (docs/salesforce-rules.md#eca-not-installed).
    const assertion = signRs256(
      { alg: 'RS256' },
      { iss: consumerKey, sub: platform.adminUsername, aud: platform.url, exp: Math.floor(Date.now() / 1000) + 120 },
      getCertificate(platform.db, scratchOrgId, 'OrgA_JWT_Signing')!.privateKeyPem,
    );
    const token = (await new OAuth2({ loginUrl: platform.url }).requestToken({ grant_type: JWT_GRANT, assertion })) as unknown as {
      access_token: string;
    };
    expect(token.access_token).toBeTruthy();
  }, 120_000);

  it('answers a Metadata API call without a valid session with the INVALID_SESSION_ID fault jsforce refreshes on', async () => {
    const envelope =
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>not-a-token</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata"><describeMetadata><asOfVersion>66.0</asOfVersion></describeMetadata></soapenv:Body></soapenv:Envelope>';
    const res = await fetch(`${platform.url}/services/Soap/m/66.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
      body: envelope,
    });
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/<faultcode>sf:INVALID_SESSION_ID<\/faultcode>/);
  });

  it('imports a keytool-made JKS into the scratch org with `local-orgs import-keystore` (password from KEYSTORE_PASSWORD, never argv)', async () => {
    const jks = join(work, 'import.jks');
    await execa('keytool', [
      '-genkeypair',
      '-alias',
      'OrgA_From_Keystore',
      '-keyalg',
      'RSA',
      '-keysize',
      '3072',
      '-storetype',
      'JKS',
      '-keystore',
      jks,
      '-storepass',
      'pass-e2e-1',
      '-keypass',
      'pass-e2e-1',
      '-dname',
      'CN=e2e',
      '-validity',
      '10',
    ]);
    const r = await execa(
      join(repo, 'node_modules/.bin/tsx'),
      [join(repo, 'tools/cli/importKeystore.ts'), '--target-org', 'orga', '--file', jks, '--json'],
      {
        cwd: project,
        env: { ...env, KEYSTORE_PASSWORD: 'pass-e2e-1' },
        reject: false,
      },
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result.imported).toEqual([expect.objectContaining({ name: 'orga_from_keystore', keySize: 3072 })]);
    expect(r.stdout).not.toContain('pass-e2e-1');
    expect(getCertificate(platform.db, scratchOrgId, 'orga_from_keystore')?.privateKeyPem).toContain('PRIVATE KEY');
  }, 60_000);
});
