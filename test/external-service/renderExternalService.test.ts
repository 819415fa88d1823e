/** A's credential for the external service as rendered: the JWT protocol, the claims, the certificate, and bad input refused. */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  renderExternalServiceCredential,
  renderLegacyExternalServiceCredential,
  servicePrincipalAccess,
  type ExternalServiceInput,
} from '../../tools/provisioning/renderExternalService.ts';

const input: ExternalServiceInput = {
  serviceUrl: 'https://svc.example/',
  issuer: 'https://orga.my.salesforce.com',
  subject: 'admin@orga.example',
  audience: 'https://svc.example',
  certificateName: 'OrgA_JWT_Signing',
};
const xml = new XMLParser({ isArray: (name) => ['externalCredentialParameters', 'namedCredentialParameters'].includes(name) });

describe('renderExternalServiceCredential', () => {
  const files = renderExternalServiceCredential(input);
  const read = (part: string) => xml.parse(files[Object.keys(files).find((f) => f.includes(part))!]!);

  it("an External Credential with protocol Jwt, A's certificate and the iss/sub/aud claims", () => {
    const ec = read('externalCredentials/').ExternalCredential;
    expect(ec.authenticationProtocol).toBe('Jwt');
    const rows = ec.externalCredentialParameters as Array<Record<string, string | number>>;
    expect(rows.find((r) => r.parameterType === 'SigningCertificate')).toMatchObject({ certificate: 'OrgA_JWT_Signing' });
    const claims = Object.fromEntries(
      rows.filter((r) => r.parameterType === 'JwtBodyClaim').map((r) => [r.parameterName, r.parameterValue]),
    );
    expect(claims).toEqual({ iss: input.issuer, sub: input.subject, aud: input.audience });
    expect(rows.find((r) => r.parameterType === 'NamedPrincipal')).toMatchObject({
      parameterName: 'External_Service_Caller',
      sequenceNumber: 1,
    });
  });

  it('a SecuredEndpoint Named Credential on the service URL and the principal-access permission set', () => {
    const nc = read('namedCredentials/').NamedCredential;
    expect(nc.namedCredentialType).toBe('SecuredEndpoint');
    expect(nc.namedCredentialParameters).toContainEqual({
      parameterName: 'Url',
      parameterType: 'Url',
      parameterValue: 'https://svc.example',
    });
    expect(nc.namedCredentialParameters).toContainEqual({
      externalCredential: 'External_Service_JWT',
      parameterName: 'ExternalCredential',
      parameterType: 'Authentication',
    });
    expect(read('permissionsets/').PermissionSet.externalCredentialPrincipalAccesses.externalCredentialPrincipal).toBe(
      servicePrincipalAccess(),
    );
  });

  it('the legacy form: one NamedCredential with protocol Jwt and a JSON audience', () => {
    const nc = xml.parse(Object.values(renderLegacyExternalServiceCredential(input))[0]!).NamedCredential;
    expect(nc).toMatchObject({
      protocol: 'Jwt',
      jwtIssuer: input.issuer,
      jwtTextSubject: input.subject,
      jwtAudience: '"https://svc.example"',
      jwtSigningCertificate: 'OrgA_JWT_Signing',
      jwtValidityPeriodSeconds: 120,
    });
  });

  it('refuses a bad URL, an empty claim, or a certificate that is not an API name, naming the fix', () => {
    expect(() => renderExternalServiceCredential({ ...input, serviceUrl: 'svc.example' })).toThrow(/not an http\(s\) URL/);
    expect(() => renderExternalServiceCredential({ ...input, subject: ' ' })).toThrow(/The JWT subject is empty/);
    expect(() => renderExternalServiceCredential({ ...input, certificateName: 'orga jwt' })).toThrow(/not a certificate API name/);
  });
});
