import { describe, expect, it } from 'vitest';
import { audienceCandidates, answersFor, discoverAudience } from '../../tools/provisioning/audience.ts';
import type { ApexRunResult } from '../../tools/provisioning/orgOps.ts';

const MY_DOMAIN = 'https://orgb.scratch.my.salesforce.com';
const APP_NOT_FOUND = 'Jwt.TokenException: app_not_found: External client app is not installed in this org';
const AUDIENCE_INVALID = 'Jwt.TokenException: invalid_grant: audience is invalid';
const BAD_SIGNATURE = 'Jwt.TokenException: invalid_grant: invalid assertion';

/** B as A's anonymous Apex meets it: `accepts(audience, attempt)` says yes or gives the refusal. */
function orgB(accepts: (audience: string, attempt: number) => string | true) {
  const asked: string[] = [];
  const ask = async (_alias: string, code: string): Promise<ApexRunResult> => {
    const audience = /withAudience\('([^']*)'\)/.exec(code)?.[1] ?? 'record';
    asked.push(audience);
    const answer = accepts(audience, asked.length);
    return answer === true
      ? { success: true, compiled: true, logs: `12:00|USER_DEBUG|[6]|ERROR|VERIFY_AUDIENCE ${audience}` }
      : { success: false, compiled: true, exceptionMessage: answer };
  };
  return { ask, asked };
}

describe('audienceCandidates', () => {
  it("tries B's My Domain first, then test.salesforce.com for sandboxes and scratch orgs, login.salesforce.com for production", () => {
    expect(audienceCandidates(`${MY_DOMAIN}/`, { IsSandbox: true })).toEqual([MY_DOMAIN, 'https://test.salesforce.com']);
    expect(
      audienceCandidates(MY_DOMAIN, {
        IsSandbox: false,
        OrganizationType: 'Developer Edition',
        TrialExpirationDate: '2026-12-31T00:00:00.000+0000',
      }),
    ).toEqual([MY_DOMAIN, 'https://test.salesforce.com']);
    expect(audienceCandidates(MY_DOMAIN, { IsSandbox: false }, true)).toEqual([MY_DOMAIN, 'https://test.salesforce.com']);
    expect(audienceCandidates(MY_DOMAIN, { IsSandbox: false, OrganizationType: 'Developer Edition', TrialExpirationDate: null })).toEqual([
      MY_DOMAIN,
      'https://login.salesforce.com',
    ]);
    expect(audienceCandidates(MY_DOMAIN, { IsSandbox: false, OrganizationType: 'Enterprise Edition' })).toEqual([
      MY_DOMAIN,
      'https://login.salesforce.com',
    ]);
  });
});

describe('discoverAudience', () => {
  it('records My Domain when B takes it, without trying the generic host', async () => {
    const b = orgB((aud) => (aud === MY_DOMAIN ? true : AUDIENCE_INVALID));
    const found = await discoverAudience('orga', [MY_DOMAIN, 'https://test.salesforce.com'], 1_000, () => {}, b.ask, 1);
    expect(found).toMatchObject({ audience: MY_DOMAIN, attempts: 1, answers: [] });
    expect(b.asked).toEqual([MY_DOMAIN]);
  });

  it("moves on from 'audience is invalid' to the next candidate and records it (it was final before)", async () => {
    const b = orgB((aud) => (aud === 'https://test.salesforce.com' ? true : AUDIENCE_INVALID));
    const found = await discoverAudience('orga', [MY_DOMAIN, 'https://test.salesforce.com'], 1_000, () => {}, b.ask, 1);
    expect(found).toMatchObject({
      audience: 'https://test.salesforce.com',
      attempts: 2,
      answers: [{ audience: MY_DOMAIN, answer: AUDIENCE_INVALID }],
    });
  });

  it('waits through propagation, trying every candidate each round, and drops the one B calls invalid', async () => {
    // A new app answers app_not_found to everything for two requests, then B shows it wants test.salesforce.com.
    const b = orgB((aud, n) => (n <= 2 ? APP_NOT_FOUND : aud === 'https://test.salesforce.com' ? true : AUDIENCE_INVALID));
    const said: string[] = [];
    const found = await discoverAudience('orga', [MY_DOMAIN, 'https://test.salesforce.com'], 5_000, (l) => said.push(l), b.ask, 1);
    expect(found.audience).toBe('https://test.salesforce.com');
    expect(b.asked).toEqual([MY_DOMAIN, 'https://test.salesforce.com', MY_DOMAIN, 'https://test.salesforce.com']);
    expect(found.refusals).toEqual([
      { answer: 'External client app is not installed', count: 2 },
      { answer: 'audience is invalid', count: 1 },
    ]);
    expect(said[0]).toContain('retry in');
  });

  it("fails at once with each candidate's answer when every refusal is final", async () => {
    const b = orgB((aud) => (aud === MY_DOMAIN ? AUDIENCE_INVALID : BAD_SIGNATURE));
    const failure = await discoverAudience('orga', [MY_DOMAIN, 'https://login.salesforce.com'], 60_000, () => {}, b.ask, 1).catch(
      (e: Error) => e,
    );
    expect(failure).toMatchObject({ name: 'TokenRequestFailed' });
    expect((failure as Error).message).toContain(`aud=${MY_DOMAIN}: ${AUDIENCE_INVALID}`);
    expect((failure as Error).message).toContain(`aud=https://login.salesforce.com: ${BAD_SIGNATURE}`);
    expect(b.asked).toHaveLength(2);
  });

  it('gives up when the wait is over, naming the last answer of each', async () => {
    const b = orgB(() => APP_NOT_FOUND);
    const failure = await discoverAudience('orga', [MY_DOMAIN, 'https://test.salesforce.com'], 30, () => {}, b.ask, 20).catch(
      (e: Error) => e,
    );
    expect((failure as Error).message).toMatch(/aud=https:\/\/test\.salesforce\.com: .*not installed/);
  });
});

describe('answersFor', () => {
  it("gives verify each candidate's answer", async () => {
    const b = orgB((aud) => (aud === 'https://test.salesforce.com' ? true : AUDIENCE_INVALID));
    expect(await answersFor('orga', [MY_DOMAIN, 'https://test.salesforce.com'], b.ask)).toEqual([
      { audience: MY_DOMAIN, answer: AUDIENCE_INVALID },
      { audience: 'https://test.salesforce.com', answer: 'accepted' },
    ]);
  });
});
