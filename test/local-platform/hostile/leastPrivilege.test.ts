/**
 * Least privilege as Salesforce checks it, probed with the integration user's own token (the one Org A
 * can mint at will): it reads the latest Accounts through AccountRetriever and nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '@jsforce/jsforce-node';
import { zipOf, classMeta } from '../metadata/fixtures.ts';
import { anonymousApexSoap, call, startWorld, V, type World } from './world.ts';
import { createBrowserSession, sessionCookieName } from '../../../tools/local-platform/lightning/uiSessions.ts';
import { insertRecord, tx } from '../../../tools/data/store.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 120_000);
afterAll(async () => w?.p.cleanup());

const METADATA_DENIED = 'INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions';

describe('the integration user (Minimum Access - API Only Integrations + Account_Retriever_Integration)', () => {
  it('reads the latest Accounts through AccountRetriever', async () => {
    const r = await call(w.p.url, w.integrationToken, '/services/apexrest/AccountRetriever');
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(10);
    expect(Object.keys(r.body[0]).sort()).toEqual(['CreatedDate', 'Id', 'Name']);
  });

  it('cannot call an Apex REST class its permission set does not grant', async () => {
    const r = await call(w.p.url, w.integrationToken, '/services/apexrest/Other');
    expect(r.status).toBe(403);
    expect(r.body).toEqual([{ errorCode: 'FORBIDDEN', message: 'You do not have access to the Apex class named: OtherResource' }]);
  });

  it('cannot run anonymous Apex or Apex tests, over SOAP or the Tooling API', async () => {
    const soap = await anonymousApexSoap(w.p.url, w.integrationToken, "insert new Account(Name='pwned');");
    expect(soap.status).toBe(500);
    expect(soap.text).toContain('<faultcode>sf:INSUFFICIENT_ACCESS</faultcode>');
    const tooling = await call(
      w.p.url,
      w.integrationToken,
      `${V}/tooling/executeAnonymous/?anonymousBody=${encodeURIComponent('delete [SELECT Id FROM Account];')}`,
    );
    expect(tooling.status).toBe(403);
    expect(tooling.body[0].errorCode).toBe('INSUFFICIENT_ACCESS');
    const tests = await call(w.p.url, w.integrationToken, `${V}/tooling/runTestsSynchronous`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tests: [{ className: 'AccountRetriever' }] }),
    });
    expect(tests.status).toBe(403);
    const count = await call(
      w.p.url,
      w.adminToken,
      `${V}/query?q=${encodeURIComponent("SELECT COUNT() FROM Account WHERE Name = 'pwned'")}`,
    );
    expect(count.body.totalSize).toBe(0);
  });

  it('cannot deploy or retrieve through the Metadata API (SOAP or REST)', async () => {
    const conn = new Connection({ instanceUrl: w.p.url, accessToken: w.integrationToken, version: '66.0' });
    const zip = await zipOf(
      { 'classes/Backdoor.cls': 'public class Backdoor {}', 'classes/Backdoor.cls-meta.xml': classMeta },
      { ApexClass: ['Backdoor'] },
    );
    await expect(conn.metadata.deploy(zip, {}).complete(true)).rejects.toThrow(METADATA_DENIED);
    await expect(
      conn.metadata.retrieve({ unpackaged: { types: [{ name: 'ApexClass', members: ['*'] }], version: '66.0' } } as never).complete(),
    ).rejects.toThrow(METADATA_DENIED);
    await expect(conn.metadata.list([{ type: 'ApexClass' }])).rejects.toThrow(METADATA_DENIED);
    const form = new FormData();
    form.append('json', new Blob([JSON.stringify({ deployOptions: {} })], { type: 'application/json' }));
    form.append('file', new Blob([new Uint8Array(zip)]), 'deploy.zip');
    const rest = await call(w.p.url, w.integrationToken, `${V}/metadata/deployRequest`, { method: 'POST', body: form });
    expect(rest.status).toBe(403);
    expect(w.p.records.find(w.org, 'ApexClass', 'Name', 'Backdoor')).toBeUndefined();
  });

  it('sees only the Account fields it is granted, on every read path', async () => {
    const q = (soql: string) => call(w.p.url, w.integrationToken, `${V}/query?q=${encodeURIComponent(soql)}`);
    for (const group of ['ALL', 'STANDARD']) {
      const r = await q(`SELECT FIELDS(${group}) FROM Account LIMIT 5`);
      expect(r.status).toBe(200);
      expect(r.body.records[0]).toHaveProperty('Name');
      expect(r.body.records[0]).not.toHaveProperty('Description');
      expect(r.body.records[0]).not.toHaveProperty('Phone');
    }
    expect((await q('SELECT Description FROM Account')).body[0].errorCode).toBe('INVALID_FIELD');
    expect((await q('SELECT Parent.Phone FROM Account')).body[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
    expect((await q('SELECT Id FROM Contact')).body[0].errorCode).toBe('INVALID_TYPE');
    const describe = await call(w.p.url, w.integrationToken, `${V}/sobjects/Account/describe`);
    const names = describe.body.fields.map((f: { name: string }) => f.name);
    expect(names).toContain('Name');
    expect(names).not.toContain('Description');
    const global = await call(w.p.url, w.integrationToken, `${V}/sobjects`);
    expect(global.body.sobjects.map((s: { name: string }) => s.name)).not.toContain('Contact');
    const id = (await q('SELECT Id FROM Account LIMIT 1')).body.records[0].Id;
    const rec = await call(w.p.url, w.integrationToken, `${V}/sobjects/Account/${id}`);
    expect(rec.status).toBe(200);
    expect(rec.body.Name).toMatch(/^Hostile/);
    expect(rec.body).not.toHaveProperty('Description');
    expect((await call(w.p.url, w.integrationToken, `${V}/sobjects/Account/${id}?fields=Description`)).status).toBe(400);
  });

  it('cannot create, update or delete records', async () => {
    const json = { 'Content-Type': 'application/json' };
    const id = (await call(w.p.url, w.adminToken, `${V}/query?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`)).body.records[0]
      .Id;
    const create = await call(w.p.url, w.integrationToken, `${V}/sobjects/Account`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ Name: 'x' }),
    });
    const update = await call(w.p.url, w.integrationToken, `${V}/sobjects/Account/${id}`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ Name: 'x' }),
    });
    const del = await call(w.p.url, w.integrationToken, `${V}/sobjects/Account/${id}`, { method: 'DELETE' });
    for (const r of [create, update, del]) expect(r.body[0].errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
  });
});

describe('"API Enabled"', () => {
  it('a user without it gets API_CURRENTLY_DISABLED from REST, SOAP and Apex REST', async () => {
    const rest = await call(w.p.url, w.bareToken, `${V}/query?q=${encodeURIComponent('SELECT Id FROM User')}`);
    expect(rest.status).toBe(403);
    expect(rest.body).toEqual([{ errorCode: 'API_CURRENTLY_DISABLED', message: 'API is disabled for this User' }]);
    expect((await call(w.p.url, w.bareToken, '/services/apexrest/AccountRetriever')).body[0].errorCode).toBe('API_CURRENTLY_DISABLED');
    const soap = await anonymousApexSoap(w.p.url, w.bareToken, 'System.debug(1);');
    expect(soap.text).toContain('<faultcode>sf:API_CURRENTLY_DISABLED</faultcode>');
  });
});

describe('the System Administrator', () => {
  it('keeps every permission setup:orgs uses: anonymous Apex, Metadata API, all fields', async () => {
    const soap = await anonymousApexSoap(w.p.url, w.adminToken, "System.debug('ok');");
    expect(soap.text).toContain('<success>true</success>');
    expect((await w.admin.metadata.list([{ type: 'ApexClass' }])).map((f) => f.fullName)).toContain('AccountRetriever');
    const all = await call(w.p.url, w.adminToken, `${V}/query?q=${encodeURIComponent('SELECT FIELDS(ALL) FROM Account LIMIT 1')}`);
    expect(all.body.records[0]).toHaveProperty('Description');
  });
});

describe('field-level security on writes (REST and user-mode Apex DML)', () => {
  const JSON_HEADERS = { 'Content-Type': 'application/json' };
  let editor: string;
  beforeAll(async () => {
    // Account create/edit; Phone read/write, Description read-only, every other field hidden.
    const fieldPermission = (field: string, editable: boolean) =>
      `<fieldPermissions><editable>${editable}</editable><field>Account.${field}</field><readable>true</readable></fieldPermissions>`;
    const zip = await zipOf(
      {
        'permissionsets/Field_Editor.permissionset': `<?xml version="1.0" encoding="UTF-8"?><PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">${fieldPermission('Description', false)}${fieldPermission('Phone', true)}<hasActivationRequired>false</hasActivationRequired><label>Field Editor</label><objectPermissions><allowCreate>true</allowCreate><allowDelete>false</allowDelete><allowEdit>true</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Account</object><viewAllRecords>false</viewAllRecords></objectPermissions><userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions></PermissionSet>`,
        'permissionsets/Apex_Author.permissionset': `<?xml version="1.0" encoding="UTF-8"?><PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata"><hasActivationRequired>false</hasActivationRequired><label>Apex Author</label><userPermissions><enabled>true</enabled><name>AuthorApex</name></userPermissions></PermissionSet>`,
      },
      { PermissionSet: ['Field_Editor', 'Apex_Author'] },
    );
    const r = await w.admin.metadata.deploy(zip, { rollbackOnError: true, singlePackage: true }).complete(true);
    if (!r.success) throw new Error(JSON.stringify(r.details));
    editor = w.tokenFor(w.userWith('editor@orgb.hostile', 'Minimum Access - Salesforce', ['Field_Editor']));
  });

  it('creates and updates with editable fields; a read-only field is INVALID_FIELD_FOR_INSERT_UPDATE, a hidden one does not exist', async () => {
    const post = (fields: Record<string, unknown>) =>
      call(w.p.url, editor, `${V}/sobjects/Account`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(fields) });
    const ok = await post({ Name: 'Edited', Phone: '555-0199' });
    expect(ok.status).toBe(201);
    const readOnly = await post({ Name: 'Edited', Description: 'x' });
    expect(readOnly.status).toBe(400);
    expect(readOnly.body).toEqual([
      {
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        fields: ['Description'],
        message:
          'Unable to create/update fields: Description. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
      },
    ]);
    const hidden = await call(w.p.url, editor, `${V}/sobjects/Account/${ok.body.id}`, {
      method: 'PATCH',
      headers: JSON_HEADERS,
      body: JSON.stringify({ AnnualRevenue: 1 }),
    });
    expect(hidden.body).toEqual([
      { errorCode: 'INVALID_FIELD', fields: ['AnnualRevenue'], message: "No such column 'AnnualRevenue' on sobject of type Account" },
    ]);
    const after = await call(w.p.url, w.adminToken, `${V}/sobjects/Account/${ok.body.id}`);
    expect([after.body.Phone, after.body.Description, after.body.AnnualRevenue]).toEqual(['555-0199', null, null]);
  });

  it('user-mode Apex DML refuses the read-only field; system mode writes it', async () => {
    const author = w.tokenFor(w.userWith('author@orgb.hostile', 'Minimum Access - Salesforce', ['Field_Editor', 'Apex_Author']));
    const r = await anonymousApexSoap(
      w.p.url,
      author,
      "try {\n  insert as user new Account(Name = 'Dml', Description = 'no');\n} catch (DmlException e) {\n  System.debug('refused: ' + e.getMessage());\n}\ninsert new Account(Name = 'Dml', Description = 'system');",
    );
    expect(r.text).toContain('<success>true</success>');
    expect(r.text).toContain(
      'refused: Insert failed. First exception on row 0; first error: INVALID_FIELD_FOR_INSERT_UPDATE, Unable to create/update fields: Description.',
    );
    const rows = await call(
      w.p.url,
      w.adminToken,
      `${V}/query?q=${encodeURIComponent("SELECT Description FROM Account WHERE Name = 'Dml'")}`,
    );
    expect(rows.body.records.map((x: { Description: string }) => x.Description)).toEqual(['system']);
  });
});

describe('auth boundaries that hold', () => {
  const q = `${V}/query?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`;

  it("refuses no token, a made-up token, a revoked token and another org's token with INVALID_SESSION_ID", async () => {
    const revoked = w.tokenFor(w.adminId);
    const r = await fetch(`${w.p.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: revoked }),
    });
    expect(r.status).toBe(200);
    const other = await w.otherOrg();
    for (const token of [undefined, 'not-a-token', revoked, other.token]) {
      const res = await call(w.p.url, token, q);
      expect(res.status, String(token)).toBe(401);
      expect(res.body).toEqual([{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    }
    // and the hub's token on the other org
    expect((await call(other.url, w.adminToken, q)).status).toBe(401);
    expect((await call(other.url, other.token, q)).status).toBe(200);
  });

  it('keeps SOQL injection through the REST query inside the query language', async () => {
    const soql = (s: string) => call(w.p.url, w.integrationToken, `${V}/query?q=${encodeURIComponent(s)}`);
    const injected = await soql("SELECT Id FROM Account WHERE Name = 'x' OR Name != 'x'); DROP TABLE records; --'");
    expect(injected.status).toBe(400);
    expect(injected.body[0].errorCode).toBe('MALFORMED_QUERY');
    const quoted = await soql("SELECT Id FROM Account WHERE Name = 'x\\' OR Name != \\'x'");
    expect(quoted.status).toBe(200);
    expect(quoted.body.totalSize).toBe(0); // the quote stays part of the value
    expect((await soql('SELECT Id, Description FROM Account WHERE Description != null')).body[0].errorCode).toBe('INVALID_FIELD'); // no filtering on a hidden field either
    expect((await call(w.p.url, w.adminToken, q)).status).toBe(200);
  });

  it('refuses a deploy zip whose paths leave the package', async () => {
    const JSZip = (await import('jszip')).default;
    for (const path of ['../classes/Evil.cls', 'classes/../../Evil.cls', '/etc/Evil.cls']) {
      const zip = new JSZip();
      zip.file(
        'package.xml',
        '<?xml version="1.0"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>66.0</version></Package>',
      );
      zip.file(path, 'public class Evil {}');
      const r = await w.admin.metadata.deploy(await zip.generateAsync({ type: 'nodebuffer' }), { singlePackage: true }).complete(true);
      expect(r.success, path).toBe(false);
      expect(JSON.stringify(r), path).toContain('invalid path');
    }
  });
});

describe('/aura runs only what Lightning may call', () => {
  let cookie: string;
  let csrf: string;
  beforeAll(async () => {
    const zip = await zipOf(
      {
        'classes/AuraCtl.cls':
          "public with sharing class AuraCtl {\n  @AuraEnabled public static String open() { return 'open'; }\n  @AuraEnabled private static String hidden() { return 'hidden'; }\n  @AuraEnabled static String implicit() { return 'implicit'; }\n}",
        'classes/AuraCtl.cls-meta.xml': classMeta,
        'classes/AuraCtlTest.cls':
          "@IsTest\npublic class AuraCtlTest {\n  @AuraEnabled public static String fromTest() { return 'test'; }\n  @IsTest static void runs() { System.assertEquals('open', AuraCtl.open()); }\n}",
        'classes/AuraCtlTest.cls-meta.xml': classMeta,
      },
      { ApexClass: ['AuraCtl', 'AuraCtlTest'] },
    );
    const r = await w.admin.metadata.deploy(zip, { rollbackOnError: true, singlePackage: true }).complete(true);
    if (!r.success) throw new Error(JSON.stringify(r.details));
    const s = createBrowserSession(w.p.db, w.org, w.adminId, 60);
    cookie = `${sessionCookieName(w.org)}=${encodeURIComponent(s.sid)}`;
    csrf = s.session.csrf;
  });

  const aura = async (classname: string, method: string) => {
    const message = JSON.stringify({
      actions: [{ id: '1', descriptor: 'aura://ApexActionController/ACTION$execute', params: { classname, method, params: {} } }],
    });
    const r = await fetch(`${w.p.url}/aura`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ message, 'aura.token': csrf }),
    });
    expect(r.status).toBe(200);
    return ((await r.json()) as { actions: { state: string; returnValue: { returnValue: unknown } | null }[] }).actions[0];
  };

  it('runs a public static @AuraEnabled method, and refuses a private one and a method of an @IsTest class', async () => {
    expect(await aura('AuraCtl', 'open')).toMatchObject({ state: 'SUCCESS', returnValue: { returnValue: 'open' } });
    for (const [cls, method] of [
      ['AuraCtl', 'hidden'],
      ['AuraCtl', 'implicit'],
      ['AuraCtlTest', 'fromTest'],
    ]) {
      expect(await aura(cls, method), `${cls}.${method}`).toMatchObject({ state: 'ERROR', returnValue: null });
    }
  });
});

describe('query locators (nextRecordsUrl)', () => {
  const json = { 'Sforce-Query-Options': 'batchSize=200' };
  let moreUrl: string;
  beforeAll(async () => {
    tx(w.p.db, () => {
      for (let i = 0; i < 450; i++)
        insertRecord(w.p.db, w.org, 'Account', { Name: `Many ${i}`, Description: `secret many ${i}` }, { userId: w.adminId });
    });
    const first = await call(
      w.p.url,
      w.adminToken,
      `${V}/query?q=${encodeURIComponent("SELECT Id, Description FROM Account WHERE Name LIKE 'Many%'")}`,
      { headers: json },
    );
    expect(first.body.done).toBe(false);
    moreUrl = first.body.nextRecordsUrl;
  });

  it('belong to the user who ran the query: another user of the org gets INVALID_QUERY_LOCATOR', async () => {
    const stolen = await call(w.p.url, w.integrationToken, moreUrl, { headers: json });
    expect(stolen.status).toBe(400);
    expect(stolen.body).toEqual([{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }]);
    expect(stolen.text).not.toContain('secret many');
    const own = await call(w.p.url, w.adminToken, moreUrl, { headers: json });
    expect(own.status).toBe(200);
    expect(own.body.records[0].Description).toMatch(/^secret many/);
  });

  it('are at most ten per user: the eleventh releases the oldest', async () => {
    const urls: string[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await call(w.p.url, w.adminToken, `${V}/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name LIKE 'Many%'")}`, {
        headers: json,
      });
      urls.push(r.body.nextRecordsUrl);
    }
    expect((await call(w.p.url, w.adminToken, urls[0], { headers: json })).body[0].errorCode).toBe('INVALID_QUERY_LOCATOR');
    expect((await call(w.p.url, w.adminToken, urls[10], { headers: json })).status).toBe(200);
  });
});

describe('describe answers only objects the user may read', () => {
  it('Tooling describe and query?columns=true refuse Contact to the integration user, as the REST describe does', async () => {
    const rest = await call(w.p.url, w.integrationToken, `${V}/sobjects/Contact/describe`);
    expect(rest.body[0].errorCode).toBe('INVALID_TYPE');
    const tooling = await call(w.p.url, w.integrationToken, `${V}/tooling/sobjects/Contact/describe`);
    expect(tooling.body[0]?.errorCode).toBe('INVALID_TYPE');
    const columns = await call(
      w.p.url,
      w.integrationToken,
      `${V}/query?columns=true&q=${encodeURIComponent('SELECT Id, LastName FROM Contact')}`,
    );
    expect(columns.body[0]?.errorCode).toBe('INVALID_TYPE');
    const hiddenField = await call(
      w.p.url,
      w.integrationToken,
      `${V}/query?columns=true&q=${encodeURIComponent('SELECT Description FROM Account')}`,
    );
    expect(hiddenField.body[0]?.errorCode).toBe('INVALID_FIELD');
    const account = await call(w.p.url, w.integrationToken, `${V}/tooling/sobjects/Account/describe`);
    expect(account.status).toBe(200);
    expect(account.body.fields.map((f: { name: string }) => f.name)).not.toContain('Description');
    expect((await call(w.p.url, w.adminToken, `${V}/tooling/sobjects/Contact/describe`)).status).toBe(200);
  });
});
