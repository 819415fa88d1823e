import { describe, expect, it } from 'vitest';
import { discoverExtraAudiences } from '../../tools/provisioning/remoteRecordsFlow.ts';
import type { ApexRunResult } from '../../tools/provisioning/orgOps.ts';
import type { Ctx } from '../../tools/provisioning/setupTypes.ts';
import type { ExtraProvider } from '../../tools/provisioning/setupState.ts';

const AUDIENCE_INVALID = 'Jwt.TokenException: invalid_grant: audience is invalid';
const TEST_HOST = 'https://test.salesforce.com';

const provider = (n: number): ExtraProvider => ({
  org: {
    alias: `orgb-${n}`,
    username: `admin@orgb${n}.local`,
    orgId: `00D00000000000${n}`,
    instanceUrl: `https://orgb${n}.my.salesforce.com`,
    loginUrl: `https://orgb${n}.my.salesforce.com`,
  },
  app: { kind: 'eca', name: 'OrgA_Reader', consumerKey: `key${n}` },
  integrationUsername: `integration@orgb${n}.local`,
});

function ctxWith(extras: ExtraProvider[]): Ctx {
  return {
    options: { consumerAlias: 'orga', progress: { info: () => {} } },
    state: { version: 1, devHub: { alias: 'hub', local: true }, extraProviders: extras, done: {} },
    warnings: [],
  } as unknown as Ctx;
}

/**
 * A's anonymous Apex as each source org answers it: orgb-2 takes only test.salesforce.com (as an org under
 * LOCAL_SF_JWT_AUDIENCE=login-test does), orgb-3 its My Domain. The record asked through is in the script.
 */
function sources() {
  const asked: Array<{ record: string; audience: string }> = [];
  const ask = async (_alias: string, code: string): Promise<ApexRunResult> => {
    const record = /loadSettings\('([^']+)'\)/.exec(code)?.[1] ?? 'DEFAULT_CONNECTION';
    const audience = /withAudience\('([^']*)'\)/.exec(code)?.[1] ?? 'record';
    asked.push({ record, audience });
    const accepts = record === 'Provider_2' ? audience === TEST_HOST : audience === 'https://orgb3.my.salesforce.com';
    return accepts
      ? { success: true, compiled: true, logs: `12:00|USER_DEBUG|[6]|ERROR|VERIFY_AUDIENCE ${audience}` }
      : { success: false, compiled: true, exceptionMessage: AUDIENCE_INVALID };
  };
  return { ask, asked };
}

describe('discoverExtraAudiences', () => {
  it("finds each further source org's audience through its own connection record, not Default's login URL", async () => {
    const extras = [provider(2), provider(3)];
    const s = sources();
    const kind = async () => ({ IsSandbox: false, OrganizationType: 'Developer Edition', TrialExpirationDate: '2026-12-31' });
    const r = await discoverExtraAudiences(ctxWith(extras), 1_000, s.ask, kind);
    expect(r.changed).toBe(true);
    expect(extras[0]!.audience).toEqual({
      value: TEST_HOST,
      refused: [{ audience: 'https://orgb2.my.salesforce.com', answer: AUDIENCE_INVALID }],
    });
    expect(extras[1]!.audience).toEqual({ value: 'https://orgb3.my.salesforce.com', refused: [] });
    expect(s.asked.map((a) => a.record)).not.toContain('DEFAULT_CONNECTION');
    expect(s.asked.filter((a) => a.record === 'Provider_2').map((a) => a.audience)).toEqual(['https://orgb2.my.salesforce.com', TEST_HOST]);
    expect(r.lines[0]).toContain('orgb-2: aud https://test.salesforce.com');

    // A re-run that finds the same audiences changes nothing, so A's records are not deployed again.
    const again = await discoverExtraAudiences(ctxWith(extras), 1_000, sources().ask, kind);
    expect(again.changed).toBe(false);
  });

  it("fails with every candidate's answer when a source org takes none", async () => {
    const ask = async (): Promise<ApexRunResult> => ({ success: false, compiled: true, exceptionMessage: AUDIENCE_INVALID });
    await expect(discoverExtraAudiences(ctxWith([provider(2)]), 1_000, ask, async () => ({ IsSandbox: true }))).rejects.toThrow(
      /aud=https:\/\/orgb2\.my\.salesforce\.com: .*audience is invalid/,
    );
  });
});
