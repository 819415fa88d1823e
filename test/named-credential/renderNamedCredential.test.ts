import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRendered } from '../../tools/provisioning/render.ts';
import {
  EXTERNAL_CREDENTIAL,
  NAMED_CREDENTIAL,
  NAMED_CREDENTIAL_PERMSET,
  principalAccessName,
  renderLegacyJwtExchange,
  renderNamedCredential,
} from '../../tools/provisioning/renderNamedCredential.ts';

/** A's Named Credential metadata: what SDR reads it as, and the exact values the exchange depends on. */
const input = {
  loginUrl: 'https://orgb.my.salesforce.com/',
  instanceUrl: 'https://orgb.my.salesforce.com',
  consumerKey: '3MVGkey&<>',
  username: 'integration@orgb.example',
  certificateName: 'OrgA_JWT_Signing',
};
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function componentsOf(files: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'render-nc-'));
  dirs.push(dir);
  await writeRendered(join(dir, 'pkg'), files);
  return ComponentSet.fromSource(join(dir, 'pkg'))
    .toArray()
    .map((c) => `${c.type.name}:${c.fullName}`)
    .sort();
}

const parser = new XMLParser({
  isArray: (name) => ['externalCredentialParameters', 'namedCredentialParameters', 'externalCredentialPrincipalAccesses'].includes(name),
  parseTagValue: false,
});
const parse = (xml: string) => parser.parse(xml) as Record<string, Record<string, unknown>>;
const fileOf = (files: Record<string, string>, folder: string) => Object.entries(files).find(([p]) => p.includes(`/${folder}/`))![1];

describe('renderNamedCredential (External Credential, OAuth 2.0 JWT bearer)', () => {
  const files = renderNamedCredential(input);

  it('renders well-formed XML that SDR reads as an ExternalCredential, a NamedCredential and a PermissionSet', async () => {
    for (const xml of Object.values(files)) expect(XMLValidator.validate(xml), xml).toBe(true);
    expect(await componentsOf(files)).toEqual([
      `ExternalCredential:${EXTERNAL_CREDENTIAL}`,
      `NamedCredential:${NAMED_CREDENTIAL}`,
      `PermissionSet:${NAMED_CREDENTIAL_PERMSET}`,
    ]);
  });

  it('puts the JWT bearer settings into the External Credential: variant, token endpoint, certificate, claims, principal', () => {
    const ec = parse(fileOf(files, 'externalCredentials')).ExternalCredential!;
    expect(ec.authenticationProtocol).toBe('Oauth');
    const params = ec.externalCredentialParameters as Record<string, string>[];
    const byType = (t: string, n?: string) => params.find((p) => p.parameterType === t && (n === undefined || p.parameterName === n));
    expect(byType('AuthProtocolVariant')?.parameterValue).toBe('JwtBearer');
    expect(byType('AuthProviderUrl')?.parameterValue).toBe('https://orgb.my.salesforce.com/services/oauth2/token');
    expect(byType('SigningCertificate')?.certificate).toBe('OrgA_JWT_Signing');
    expect(byType('JwtBodyClaim', 'iss')?.parameterValue).toBe('3MVGkey&<>');
    expect(byType('JwtBodyClaim', 'sub')?.parameterValue).toBe('integration@orgb.example');
    expect(byType('JwtBodyClaim', 'aud')?.parameterValue).toBe('https://orgb.my.salesforce.com');
    expect(byType('NamedPrincipal')).toMatchObject({ parameterName: 'Org_B_Integration', sequenceNumber: '1' });
    expect(fileOf(files, 'externalCredentials')).toContain('3MVGkey&amp;&lt;&gt;');
  });

  it('points the SecuredEndpoint Named Credential at B and at the External Credential, with the header generated', () => {
    const nc = parse(fileOf(files, 'namedCredentials')).NamedCredential!;
    expect(nc.namedCredentialType).toBe('SecuredEndpoint');
    expect(nc.generateAuthorizationHeader).toBe('true');
    expect(nc.calloutStatus).toBe('Enabled');
    expect(nc.namedCredentialParameters).toEqual([
      { parameterName: 'Url', parameterType: 'Url', parameterValue: 'https://orgb.my.salesforce.com' },
      { externalCredential: EXTERNAL_CREDENTIAL, parameterName: 'ExternalCredential', parameterType: 'Authentication' },
    ]);
  });

  it('grants the principal through the permission set', () => {
    const ps = parse(fileOf(files, 'permissionsets')).PermissionSet!;
    expect(ps.externalCredentialPrincipalAccesses).toEqual([{ enabled: 'true', externalCredentialPrincipal: principalAccessName() }]);
    expect(principalAccessName()).toBe('Org_B_JWT-Org_B_Integration');
  });

  it('refuses bad input with a one-line error naming the fix', () => {
    expect(() => renderNamedCredential({ ...input, loginUrl: 'orgb' })).toThrow("loginUrl must be an http(s) URL; got 'orgb'.");
    expect(() => renderNamedCredential({ ...input, consumerKey: ' ' })).toThrow('consumerKey is empty.');
    expect(() => renderNamedCredential({ ...input, certificateName: 'bad name' })).toThrow('not a certificate API name');
  });
});

describe('renderLegacyJwtExchange', () => {
  it('renders one legacy NamedCredential with protocol JwtExchange that SDR reads', async () => {
    const files = renderLegacyJwtExchange(input);
    expect(await componentsOf(files)).toEqual([`NamedCredential:${NAMED_CREDENTIAL}`]);
    const nc = parse(Object.values(files)[0]!).NamedCredential!;
    expect(nc).toMatchObject({
      namedCredentialType: 'Legacy',
      protocol: 'JwtExchange',
      principalType: 'NamedUser',
      endpoint: 'https://orgb.my.salesforce.com',
      authTokenEndpointUrl: 'https://orgb.my.salesforce.com/services/oauth2/token',
      jwtIssuer: '3MVGkey&<>',
      jwtTextSubject: 'integration@orgb.example',
      jwtAudience: '"https://orgb.my.salesforce.com"',
      jwtSigningCertificate: 'OrgA_JWT_Signing',
      jwtValidityPeriodSeconds: '120',
    });
  });
});
