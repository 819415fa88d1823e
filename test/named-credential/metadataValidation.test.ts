import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestPlatform, zipOf, MD } from '../local-platform/metadata/fixtures.ts';
import { deployZip } from '../../tools/local-platform/metadata/index.ts';
import type { OrgInfo } from '../../tools/local-platform/http/contracts.ts';
import { renderNamedCredential } from '../../tools/provisioning/renderNamedCredential.ts';

/** The local Metadata API accepts the rendered Named Credential path and refuses broken variants of it. */
let platform: ReturnType<typeof newTestPlatform>;
let org: OrgInfo;
let adminId: string;
const input = {
  loginUrl: 'https://orgb.my.salesforce.com',
  instanceUrl: 'https://orgb.my.salesforce.com',
  consumerKey: '3MVGk',
  username: 'int@orgb.example',
  certificateName: 'OrgA_JWT_Signing',
};
const typeOf: Record<string, string> = {
  externalCredentials: 'ExternalCredential',
  namedCredentials: 'NamedCredential',
  permissionsets: 'PermissionSet',
  certs: 'Certificate',
};
const cert = {
  'certs/OrgA_JWT_Signing.crt': '',
  'certs/OrgA_JWT_Signing.crt-meta.xml': `<Certificate ${MD}><caSigned>false</caSigned><keySize>2048</keySize><masterLabel>OrgA_JWT_Signing</masterLabel><privateKeyExportable>false</privateKeyExportable></Certificate>`,
};

/** Source-format files → Metadata API zip (these types have no content file: drop `-meta.xml`). */
async function deploy(source: Record<string, string>, extra: Record<string, string> = {}) {
  const files: Record<string, string> = { ...extra };
  const manifest: Record<string, string[]> = {};
  for (const [path, content] of Object.entries(source)) {
    const rel = path.replace(/^main\/default\//, '').replace(/-meta\.xml$/, '');
    files[rel] = content;
    const [folder, file] = rel.split('/');
    (manifest[typeOf[folder!]!] ??= []).push(file!.replace(/\..*$/, ''));
  }
  if (extra['certs/OrgA_JWT_Signing.crt'] !== undefined) manifest.Certificate = ['OrgA_JWT_Signing'];
  const r = await deployZip({ db: platform.db, org, records: platform.records, userId: adminId }, await zipOf(files, manifest, '66.0'));
  return { status: r.status, failures: r.details.componentFailures.map((f) => `${f.componentType}:${f.fullName}: ${f.problem}`) };
}

beforeAll(() => {
  platform = newTestPlatform();
  ({ org, adminId } = platform.addOrg({ name: 'Org A' }));
});
afterAll(() => platform?.cleanup());

describe('Metadata API deploy of the Named Credential path', () => {
  it('refuses a permission set whose principal access names no External Credential principal', async () => {
    const files = renderNamedCredential(input);
    const ps = Object.entries(files).find(([p]) => p.includes('permissionsets'))!;
    const r = await deploy({ [ps[0]]: ps[1] });
    expect(r.failures).toEqual([
      'PermissionSet:Org_B_Named_Credential_Access: In field: externalCredentialPrincipal - no ExternalCredentialPrincipal named Org_B_JWT-Org_B_Integration found',
    ]);
  });

  it('refuses an OAuth External Credential without its variant and token endpoint', async () => {
    const files = renderNamedCredential(input);
    const [path, xml] = Object.entries(files).find(([p]) => p.includes('externalCredentials'))!;
    const broken = xml.replace(
      /<externalCredentialParameters>\s*<parameterGroup>DefaultGroup<\/parameterGroup>\s*<parameterName>AuthProviderUrl<\/parameterName>[\s\S]*?<\/externalCredentialParameters>\n/,
      '',
    );
    expect(broken).not.toContain('AuthProviderUrl');
    const r = await deploy({ [path]: broken }, cert);
    expect(r.failures).toContain(
      'ExternalCredential:Org_B_JWT: The authentication protocol "Oauth JwtBearer" requires the following external credential parameter types: AuthProtocolVariant, AuthProviderUrl.',
    );
  });

  it('accepts the rendered External Credential, Named Credential and permission set in one deploy', async () => {
    const r = await deploy(renderNamedCredential(input), cert);
    expect(r.failures).toEqual([]);
    expect(r.status).toBe('Succeeded');
    // and a later permission set alone finds the stored principal
    const ps = Object.entries(renderNamedCredential(input)).find(([p]) => p.includes('permissionsets'))!;
    expect((await deploy({ [ps[0]]: ps[1] })).status).toBe('Succeeded');
  });
});
