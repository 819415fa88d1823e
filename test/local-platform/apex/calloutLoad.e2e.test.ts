/**
 * Org A's tab view under load (issue 21): each `/aura` action runs A's Apex, which calls Org B's Apex
 * REST on the same platform. With one worker per open transaction, eight of A's transactions waiting
 * for B held every worker and B's transactions queued behind them until the callouts timed out. A
 * transaction waiting on a callout now gives its worker up (apexTurns.ts), so 50 views at once all
 * succeed. Heavy (a platform, its Apex workers, 100 transactions): run under the lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '@jsforce/jsforce-node';
import { startWorld, signUpScratchOrg, type World } from '../hostile/world.ts';
import { classMeta, MD, zipOf } from '../metadata/fixtures.ts';
import { createBrowserSession, sessionCookieName } from '../../../tools/local-platform/lightning/uiSessions.ts';

let w: World;
let a: { url: string; orgId: string; sid: string; csrf: string };

/** A's Apex: the latest Accounts of B through B's Apex REST, with the caller's token for B. */
const tabView = (bUrl: string) => `public with sharing class TabView {
  @AuraEnabled
  public static Integer latest(String token) {
    HttpRequest req = new HttpRequest();
    req.setEndpoint('${bUrl}/services/apexrest/AccountRetriever');
    req.setMethod('GET');
    req.setHeader('Authorization', 'Bearer ' + token);
    req.setTimeout(10000);
    HttpResponse res = new Http().send(req);
    if (res.getStatusCode() != 200) throw new AuraHandledException('B answered ' + res.getStatusCode() + ' ' + res.getBody());
    return ((List<Object>) JSON.deserializeUntyped(res.getBody())).size();
  }
}`;

beforeAll(async () => {
  w = await startWorld();
  const made = await signUpScratchOrg(w.p, w.adminToken, 'A');
  const org = w.p.orgs().find((o) => o.instanceUrl === made.url)!;
  const conn = new Connection({ instanceUrl: made.url, accessToken: made.token, version: '66.0' });
  const zip = await zipOf(
    {
      'classes/TabView.cls': tabView(w.p.url),
      'classes/TabView.cls-meta.xml': classMeta,
      'remoteSiteSettings/OrgB.remoteSite': `<RemoteSiteSetting ${MD}><disableProtocolSecurity>false</disableProtocolSecurity><isActive>true</isActive><url>${w.p.url}</url></RemoteSiteSetting>`,
    },
    { ApexClass: ['TabView'], RemoteSiteSetting: ['OrgB'] },
  );
  const deployed = await conn.metadata.deploy(zip, { rollbackOnError: true, singlePackage: true }).complete(true);
  if (!deployed.success) throw new Error(`A's deploy failed: ${JSON.stringify(deployed.details)}`);
  const adminA = (await conn.query<{ Id: string }>("SELECT Id FROM User WHERE Profile.Name = 'System Administrator' LIMIT 1")).records[0]!
    .Id;
  const ui = createBrowserSession(w.p.db, org.id, adminA, 60);
  a = { url: made.url, orgId: org.id, sid: ui.sid, csrf: ui.session.csrf };
}, 120_000);

afterAll(async () => {
  await w?.p.cleanup();
});

async function view(): Promise<{ state: string; value?: unknown; error?: string }> {
  const message = JSON.stringify({
    actions: [
      {
        id: '1;a',
        descriptor: 'aura://ApexActionController/ACTION$execute',
        params: { classname: 'TabView', method: 'latest', params: { token: w.integrationToken } },
      },
    ],
  });
  const r = await fetch(`${a.url}/aura`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `${sessionCookieName(a.orgId)}=${encodeURIComponent(a.sid)}` },
    body: new URLSearchParams({ message, 'aura.context': '{}', 'aura.token': a.csrf }).toString(),
    signal: AbortSignal.timeout(90_000),
  });
  const action = (
    (await r.json()) as { actions: { state: string; returnValue: { returnValue: unknown } | null; error: { message: string }[] }[] }
  ).actions[0]!;
  return { state: action.state, value: action.returnValue?.returnValue, error: action.error[0]?.message };
}

describe("A's tab view while B's Apex answers on the same platform", () => {
  it('one view: A calls B and shows its Accounts', async () => {
    expect(await view()).toEqual({ state: 'SUCCESS', value: 10, error: undefined });
  }, 60_000);

  it('50 views at once all succeed (A waiting on its callouts holds no worker B needs)', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, view));
    const failed = results.filter((r) => r.state !== 'SUCCESS');
    expect(failed.slice(0, 3), `${failed.length} of 50 failed`).toEqual([]);
    expect(results.every((r) => r.value === 10)).toBe(true);
  }, 150_000);
});
