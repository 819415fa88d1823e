/**
 * The hostile-client suites' world: one in-process platform, its Dev Hub org standing in for Org B with
 * the project's own AccountRetriever and Account_Retriever_Integration deployed by the admin over the
 * Metadata API, sample Accounts with fields the integration user must not see, and the integration
 * user (API-only profile + that permission set) with a live session.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Connection } from '@jsforce/jsforce-node';
import { startTestPlatform } from '../helpers.ts';
import type { RunningPlatform } from '../../../tools/local-platform/http/server.ts';
import { issueToken } from '../../../tools/local-platform/oauth/tokens.ts';
import { getOrg, insertRecord, tx } from '../../../tools/data/store.ts';
import { profileId } from '../../../tools/local-platform/devhub/orgs.ts';
const API_ONLY_PROFILE = 'Minimum Access - API Only Integrations';
import { zipOf, classMeta } from '../metadata/fixtures.ts';

const PROVIDER = new URL('../../../force-app/provider/main/default/', import.meta.url);
export const V = '/services/data/v66.0';

export type World = Awaited<ReturnType<typeof startWorld>>;

/** `log` receives the platform's log lines (with one line per request), as server.log would. */
export async function startWorld(opts: { log?: (line: string) => void } = {}) {
  const p = await startTestPlatform({ log: opts.log ?? (() => {}), logRequests: !!opts.log });
  const org = p.devHub.id;
  const adminId = p.records.find(org, 'User', 'Username', p.adminUsername)!['Id'] as string;
  const adminToken = issueToken(p.db, 'access', org, adminId, undefined, 3600);
  const admin = new Connection({ instanceUrl: p.url, accessToken: adminToken, version: '66.0' });
  const zip = await zipOf(
    {
      'classes/AccountRetriever.cls': readFileSync(new URL('classes/AccountRetriever.cls', PROVIDER), 'utf8'),
      'classes/AccountRetriever.cls-meta.xml': classMeta,
      'classes/OtherResource.cls':
        "@RestResource(urlMapping='/Other/*')\nglobal with sharing class OtherResource {\n  @HttpGet global static String get() { return 'other'; }\n}",
      'classes/OtherResource.cls-meta.xml': classMeta,
      // The project's set, less its grant of RecordsResource (issue 20's generic resource, which this world does not deploy).
      'permissionsets/Account_Retriever_Integration.permissionset': readFileSync(
        new URL('permissionsets/Account_Retriever_Integration.permissionset-meta.xml', PROVIDER),
        'utf8',
      ).replace(/\s*<classAccesses>\s*<apexClass>RecordsResource<\/apexClass>[\s\S]*?<\/classAccesses>/, ''),
    },
    { ApexClass: ['AccountRetriever', 'OtherResource'], PermissionSet: ['Account_Retriever_Integration'] },
  );
  const deployed = await admin.metadata.deploy(zip, { rollbackOnError: true, singlePackage: true }).complete(true);
  if (!deployed.success) throw new Error(`world deploy failed: ${JSON.stringify(deployed.details)}`);
  const integrationId = tx(p.db, () => {
    const profile =
      profileId(p.db, org, API_ONLY_PROFILE) ??
      insertRecord(p.db, org, 'Profile', { Name: API_ONLY_PROFILE, UserType: 'Standard' }, { trusted: true });
    const userId = insertRecord(
      p.db,
      org,
      'User',
      { Username: 'integration@orgb.hostile', LastName: 'Integration', Email: 'i@x.test', IsActive: true, ProfileId: profile },
      { trusted: true },
    );
    const ps = p.records.find(org, 'PermissionSet', 'Name', 'Account_Retriever_Integration')!;
    // The API-only profile takes Account read only with its permission set license (docs/salesforce-rules.md#integration-user-license), as setup assigns it.
    const psl = p.records.find(org, 'PermissionSetLicense', 'DeveloperName', 'SalesforceAPIIntegrationPsl')!;
    insertRecord(p.db, org, 'PermissionSetLicenseAssign', { AssigneeId: userId, PermissionSetLicenseId: psl['Id'] }, { trusted: true });
    insertRecord(p.db, org, 'PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: ps['Id'] }, { trusted: true });
    for (let i = 0; i < 12; i++)
      insertRecord(p.db, org, 'Account', { Name: `Hostile ${i}`, Description: `secret ${i}`, Phone: '555-0100' }, { userId: adminId });
    return userId;
  });
  const integrationToken = issueToken(p.db, 'access', org, integrationId, undefined, 3600);
  /** A user on Minimum Access - Salesforce with nothing assigned: no "API Enabled". */
  const bareId = tx(p.db, () =>
    insertRecord(
      p.db,
      org,
      'User',
      {
        Username: 'bare@orgb.hostile',
        LastName: 'Bare',
        Email: 'b@x.test',
        IsActive: true,
        ProfileId: profileId(p.db, org, 'Minimum Access - Salesforce')!,
      },
      { trusted: true },
    ),
  );
  const bareToken = issueToken(p.db, 'access', org, bareId, undefined, 3600);
  /** A user on `profile` with the named (deployed) permission sets. */
  const userWith = (username: string, profile: string, permissionSets: string[]) =>
    tx(p.db, () => {
      const userId = insertRecord(
        p.db,
        org,
        'User',
        {
          Username: username,
          LastName: username.split('@')[0],
          Email: 'u@x.test',
          IsActive: true,
          ProfileId: profileId(p.db, org, profile)!,
        },
        { trusted: true },
      );
      for (const name of permissionSets)
        insertRecord(
          p.db,
          org,
          'PermissionSetAssignment',
          { AssigneeId: userId, PermissionSetId: p.records.find(org, 'PermissionSet', 'Name', name)!['Id'] },
          { trusted: true },
        );
      return userId;
    });
  const tokenFor = (userId: string) => issueToken(p.db, 'access', org, userId, undefined, 3600);
  /** A scratch org signed up from this Dev Hub, with its admin's token: another org's session. */
  const otherOrg = () => signUpScratchOrg(p, adminToken, 'Other');
  return { p, org, adminId, adminToken, admin, integrationId, integrationToken, bareToken, userWith, tokenFor, otherOrg };
}

/** A scratch org signed up through the Dev Hub's REST API (ScratchOrgInfo), with its admin's token. */
export async function signUpScratchOrg(p: RunningPlatform, hubToken: string, orgName: string): Promise<{ url: string; token: string }> {
  const json = { 'Content-Type': 'application/json' };
  const soi = await call(p.url, hubToken, `${V}/sobjects/ScratchOrgInfo`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      Edition: 'Developer',
      OrgName: orgName,
      ConnectedAppConsumerKey: p.cliApp.clientId,
      ConnectedAppCallbackUrl: 'http://localhost:1717/OauthRedirect',
    }),
  });
  const info = (await call(p.url, hubToken, `${V}/sobjects/ScratchOrgInfo/${soi.body.id}`)).body;
  const org = getOrg(p.db, info.ScratchOrg)!;
  const admin = p.records.find(org.id, 'User', 'Username', info.SignupUsername)!['Id'] as string;
  return { url: org.instanceUrl, token: issueToken(p.db, 'access', org.id, admin, undefined, 3600) };
}

/** Polls `cond` every 25 ms; fails naming `what` after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs = 60_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A raw request; JSON bodies parsed, anything else as text. */
export async function call(
  url: string,
  token: string | undefined,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: any; text: string }> {
  const r = await fetch(`${url}${path}`, {
    ...init,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  });
  const text = await r.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: r.status, body, text };
}

export function soapEnvelope(ns: string, sessionId: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:x="${ns}"><soapenv:Header><x:SessionHeader><x:sessionId>${sessionId}</x:sessionId></x:SessionHeader></soapenv:Header><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

export const APEX_NS = 'http://soap.sforce.com/2006/08/apex';
export const MD_NS = 'http://soap.sforce.com/2006/04/metadata';

export async function anonymousApexSoap(url: string, token: string, code: string) {
  const esc = code.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return call(url, undefined, '/services/Soap/s/66.0', {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
    body: soapEnvelope(APEX_NS, token, `<x:executeAnonymous><x:apexcode>${esc}</x:apexcode></x:executeAnonymous>`),
  });
}

/** A port free right now on 127.0.0.1 (for platforms started as background processes). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
  });
}
