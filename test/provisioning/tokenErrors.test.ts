import { describe, expect, it } from 'vitest';
import { diagnoseCalloutError, diagnoseTokenError } from '../../tools/provisioning/tokenErrors.ts';
import { waitForToken } from '../../tools/provisioning/verifyCallout.ts';
import type { ApexRunResult } from '../../tools/provisioning/orgOps.ts';

// Every row of the error table in docs/salesforce-rules.md#token-errors, as Apex surfaces it.
const cases: Array<[string, string, boolean]> = [
  ['Jwt.TokenException: invalid_client_id: client identifier invalid', 'Consumer_Key__c', true],
  ["Jwt.TokenException: invalid_grant: user hasn't approved this consumer", 'Account_Retriever_Integration', true],
  ['Jwt.TokenException: invalid_grant: audience is invalid', 'Audience__c', false],
  ['Jwt.TokenException: invalid_grant: expired authorization code', 'seconds', false],
  ['Jwt.TokenException: invalid_grant: invalid assertion', 'Certificate_Name__c', false],
  ['invalid_app_access: user is not admin approved to access this app', 'Account_Retriever_Integration', false],
  ['unsupported_grant_type: grant type not supported', 'grant_type', false],
  ['OAUTH_AUTHORIZATION_BLOCKED: Cross-org OAuth flows are not supported for this external client app', 'Username__c', false],
  ['External client app is not installed in this org', 'consumer key', true],
];

describe('diagnoseTokenError', () => {
  it.each(cases)('explains %s', (text, fixMentions, transient) => {
    const d = diagnoseTokenError(text);
    expect(d, text).toBeDefined();
    expect(`${d!.cause} ${d!.fix}`).toContain(fixMentions);
    expect(d!.transient).toBe(transient);
  });

  it("retries app_not_found, then not approved, as propagation while the audience is B's My Domain, never for the login/test hosts", () => {
    const text = 'Jwt.TokenException: app_not_found: External client app is not installed in this org';
    expect(diagnoseTokenError(text, 'https://orgb-dev-ed.scratch.my.salesforce.com')?.transient).toBe(true);
    expect(diagnoseTokenError(text, 'http://127.0.0.1:6102')?.transient).toBe(true);
    for (const host of ['https://login.salesforce.com', 'https://test.salesforce.com/']) {
      const d = diagnoseTokenError(text, host)!;
      expect(d.transient).toBe(false);
      expect(d.fix).toContain("B's My Domain URL for Login_Url__c");
    }
  });

  it('says nothing about text that is not a token error', () => {
    expect(diagnoseTokenError('System.NullPointerException: Attempt to de-reference a null object')).toBeUndefined();
  });
});

describe('diagnoseCalloutError', () => {
  it('names the endpoint that lacks a remote site', () => {
    const d = diagnoseCalloutError(
      'System.CalloutException: Unauthorized endpoint, please check Setup->Security->Remote site settings. endpoint = http://127.0.0.1:6102/services/apexrest/AccountRetriever',
    );
    expect(d?.cause).toContain('http://127.0.0.1:6102/services/apexrest/AccountRetriever');
  });
});

describe('waitForToken', () => {
  const APP_NOT_FOUND = 'Jwt.TokenException: app_not_found: External client app is not installed in this org';
  const NOT_APPROVED = "Jwt.TokenException: invalid_grant: user hasn't approved this consumer";
  /** Answers as A's anonymous Apex would: the given failures in turn, then a token. */
  const answers = (...failures: string[]) => {
    let n = 0;
    return async (): Promise<ApexRunResult> => {
      const message = failures[n++];
      return message === undefined ? { success: true, compiled: true } : { success: false, compiled: true, exceptionMessage: message };
    };
  };

  it("retries app_not_found, then not approved, as propagation while the audience is B's My Domain", async () => {
    const said: string[] = [];
    const wait = await waitForToken(
      'orga',
      5_000,
      (l) => said.push(l),
      'https://orgb.my.salesforce.com',
      answers(APP_NOT_FOUND, APP_NOT_FOUND, NOT_APPROVED),
      10,
    );
    expect(wait).toEqual({
      attempts: 4,
      refusals: [
        { answer: 'External client app is not installed', count: 2 },
        { answer: "user hasn't approved this consumer", count: 1 },
      ],
    });
    expect(said).toEqual([
      expect.stringContaining('External client app is not installed'),
      expect.stringContaining('External client app is not installed'),
      expect.stringContaining("user hasn't approved this consumer"),
    ]);
  });

  it('stops at once on app_not_found when the audience is login.salesforce.com, naming the fix', async () => {
    const failure = await waitForToken('orga', 5_000, () => {}, 'https://login.salesforce.com', answers(APP_NOT_FOUND), 10).catch(
      (e: Error & { actions?: string[] }) => e,
    );
    expect(failure).toMatchObject({ name: 'TokenRequestFailed' });
    expect((failure as { actions: string[] }).actions.join('\n')).toContain("B's My Domain URL for Login_Url__c");
  });
});
