import { describe, expect, it } from 'vitest';
import {
  consumerPermissionSets,
  renderConsumerFor,
  VERIFY_TOKEN_SCRIPT,
  verifyTokenScript,
} from '../../tools/provisioning/consumerAuthPath.ts';
import { diagnoseCalloutError, diagnoseNamedCredentialError, diagnoseTokenError } from '../../tools/provisioning/tokenErrors.ts';
import { namedCredentialErrors } from '../../tools/local-platform/apex/namedCredentials.ts';

/** What --auth changes in A's rendered folder, and how verify explains the Named Credential's failures. */
const input = {
  loginUrl: 'https://orgb.my.salesforce.com',
  instanceUrl: 'https://orgb.my.salesforce.com',
  consumerKey: '3MVGk',
  username: 'int@orgb.example',
  certificateName: 'OrgA_JWT_Signing',
};

describe('renderConsumerFor', () => {
  it('apex-jwt: remote sites and a record without Named_Credential__c', () => {
    const files = renderConsumerFor('apex-jwt', input);
    expect(Object.keys(files).some((p) => p.includes('/remoteSiteSettings/'))).toBe(true);
    expect(Object.keys(files).some((p) => p.includes('Credential'))).toBe(false);
    const record = Object.entries(files).find(([p]) => p.includes('customMetadata'))![1];
    expect(record).toMatch(/<field>Named_Credential__c<\/field>\s*<value xsi:nil="true"\/>/);
    expect(consumerPermissionSets('apex-jwt')).toEqual(['Org_B_Accounts_Viewer']);
  });

  it('named-credential: the credential, its permission set and Named_Credential__c = Org_B, and no remote site', () => {
    const files = renderConsumerFor('named-credential', input);
    expect(Object.keys(files).filter((p) => p.includes('/remoteSiteSettings/'))).toEqual([]);
    expect(Object.keys(files).sort()).toEqual([
      'main/default/customMetadata/Org_B_Connection.Default.md-meta.xml',
      'main/default/externalCredentials/Org_B_JWT.externalCredential-meta.xml',
      'main/default/namedCredentials/Org_B.namedCredential-meta.xml',
      'main/default/permissionsets/Org_B_Named_Credential_Access.permissionset-meta.xml',
    ]);
    const record = files['main/default/customMetadata/Org_B_Connection.Default.md-meta.xml']!;
    expect(record).toMatch(/<field>Named_Credential__c<\/field>\s*<value xsi:type="xsd:string">Org_B<\/value>/);
    expect(consumerPermissionSets('named-credential')).toEqual(['Org_B_Accounts_Viewer', 'Org_B_Named_Credential_Access']);
    // legacy option: one JwtExchange credential, no principal access
    const legacy = renderConsumerFor('named-credential', input, true);
    expect(legacy['main/default/namedCredentials/Org_B.namedCredential-meta.xml']).toContain('<protocol>JwtExchange</protocol>');
    expect(Object.keys(legacy).some((p) => p.includes('externalCredentials'))).toBe(false);
    expect(consumerPermissionSets('named-credential', true)).toEqual(['Org_B_Accounts_Viewer']);
  });

  it('verify script checks either path from the record', () => {
    // The REST API root of a version needs a session the `api` scope allows; userinfo's scope is unsettled.
    expect(VERIFY_TOKEN_SCRIPT).toContain("'callout:' + s.namedCredential + '/services/data/v66.0/'");
    expect(VERIFY_TOKEN_SCRIPT).not.toContain('userinfo');
    expect(VERIFY_TOKEN_SCRIPT).toContain('new Jwt(s.loginUrl, s.consumerKey, s.username, s.certificateName).withAudience(s.audience)');
  });

  it('setup tries a candidate audience as an Apex literal, quotes escaped', () => {
    expect(verifyTokenScript('https://test.salesforce.com')).toContain(".withAudience('https://test.salesforce.com')");
    expect(verifyTokenScript("https://x'y\\z")).toContain(".withAudience('https://x\\'y\\\\z')");
  });
});

describe('diagnosing the Named Credential path', () => {
  it('names the missing credential or missing principal access', () => {
    const d = diagnoseCalloutError(`System.CalloutException: ${namedCredentialErrors.notAccessible('Org_B')}`);
    expect(d?.cause).toContain('Named Credential Org_B');
    expect(d?.fix).toContain('Org_B_Named_Credential_Access');
    expect(diagnoseNamedCredentialError(namedCredentialErrors.disabled('Org_B'))?.fix).toContain('Enabled');
  });

  it("uses B's own error when the exchange detail carries it, and calls a bare exchange failure transient", () => {
    expect(
      diagnoseTokenError(
        `${namedCredentialErrors.exchangeFailed} [local platform: token endpoint answered 400 invalid_grant: invalid assertion]`,
      )?.description,
    ).toBe('invalid assertion');
    const bare = diagnoseTokenError(`System.CalloutException: ${namedCredentialErrors.exchangeFailed}`);
    expect(bare?.transient).toBe(true);
    expect(bare?.fix).toContain('Org_B_JWT');
    expect(diagnoseTokenError('nothing known')).toBeUndefined();
  });
});
