/**
 * The Metadata API through jsforce (the library the sf CLI uses underneath), against a running platform:
 * the SOAP calls one by one, bad input answered with Salesforce's fault shapes, and the server still serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@jsforce/jsforce-node';
import { startPlatform, type RunningPlatform } from '../../../tools/local-platform/http/server.ts';
import { issueToken } from '../../../tools/local-platform/oauth/tokens.ts';
import { zipOf, classMeta, MD } from './fixtures.ts';

const home = mkdtempSync(join(tmpdir(), 'md-jsforce-'));
let platform: RunningPlatform;
let conn: Connection;

beforeAll(async () => {
  platform = await startPlatform({ home, port: 0, log: () => {} });
  const admin = platform.records.find(platform.devHub.id, 'User', 'Username', platform.adminUsername)!;
  const accessToken = issueToken(platform.db, 'access', platform.devHub.id, admin['Id'] as string, undefined, 3600);
  conn = new Connection({ instanceUrl: platform.url, accessToken, version: '66.0' });
}, 60_000);
afterAll(async () => {
  await platform?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('Metadata API over jsforce', () => {
  it('deploys, reports status with details, and lists, reads and retrieves what it deployed', async () => {
    const zip = await zipOf(
      {
        'classes/Greeter.cls': "public with sharing class Greeter {\n    public static String hello() { return 'hi'; }\n}",
        'classes/Greeter.cls-meta.xml': classMeta,
        'remoteSiteSettings/Org_B.remoteSite': `<RemoteSiteSetting ${MD}><disableProtocolSecurity>false</disableProtocolSecurity><isActive>true</isActive><url>https://b.example</url></RemoteSiteSetting>`,
      },
      { ApexClass: ['Greeter'], RemoteSiteSetting: ['Org_B'] },
    );
    const result = await conn.metadata.deploy(zip, { rollbackOnError: true }).complete(true);
    expect(result).toMatchObject({ done: true, success: true, status: 'Succeeded', numberComponentsDeployed: 2 });

    const listed = await conn.metadata.list([{ type: 'ApexClass' }, { type: 'RemoteSiteSetting' }]);
    expect(listed.map((f) => `${f.type}:${f.fullName}`).sort()).toEqual(['ApexClass:Greeter', 'RemoteSiteSetting:Org_B']);

    const site = (await conn.metadata.read('RemoteSiteSetting', 'Org_B')) as unknown as Record<string, unknown>;
    expect(site).toMatchObject({ fullName: 'Org_B', url: 'https://b.example', isActive: true, disableProtocolSecurity: false });

    const described = await conn.metadata.describe('66.0');
    expect(described.metadataObjects.find((o) => o.xmlName === 'ExternalClientApplication')).toMatchObject({
      directoryName: 'externalClientApps',
      suffix: 'eca',
    });

    const retrieved = await conn.metadata
      .retrieve({ unpackaged: { types: [{ name: 'ApexClass', members: ['Greeter'] }], version: '66.0' } } as never)
      .complete();
    expect(retrieved).toMatchObject({ success: true, status: 'Succeeded' });
    expect(retrieved.fileProperties.map((f) => f.fileName)).toContain('unpackaged/classes/Greeter.cls');
  });

  it('quick-deploys a validated dry run with deployRecentValidation', async () => {
    const zip = await zipOf(
      { 'classes/Quick.cls': 'public class Quick {}', 'classes/Quick.cls-meta.xml': classMeta },
      { ApexClass: ['Quick'] },
    );
    const validated = await conn.metadata.deploy(zip, { checkOnly: true }).complete(true);
    expect(validated).toMatchObject({ success: true, checkOnly: true });
    expect((await conn.metadata.list([{ type: 'ApexClass' }])).map((f) => f.fullName)).not.toContain('Quick');
    const quickId = await conn.metadata.deployRecentValidation({ id: validated.id });
    const quick = await conn.metadata.checkDeployStatus(typeof quickId === 'string' ? quickId : (quickId as { id: string }).id, true);
    expect(quick).toMatchObject({ success: true, checkOnly: false, status: 'Succeeded' });
    expect((await conn.metadata.list([{ type: 'ApexClass' }])).map((f) => f.fullName)).toContain('Quick');
  });

  it('validates without saving through the REST deploy endpoint (deployRequest)', async () => {
    const zip = await zipOf(
      { 'classes/ViaRest.cls': 'public class ViaRest {}', 'classes/ViaRest.cls-meta.xml': classMeta },
      { ApexClass: ['ViaRest'] },
    );
    const result = await conn.metadata.deployRest(zip, { checkOnly: true }).complete(true);
    expect(result).toMatchObject({ done: true, success: true, checkOnly: true, status: 'Succeeded' });
    expect(result.details?.componentSuccesses).toEqual(
      expect.arrayContaining([expect.objectContaining({ fullName: 'ViaRest', created: true })]),
    );
    expect((await conn.metadata.list([{ type: 'ApexClass' }])).map((f) => f.fullName)).not.toContain('ViaRest');
  });

  it('fails a broken zip with an error message instead of crashing', async () => {
    const result = await conn.metadata.deploy(Buffer.from('not a zip'), {}).complete(true);
    expect(result).toMatchObject({ done: true, success: false, status: 'Failed' });
    expect(result.errorMessage).toMatch(/^The zip file is not valid/);
  });

  it('answers malformed SOAP, unknown operations and unknown ids with faults, and keeps serving', async () => {
    const post = (body: string) =>
      fetch(`${platform.url}/services/Soap/m/66.0`, { method: 'POST', headers: { 'Content-Type': 'text/xml', SOAPAction: '""' }, body });
    const bad = await post('<soapenv:Envelope><oops');
    expect(bad.status).toBe(500);
    expect(await bad.text()).toMatch(/<faultcode>soapenv:Client<\/faultcode>/);

    await expect(conn.metadata.checkDeployStatus('0Af000000000000AAA', true)).rejects.toThrow(/Invalid deploy ID/);
    const soap = (conn.metadata as unknown as { _invoke(m: string, a: unknown): Promise<unknown> })._invoke.bind(conn.metadata);
    await expect(soap('renameMetadata', { type: 'ApexClass', oldFullName: 'A', newFullName: 'B' })).rejects.toThrow(
      /No operation available for request \{http:\/\/soap.sforce.com\/2006\/04\/metadata\}renameMetadata/,
    );

    const listed = await conn.metadata.list([{ type: 'ApexClass' }]);
    expect(listed.map((f) => f.fullName)).toContain('Greeter');
  });
});
