import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { renderConnectedApp, renderConsumerConfig, renderExternalClientApp, writeRendered } from '../../tools/provisioning/render.ts';

const pem = '-----BEGIN CERTIFICATE-----\nMIIB&<>\n-----END CERTIFICATE-----';
const appInput = {
  certificatePem: pem,
  consumerKey: '3MVGabc123',
  contactEmail: 'a@example.com',
  permissionSet: 'Account_Retriever_Integration',
};
const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'render-'));
  dirs.push(d);
  return d;
};
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function componentsOf(files: Record<string, string>): Promise<string[]> {
  const dir = join(await tempDir(), 'pkg');
  await writeRendered(dir, files);
  return ComponentSet.fromSource(dir)
    .toArray()
    .map((c) => `${c.type.name}:${c.fullName}`)
    .sort();
}

describe('render', () => {
  it('renders an External Client App that SDR reads as four linked components', async () => {
    const files = renderExternalClientApp(appInput);
    for (const xml of Object.values(files)) expect(XMLValidator.validate(xml), xml).toBe(true);
    expect(await componentsOf(files)).toEqual([
      'ExternalClientApplication:OrgA_Account_Reader',
      'ExtlClntAppGlobalOauthSettings:OrgA_Account_Reader_glbloauth',
      'ExtlClntAppOauthConfigurablePolicies:OrgA_Account_Reader_oauthPlcy',
      'ExtlClntAppOauthSettings:OrgA_Account_Reader_oauth',
    ]);
    const global = Object.entries(files).find(([p]) => p.includes('ecaGlblOauth'))![1];
    expect(global).toContain('<certificate>-----BEGIN CERTIFICATE-----\nMIIB&amp;&lt;&gt;\n-----END CERTIFICATE-----</certificate>');
    expect(global).toContain('<consumerKey>3MVGabc123</consumerKey>');
    const policy = Object.entries(files).find(([p]) => p.includes('ecaOauthPlcy'))![1];
    expect(policy).toContain('<permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>');
    expect(policy).toContain('<commaSeparatedPermissionSet>Account_Retriever_Integration</commaSeparatedPermissionSet>');
  });

  it('renders a Connected App with elements in the WSDL order', async () => {
    const files = renderConnectedApp(appInput);
    const xml = Object.values(files)[0];
    expect(XMLValidator.validate(xml)).toBe(true);
    const order = ['contactEmail', 'label', 'oauthConfig', 'oauthPolicy', 'permissionSetName'].map((t) => xml.indexOf(`<${t}>`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(xml).toContain('<isAdminApproved>true</isAdminApproved>');
    expect(await componentsOf(files)).toEqual(['ConnectedApp:OrgA_Account_Reader']);
  });

  it("renders A's remote sites for B's token host and instance, and the connection record", async () => {
    const files = renderConsumerConfig({
      loginUrl: 'https://orgb.my.salesforce.com',
      instanceUrl: 'https://orgb.my.salesforce.com',
      consumerKey: '3MVGabc123',
      username: 'integration@orgb.example',
      certificateName: 'OrgA_JWT_Signing',
    });
    // One host serves both: one remote site, not two.
    expect(await componentsOf(files)).toEqual(['CustomMetadata:Org_B_Connection.Default', 'RemoteSiteSetting:Org_B_Login']);
    const local = renderConsumerConfig({
      loginUrl: 'http://127.0.0.1:6101',
      instanceUrl: 'http://127.0.0.1:6102',
      consumerKey: 'k',
      username: 'u',
      certificateName: 'c',
    });
    const sites = Object.entries(local).filter(([p]) => p.includes('remoteSite'));
    expect(sites.map(([, x]) => /<url>(.*)<\/url>/.exec(x)![1])).toEqual(['http://127.0.0.1:6101', 'http://127.0.0.1:6102']);
    expect(sites[0][1]).toContain('<disableProtocolSecurity>true</disableProtocolSecurity>');
    const record = Object.entries(local).find(([p]) => p.endsWith('.md-meta.xml'))![1];
    expect(XMLValidator.validate(record)).toBe(true);
    expect(record).toMatch(/<field>Named_Credential__c<\/field>\s*<value xsi:nil="true"\/>/);
    expect(record, 'no audience found yet: Jwt falls back to Login_Url__c').toMatch(
      /<field>Audience__c<\/field>\s*<value xsi:nil="true"\/>/,
    );
    const found = renderConsumerConfig({
      loginUrl: 'https://b.my.salesforce.com',
      audience: 'https://test.salesforce.com',
      instanceUrl: 'https://b.my.salesforce.com',
      consumerKey: 'k',
      username: 'u',
      certificateName: 'c',
    });
    const foundRecord = Object.entries(found).find(([p]) => p.endsWith('.md-meta.xml'))![1];
    expect(foundRecord).toMatch(/<field>Audience__c<\/field>\s*<value xsi:type="xsd:string">https:\/\/test\.salesforce\.com<\/value>/);
    // The audience is only a claim: A never calls it, so it gets no remote site.
    expect(Object.keys(found).filter((p) => p.includes('remoteSite'))).toHaveLength(1);
  });

  it('replaces a rendered folder whole and leaves no temp folder', async () => {
    const root = await tempDir();
    const dir = join(root, 'out');
    await writeRendered(dir, { 'a/one.txt': '1', 'b/two.txt': '2' });
    await writeRendered(dir, { 'c/three.txt': '3' });
    expect(await readdir(dir)).toEqual(['c']);
    expect(await readFile(join(dir, 'c', 'three.txt'), 'utf8')).toBe('3');
    expect(await readdir(root)).toEqual(['out']);
  });
});
