/**
 * Permission set licenses (docs/salesforce-rules.md#integration-user-license): PermissionSetLicense and PermissionSetLicenseAssign through REST
 * and the real `sf data` commands, and the rule that a user on Minimum Access - API Only Integrations gets
 * a permission set with object permissions only after SalesforceAPIIntegrationPsl is assigned.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../tools/local-platform/http/server.ts';
import { deployZip } from '../../tools/local-platform/metadata/index.ts';
import { adminToken, api, cliKey, isolatedSfEnv, jwtLoginArgs, runSfJson } from './helpers.ts';
import { MD, zipOf } from './metadata/fixtures.ts';
import { writeFileSync } from 'node:fs';

const V = '/services/data/v66.0';
let home: string;
let p: RunningPlatform;
let token: string;
let sfEnv: NodeJS.ProcessEnv;
const q = async (soql: string) =>
  (await api(p.url, token, `${V}/query?q=${encodeURIComponent(soql)}`)).body.records as Record<string, any>[];
const insert = (sobject: string, values: Record<string, unknown>) =>
  api(p.url, token, `${V}/sobjects/${sobject}`, { method: 'POST', body: JSON.stringify(values) });

async function newUser(profile: string, alias: string): Promise<string> {
  const [prof] = await q(`SELECT Id FROM Profile WHERE Name = '${profile}'`);
  const r = await insert('User', {
    Username: `${alias}.${Date.now()}@licenses.example`,
    LastName: alias,
    Email: 'x@licenses.example',
    Alias: alias,
    ProfileId: prof!.Id,
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

const permissionSet = (name: string, objectRead: boolean) =>
  `<PermissionSet ${MD}><label>${name.replace(/_/g, ' ')}</label>${objectRead ? '<objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Account</object><viewAllRecords>false</viewAllRecords></objectPermissions>' : ''}<userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions></PermissionSet>`;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lp-licenses-'));
  p = await startPlatform({ home, port: 0, log: () => {} });
  token = await adminToken(p);
  const [admin] = await q(`SELECT Id FROM User WHERE Username = '${p.adminUsername}'`);
  const zip = await zipOf(
    {
      'permissionsets/Account_Reader.permissionset': permissionSet('Account_Reader', true),
      'permissionsets/Api_Only.permissionset': permissionSet('Api_Only', false),
    },
    { PermissionSet: ['Account_Reader', 'Api_Only'] },
  );
  const deployed = await deployZip({ db: p.db, org: p.devHub, records: p.records, userId: admin!.Id }, zip, {});
  expect(deployed.status).toBe('Succeeded');
  sfEnv = isolatedSfEnv(join(home, 'sf-home'));
  const keyFile = join(home, 'cli.key');
  writeFileSync(keyFile, cliKey(p), { mode: 0o600 });
  const login = await runSfJson(jwtLoginArgs(p, 'hub', { keyFile }), sfEnv, home);
  expect(login.status, login.raw).toBe(0);
}, 120_000);

afterAll(async () => {
  await p?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('permission set licenses', () => {
  it('every org has SalesforceAPIIntegrationPsl and the API-only integration profile', async () => {
    expect(
      await q(
        "SELECT DeveloperName, MasterLabel, TotalLicenses FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'",
      ),
    ).toEqual([
      expect.objectContaining({
        DeveloperName: 'SalesforceAPIIntegrationPsl',
        MasterLabel: 'Salesforce API Integration',
        TotalLicenses: 5,
      }),
    ]);
    expect(await q("SELECT Name FROM Profile WHERE Name = 'Minimum Access - API Only Integrations'")).toHaveLength(1);
  });

  it('refuses Account read to an API-only integration user without the license, with the field-reported message; `sf data` assigns the license, then it works', async () => {
    const userId = await newUser('Minimum Access - API Only Integrations', 'apionly');
    const [reader] = await q("SELECT Id FROM PermissionSet WHERE Name = 'Account_Reader'");
    const refused = await insert('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: reader!.Id });
    expect(refused.status).toBe(400);
    expect(refused.body[0].message).toMatch(
      /^Can't assign permission set Account Reader to user apionly\. The user license doesn't allow the permission: Read Accounts$/,
    );
    expect(await q(`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${userId}'`)).toEqual([]);

    // A permission set without object permissions needs no license.
    const [apiOnly] = await q("SELECT Id FROM PermissionSet WHERE Name = 'Api_Only'");
    expect((await insert('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: apiOnly!.Id })).status).toBe(201);

    const [psl] = await q("SELECT Id FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'");
    const created = await runSfJson(
      [
        'data',
        'create',
        'record',
        '--sobject',
        'PermissionSetLicenseAssign',
        '--values',
        `AssigneeId=${userId} PermissionSetLicenseId=${psl!.Id}`,
        '--target-org',
        'hub',
      ],
      sfEnv,
      home,
    );
    expect(created.status, created.raw).toBe(0);
    const listed = await runSfJson(
      [
        'data',
        'query',
        '--query',
        `SELECT AssigneeId, PermissionSetLicenseId FROM PermissionSetLicenseAssign WHERE AssigneeId = '${userId}'`,
        '--target-org',
        'hub',
      ],
      sfEnv,
      home,
    );
    expect(listed.status, listed.raw).toBe(0);
    expect(listed.result.records).toEqual([expect.objectContaining({ AssigneeId: userId, PermissionSetLicenseId: psl!.Id })]);
    const twice = await insert('PermissionSetLicenseAssign', { AssigneeId: userId, PermissionSetLicenseId: psl!.Id });
    expect(twice.status).toBe(400);
    expect(twice.body[0].errorCode).toBe('DUPLICATE_VALUE');

    expect((await insert('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: reader!.Id })).status).toBe(201);
    // Parent relationships, as a user's tooling would ask.
    expect(
      await q(
        `SELECT Assignee.Profile.Name, PermissionSetLicense.DeveloperName FROM PermissionSetLicenseAssign WHERE AssigneeId = '${userId}'`,
      ),
    ).toEqual([
      expect.objectContaining({
        Assignee: expect.objectContaining({ Profile: expect.objectContaining({ Name: 'Minimum Access - API Only Integrations' }) }),
        PermissionSetLicense: expect.objectContaining({ DeveloperName: 'SalesforceAPIIntegrationPsl' }),
      }),
    ]);
  }, 120_000);

  it('needs no license for a Standard User', async () => {
    const userId = await newUser('Standard User', 'standard');
    const [reader] = await q("SELECT Id FROM PermissionSet WHERE Name = 'Account_Reader'");
    expect((await insert('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: reader!.Id })).status).toBe(201);
  });
});
