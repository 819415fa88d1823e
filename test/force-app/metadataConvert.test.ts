/**
 * Both package directories convert from source format to Metadata API format with Salesforce's own
 * converter (@salesforce/source-deploy-retrieve, what `sf project convert source` and `sf project deploy
 * start` use), and the generated package.xml lists exactly the components each org needs.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { packageDirectories, projectRoot } from './projectFiles.ts';

const project = JSON.parse(readFileSync(path.join(projectRoot, 'sfdx-project.json'), 'utf8')) as {
  sourceApiVersion: string;
};

const EXPECTED: Record<string, Record<string, string[]>> = {
  'force-app/provider': {
    ApexClass: [
      'AccountRetriever',
      'AccountRetrieverTest',
      'RecordsPage',
      'RecordsResource',
      'RecordsResourceTest',
      'RecordsResourceTestHelper',
    ],
    CustomField: [
      'Exposed_Object__mdt.Default_Order_By__c',
      'Exposed_Object__mdt.Fields__c',
      'Exposed_Object__mdt.Max_Page_Size__c',
      'Exposed_Object__mdt.Object_Api_Name__c',
    ],
    CustomMetadata: ['Exposed_Object.Account'],
    CustomObject: ['Exposed_Object__mdt'],
    PermissionSet: ['Account_Retriever_Integration'],
  },
  'force-app/consumer': {
    ApexClass: [
      'AccessTokenSource',
      'ExternalServiceClient',
      'ExternalServiceClientTest',
      'ExternalServiceController',
      'HttpTransport',
      'Jwt',
      'JwtTest',
      'OrgBAccountsClient',
      'OrgBAccountsClientNamedCredentialTest',
      'OrgBAccountsClientTest',
      'OrgBAccountsController',
      'OrgBAccountsControllerTest',
      'OrgBCalloutTestSupport',
      'PlatformHttpTransport',
      'RemoteRecords',
      'RemoteRecordsController',
      'RemoteRecordsControllerTest',
      'RemoteRecordsRequestTest',
      'RemoteRecordsTestSupport',
    ],
    CustomField: [
      'Org_B_Connection__mdt.Audience__c',
      'Org_B_Connection__mdt.Certificate_Name__c',
      'Org_B_Connection__mdt.Consumer_Key__c',
      'Org_B_Connection__mdt.Login_Url__c',
      'Org_B_Connection__mdt.Named_Credential__c',
      'Org_B_Connection__mdt.Resource_Path__c',
      'Org_B_Connection__mdt.Username__c',
    ],
    CustomObject: ['Org_B_Connection__mdt'],
    CustomTab: ['Org_B_Accounts'],
    LightningComponentBundle: ['apexCard', 'externalServiceUsers', 'latestOrgBAccounts', 'remoteRecords'],
    PermissionSet: ['Org_B_Accounts_Viewer'],
    PlatformCachePartition: ['OrgBTokens'],
  },
};

const outputRoot = mkdtempSync(path.join(tmpdir(), 'mdapi-convert-'));
afterAll(() => rmSync(outputRoot, { recursive: true, force: true }));

const xml = new XMLParser({ ignoreAttributes: true, isArray: (name) => name === 'types' || name === 'members' });
/** Keeps values as text: package.xml's version is "66.0", not the number 66. */
const textXml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === 'types' || name === 'members',
});

/** Converts one package directory and returns the output folder. */
async function convert(packageDir: string): Promise<string> {
  const components = ComponentSet.fromSource(path.join(projectRoot, packageDir));
  components.sourceApiVersion = project.sourceApiVersion;
  const outputDirectory = path.join(outputRoot, packageDir.replace(/\//g, '_'));
  await new MetadataConverter().convert(components, 'metadata', {
    type: 'directory',
    outputDirectory,
    genUniqueDir: false,
  });
  return outputDirectory;
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(path.join(dir, f)).isFile());
}

describe('metadata conversion', () => {
  it('covers every package directory of sfdx-project.json', () => {
    expect(packageDirectories().sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))('%s converts and its package.xml lists the expected types', async (packageDir) => {
    const out = await convert(packageDir);
    const manifest = textXml.parse(readFileSync(path.join(out, 'package.xml'), 'utf8')) as {
      Package: { types: { name: string; members: string[] }[]; version: string };
    };
    const listed = Object.fromEntries(manifest.Package.types.map((t) => [t.name, [...t.members].sort()]));
    expect(listed).toEqual(EXPECTED[packageDir]);
    expect(manifest.Package.version).toBe(project.sourceApiVersion);
  });

  it('keeps the certificate empty (the org generates the key pair) and outside every package directory (a redeploy renews it)', async () => {
    const out = await convert('deploy-once/consumer');
    expect(filesBelow(out).sort()).toEqual(['certs/OrgA_JWT_Signing.crt', 'certs/OrgA_JWT_Signing.crt-meta.xml', 'package.xml']);
    expect(readFileSync(path.join(out, 'certs/OrgA_JWT_Signing.crt'), 'utf8')).toBe('');
    const certificate = xml.parse(readFileSync(path.join(out, 'certs/OrgA_JWT_Signing.crt-meta.xml'), 'utf8'));
    expect(certificate.Certificate).toMatchObject({ caSigned: false, keySize: 2048, privateKeyExportable: false });
    expect(packageDirectories().some((dir) => dir.startsWith('deploy-once'))).toBe(false);
  });

  it('leaves LWC tests out', async () => {
    const out = await convert('force-app/consumer');
    const files = filesBelow(out);
    expect(files.filter((f) => f.includes('__tests__'))).toEqual([]);
    expect(files).toContain('lwc/latestOrgBAccounts/latestOrgBAccounts.js');
  });

  it('merges the custom metadata fields into the object file', async () => {
    const out = await convert('force-app/consumer');
    const object = xml.parse(readFileSync(path.join(out, 'objects/Org_B_Connection__mdt.object'), 'utf8')) as {
      CustomObject: { fields: { fullName: string }[]; visibility: string };
    };
    expect(object.CustomObject.fields.map((f) => f.fullName).sort()).toEqual(
      EXPECTED['force-app/consumer'].CustomField.map((f) => f.split('.')[1]).sort(),
    );
  });

  it('refuses a source file of no known metadata type', () => {
    const bogus = mkdtempSync(path.join(tmpdir(), 'mdapi-bogus-'));
    try {
      const dir = path.join(bogus, 'main/default/notAType');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'Thing.unknownSuffix-meta.xml'), '<Thing/>');
      expect(() => ComponentSet.fromSource(bogus)).toThrow(/TypeInferenceError|could not infer a metadata type/i);
    } finally {
      rmSync(bogus, { recursive: true, force: true });
    }
  });
});
