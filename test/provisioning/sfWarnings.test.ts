/**
 * Setup's output carries none of the sf libraries' notes that restate what it says itself: the plain-http
 * note for loopback URLs and the record-type capitalization notice. Real library calls emit them here.
 */
import { ConfigAggregator, ScratchOrgSettingsGenerator, SfdcUrl } from '@salesforce/core';
import { afterEach, describe, expect, it } from 'vitest';
import { checkHubKeyFile, checkSignupAppVariables, collectSfWarnings } from '../../tools/provisioning/orgOps.ts';
import { isLoopbackHttpNotice, settleRecordTypeCapitalization } from '../../tools/provisioning/sfWarnings.ts';

const saved = process.env.SF_ORG_CAPITALIZE_RECORD_TYPES;
afterEach(() => {
  if (saved === undefined) delete process.env.SF_ORG_CAPITALIZE_RECORD_TYPES;
  else process.env.SF_ORG_CAPITALIZE_RECORD_TYPES = saved;
});

describe('the sf libraries’ notes', () => {
  it("drops sfdx-core's plain-http note for a loopback URL and keeps it for any other host", async () => {
    const port = 40_000 + Math.floor(Math.random() * 9_000);
    const { warnings } = await collectSfWarnings(async () => {
      new SfdcUrl(`http://127.0.0.1:${port}`);
      new SfdcUrl(`http://intranet-${port}.example.test`);
    });
    expect(warnings).toEqual([`Using insecure protocol: http: on url: http://intranet-${port}.example.test`]);
    expect(isLoopbackHttpNotice(`Using insecure protocol: http: on url: http://localhost:${port}`)).toBe(true);
    expect(isLoopbackHttpNotice('Using insecure protocol: http: on url: http://127.0.0.1.evil.example')).toBe(false);
  });

  it('settles record-type capitalization so a sign-up does not warn, unless the user chose', async () => {
    delete process.env.SF_ORG_CAPITALIZE_RECORD_TYPES;
    // What scratchOrgCreate reads and hands to the settings generator, which warns while it is undefined.
    const configured = async () => (await ConfigAggregator.create()).getInfo('org-capitalize-record-types').value;
    expect(await configured()).toBeUndefined();
    const before = await collectSfWarnings(async () => new ScratchOrgSettingsGenerator({ capitalizeRecordTypes: undefined }));
    expect(before.warnings.join('\n')).toContain('Record types defined in the scratch org definition file will stop being capitalized');
    await settleRecordTypeCapitalization();
    expect(await configured()).toBe('true');
    process.env.SF_ORG_CAPITALIZE_RECORD_TYPES = 'false';
    await settleRecordTypeCapitalization();
    expect(process.env.SF_ORG_CAPITALIZE_RECORD_TYPES).toBe('false');
  });
});

describe('checkSignupAppVariables', () => {
  it('refuses SF_SCRATCH_SIGNUP_* set to an empty string, by name, and lets unset or set ones through', () => {
    expect(() => checkSignupAppVariables({ SF_SCRATCH_SIGNUP_CONNECTED_APP: '', SF_SCRATCH_SIGNUP_CALLBACK_URL: '' })).toThrow(
      'SF_SCRATCH_SIGNUP_CONNECTED_APP and SF_SCRATCH_SIGNUP_CALLBACK_URL are set but empty',
    );
    expect(() => checkSignupAppVariables({ SF_SCRATCH_SIGNUP_CALLBACK_URL: ' ' })).toThrow(
      /^SF_SCRATCH_SIGNUP_CALLBACK_URL is set but empty/,
    );
    expect(() => checkSignupAppVariables({})).not.toThrow();
    expect(() =>
      checkSignupAppVariables({
        SF_SCRATCH_SIGNUP_CONNECTED_APP: 'PlatformCLI',
        SF_SCRATCH_SIGNUP_CALLBACK_URL: 'http://localhost:1717/OauthRedirect',
      }),
    ).not.toThrow();
  });
});

describe('checkHubKeyFile', () => {
  it('refuses a hub whose JWT key file is gone, naming it, before any sign-up', () => {
    expect(() => checkHubKeyFile('ci-devhub', '/tmp/runner/devhub.key-that-is-gone')).toThrow(
      'The Dev Hub ci-devhub was logged in with the JWT key /tmp/runner/devhub.key-that-is-gone, which no longer exists',
    );
    expect(() => checkHubKeyFile('ci-devhub', undefined)).not.toThrow();
    expect(() => checkHubKeyFile('ci-devhub', import.meta.filename)).not.toThrow();
  });
});
