import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminToken, api } from './helpers.ts';
import { startPlatform, type RunningPlatform } from '../../tools/local-platform/http/server.ts';
import { runSoql } from '../../tools/data/soql.ts';
import { insertRecord, tx } from '../../tools/data/store.ts';
import { profileId } from '../../tools/local-platform/devhub/orgs.ts';
import { isValidId, idSuffix, to15 } from '../../tools/data/ids.ts';
import { setMetadataModule } from '../../tools/data/access.ts';
import { loadNeighbours } from '../../tools/local-platform/http/neighbours.ts';
import { setCustomObjectSource } from '../../tools/data/schema.ts';

/** REST data API and SOQL: shapes, errors, paging, transactions, user mode, bad input, restarts. */
let home: string;
let p: RunningPlatform;
let token: string;
const V = '/services/data/v66.0';
const q = (soql: string) => api(p.url, token, `${V}/query?q=${encodeURIComponent(soql)}`);

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lp-rest-'));
  p = await startPlatform({ home, port: 0 });
  token = await adminToken(p);
});
afterAll(async () => {
  await p?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('ids', () => {
  it('uses the real 18-character checksum', () => {
    // Chunks 001A0 / 00000 / 6Vm9r: uppercase bits 01000, 00000, 00010 -> I, A, C.
    expect(idSuffix('001A0000006Vm9r')).toBe('IAC');
    expect(idSuffix('a0Bxxxxxxxxxxxx')).toBe('EAA');
    expect(isValidId(p.devHub.id)).toBe(true);
    expect(p.devHub.id.startsWith('00D')).toBe(true);
    expect(isValidId(to15(p.devHub.id) + 'AAA')).toBe(idSuffix(to15(p.devHub.id)) === 'AAA');
  });
});

describe('REST resources', () => {
  it('lists versions without a session and resources with one', async () => {
    const v = await api(p.url, undefined, '/services/data');
    expect(v.status).toBe(200);
    expect(v.body.at(-1)).toEqual({ label: 'v66.0', url: '/services/data/v66.0', version: '66.0' });
    const r = await api(p.url, token, `${V}/`);
    expect(r.body.sobjects).toBe(`${V}/sobjects`);
  });
  it('reports scratch org allocations in the hub limits', async () => {
    const l = await api(p.url, token, `${V}/limits`);
    expect(l.body.ActiveScratchOrgs).toEqual({ Max: 20, Remaining: 20 });
    expect(l.body.DailyScratchOrgs.Max).toBe(40);
  });
  it('describes objects', async () => {
    const d = await api(p.url, token, `${V}/sobjects/PermissionSetAssignment/describe`);
    expect(d.status).toBe(200);
    const f = d.body.fields.find((x: { name: string }) => x.name === 'PermissionSetId');
    expect(f).toMatchObject({ type: 'reference', referenceTo: ['PermissionSet'], relationshipName: 'PermissionSet' });
    const g = await api(p.url, token, `${V}/sobjects`);
    expect(g.body.sobjects.map((s: { name: string }) => s.name)).toContain('ScratchOrgInfo');
  });
  it('creates, reads, updates and deletes records', async () => {
    const c = await api(p.url, token, `${V}/sobjects/Account`, {
      method: 'POST',
      body: JSON.stringify({ Name: 'Crud Co', NumberOfEmployees: '12' }),
    });
    expect(c.status).toBe(201);
    expect(c.body).toEqual({ id: expect.stringMatching(/^001\w{15}$/), success: true, errors: [] });
    const id = c.body.id;
    const g = await api(p.url, token, `${V}/sobjects/Account/${id}?fields=Name,NumberOfEmployees`);
    expect(g.body).toMatchObject({ Name: 'Crud Co', NumberOfEmployees: 12, attributes: { type: 'Account' } });
    expect(
      (await api(p.url, token, `${V}/sobjects/Account/${id}`, { method: 'PATCH', body: JSON.stringify({ Name: 'Renamed' }) })).status,
    ).toBe(204);
    expect((await q(`SELECT Name FROM Account WHERE Id = '${to15(id)}'`)).body.records[0].Name).toBe('Renamed');
    expect((await api(p.url, token, `${V}/sobjects/Account/${id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await api(p.url, token, `${V}/sobjects/Account/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body[0].errorCode).toBe('NOT_FOUND');
  });
});

describe('SOQL', () => {
  beforeAll(() => {
    tx(p.db, () => {
      for (let i = 0; i < 450; i++)
        insertRecord(
          p.db,
          p.devHub.id,
          'Account',
          { Name: `Bulk ${String(i).padStart(3, '0')}`, NumberOfEmployees: i, Industry: i % 2 ? 'Tech' : null },
          {},
        );
    });
  });
  it('filters with AND/OR/IN/LIKE/NOT, case-insensitive equality, nulls, ORDER BY, LIMIT/OFFSET', async () => {
    const r = runSoql(
      p.db,
      p.devHub.id,
      "SELECT Name FROM Account WHERE (NumberOfEmployees < 3 OR Name IN ('Bulk 100','bulk 101')) AND Name LIKE 'bulk%' ORDER BY NumberOfEmployees DESC LIMIT 3 OFFSET 1",
    );
    expect(r.records.map((x) => x.Name)).toEqual(['Bulk 100', 'Bulk 002', 'Bulk 001']);
    expect(runSoql(p.db, p.devHub.id, "SELECT Id FROM Account WHERE Industry = null AND Name LIKE 'Bulk%'").totalSize).toBe(225);
    expect(runSoql(p.db, p.devHub.id, "SELECT Id FROM Account WHERE Industry != 'Tech' AND Name LIKE 'Bulk%'").totalSize).toBe(225);
    expect(runSoql(p.db, p.devHub.id, "SELECT Id FROM Account WHERE NOT Name LIKE 'Bulk%'").totalSize).toBe(0);
    expect(runSoql(p.db, p.devHub.id, 'SELECT Id FROM Account WHERE NumberOfEmployees IN :n', { binds: { n: [1, 2, 3] } }).totalSize).toBe(
      3,
    );
  });
  it('understands date literals (TODAY, LAST_N_DAYS:n, THIS_YEAR, …)', async () => {
    const n = runSoql(p.db, p.devHub.id, "SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk%' AND CreatedDate = TODAY").totalSize;
    expect(n).toBe(450);
    expect(
      runSoql(p.db, p.devHub.id, "SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk%' AND CreatedDate = LAST_N_DAYS:3").totalSize,
    ).toBe(450);
    expect(runSoql(p.db, p.devHub.id, "SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk%' AND CreatedDate < YESTERDAY").totalSize).toBe(0);
    expect(runSoql(p.db, p.devHub.id, "SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk%' AND CreatedDate > THIS_YEAR").totalSize).toBe(0);
    // The default fiscal year is the calendar year, so LAST_FISCAL_QUARTER is the last calendar quarter.
    expect(
      runSoql(p.db, p.devHub.id, "SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk%' AND CreatedDate = LAST_FISCAL_QUARTER").totalSize,
    ).toBe(0);
    expect(
      runSoql(p.db, p.devHub.id, "SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk%' AND CreatedDate = THIS_FISCAL_QUARTER").totalSize,
    ).toBe(450);
  });
  it('counts, and follows parent relationships', async () => {
    expect((await q("SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk%'")).body).toMatchObject({ totalSize: 450, records: [] });
    expect((await q("SELECT COUNT(Id) n FROM Account WHERE Name LIKE 'Bulk%'")).body.records[0].n).toBe(450);
    const u = await q(`SELECT Username, Profile.Name FROM User WHERE Profile.Name = 'System Administrator'`);
    expect(u.body.records[0].Profile).toMatchObject({ attributes: { type: 'Profile' }, Name: 'System Administrator' });
  });
  it('runs parent-to-child subqueries (null when a parent has none)', async () => {
    tx(p.db, () => {
      const a = insertRecord(p.db, p.devHub.id, 'Account', { Name: 'Parent With Kids' }, {});
      insertRecord(p.db, p.devHub.id, 'Contact', { LastName: 'Zed', AccountId: a }, {});
      insertRecord(p.db, p.devHub.id, 'Contact', { LastName: 'Abe', AccountId: a }, {});
      insertRecord(p.db, p.devHub.id, 'Account', { Name: 'Parent Alone' }, {});
    });
    const r = await q(
      "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name LIKE 'Parent%' ORDER BY Name DESC",
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.records[0].Contacts).toMatchObject({ totalSize: 2, done: true });
    expect(r.body.records[0].Contacts.records.map((c: { LastName: string }) => c.LastName)).toEqual(['Abe', 'Zed']);
    expect(r.body.records[1].Contacts).toBeNull();
    const cols = await api(
      p.url,
      token,
      `${V}/query?columns=true&q=${encodeURIComponent('SELECT Name, (SELECT LastName FROM Contacts) FROM Account')}`,
    );
    expect(cols.body.columnMetadata[1]).toMatchObject({
      columnName: 'Contacts',
      aggregate: true,
      joinColumns: [{ columnName: 'LastName' }],
    });
    const semi = await q(
      "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'Abe') AND Name LIKE 'Parent%'",
    );
    expect(semi.body.records.map((a: { Name: string }) => a.Name)).toEqual(['Parent With Kids']);
    const anti = await q("SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact) AND Name LIKE 'Parent%'");
    expect(anti.body.records.map((a: { Name: string }) => a.Name)).toEqual(['Parent Alone']);
    const bad = await q('SELECT Name, (SELECT Id FROM Kids) FROM Account');
    expect(bad.body[0]).toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("Didn't understand relationship 'Kids'"),
    });
  });
  it('groups with aggregates, aliases, exprN, HAVING and ORDER BY, in AggregateResult records', async () => {
    const r = await q(
      "SELECT Industry, COUNT(Id) n, SUM(NumberOfEmployees), MAX(Name) FROM Account WHERE Name LIKE 'Bulk%' GROUP BY Industry HAVING COUNT(Id) > 1 ORDER BY Industry NULLS LAST",
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ totalSize: 2, done: true });
    expect(r.body.records[0]).toEqual({
      attributes: { type: 'AggregateResult' },
      Industry: 'Tech',
      n: 225,
      expr0: 225 * 225,
      expr1: 'Bulk 449',
    });
    expect(r.body.records[1]).toMatchObject({ Industry: null, n: 225 });
    const bad = await q('SELECT Name, COUNT(Id) FROM Account GROUP BY Industry');
    expect(bad.body[0]).toMatchObject({ errorCode: 'MALFORMED_QUERY', message: 'Field must be grouped or aggregated: Name' });
    const sumText = await q('SELECT SUM(Name) FROM Account');
    expect(sumText.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD', message: 'field Name does not support aggregate operator SUM' });
  });
  it('keeps deleted records in the recycle bin: queryAll sees them with IsDeleted, query does not', async () => {
    const id = tx(p.db, () => insertRecord(p.db, p.devHub.id, 'Account', { Name: 'Recycled One' }, {}));
    expect((await api(p.url, token, `${V}/sobjects/Account/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await q("SELECT Id FROM Account WHERE Name = 'Recycled One'")).body.totalSize).toBe(0);
    const all = await api(
      p.url,
      token,
      `${V}/queryAll?q=${encodeURIComponent("SELECT Id, IsDeleted FROM Account WHERE Name = 'Recycled One'")}`,
    );
    expect(all.body.records).toMatchObject([{ Id: id, IsDeleted: true }]);
    expect((await api(p.url, token, `${V}/sobjects/Account/${id}`, { method: 'DELETE' })).body[0]).toMatchObject({
      errorCode: 'ENTITY_IS_DELETED',
    });
    expect((await q("SELECT Id FROM Account WHERE Name = 'Recycled One' ALL ROWS")).body[0].errorCode).toBe('MALFORMED_QUERY');
  });
  it('pages with nextRecordsUrl (queryMore)', async () => {
    const first = await api(
      p.url,
      token,
      `${V}/query?q=${encodeURIComponent("SELECT Name FROM Account WHERE Name LIKE 'Bulk%' ORDER BY Name")}`,
      { headers: { 'Sforce-Query-Options': 'batchSize=200' } },
    );
    expect(first.body).toMatchObject({ totalSize: 450, done: false });
    expect(first.body.records).toHaveLength(200);
    let next = first.body.nextRecordsUrl;
    const names = [...first.body.records.map((r: { Name: string }) => r.Name)];
    while (next) {
      const page = await api(p.url, token, next, { headers: { 'Sforce-Query-Options': 'batchSize=200' } });
      names.push(...page.body.records.map((r: { Name: string }) => r.Name));
      next = page.body.nextRecordsUrl;
    }
    expect(names).toHaveLength(450);
    expect(names[449]).toBe('Bulk 449');
  });
  it('answers Salesforce errors for bad queries', async () => {
    const bad = await q('SELEC Id FROM Account');
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('MALFORMED_QUERY');
    const field = await q('SELECT Nope__c FROM Account');
    expect(field.body).toEqual([
      { errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Nope__c' on entity 'Account'") },
    ]);
    const type = await q('SELECT Id FROM Nope__c');
    expect(type.body[0]).toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("sObject type 'Nope__c' is not supported"),
    });
  });
});

describe('deployed custom objects', () => {
  it('knows a deployed custom metadata type before it has records, and custom fields on standard objects', async () => {
    const neighbours = await loadNeighbours();
    setCustomObjectSource((_db, _org, name) =>
      name.toLowerCase() === 'conn__mdt'
        ? {
            name: 'Conn__mdt',
            label: 'Conn',
            fields: [
              { name: 'Endpoint__c', type: 'Url' },
              { name: 'Enabled__c', type: 'Checkbox' },
            ],
          }
        : name === 'Account'
          ? { name: 'Account', fields: [{ name: 'Tier__c', type: 'Number' }] }
          : undefined,
    );
    try {
      expect(runSoql(p.db, p.devHub.id, 'SELECT DeveloperName, Endpoint__c FROM Conn__mdt WHERE Enabled__c = true').records).toEqual([]);
      const d = await api(p.url, token, `${V}/sobjects/Account/describe`);
      expect(d.body.fields.find((f: { name: string }) => f.name === 'Tier__c')).toMatchObject({ type: 'double', custom: true });
      expect(() => runSoql(p.db, p.devHub.id, 'SELECT Nope__c FROM Conn__mdt')).toThrow("No such column 'Nope__c' on entity 'Conn__mdt'");
    } finally {
      setCustomObjectSource(neighbours.metadata.getCustomObject?.bind(neighbours.metadata));
    }
  });
});

describe('WITH USER_MODE', () => {
  it('applies object and field permissions from permission sets; System Administrator sees all', async () => {
    const neighbours = await loadNeighbours();
    const userId = tx(p.db, () =>
      insertRecord(
        p.db,
        p.devHub.id,
        'User',
        {
          Username: 'limited@devhub.local',
          LastName: 'Limited',
          Email: 'l@x.test',
          IsActive: true,
          ProfileId: profileId(p.db, p.devHub.id, 'Minimum Access - Salesforce')!,
        },
        { trusted: true },
      ),
    );
    const soql = 'SELECT Name, Phone FROM Account WITH USER_MODE LIMIT 1';
    expect(() => runSoql(p.db, p.devHub.id, soql, { userId })).toThrow("sObject type 'Account' is not supported");
    setMetadataModule({
      ...neighbours.metadata,
      findPermissionSet: (_db, _org, name) =>
        name === 'Account_Reader'
          ? {
              name,
              label: name,
              objectPermissions: { Account: { read: true, create: false, edit: false, delete: false } },
              fieldPermissions: { 'Account.Name': { readable: true, editable: false } },
              classAccesses: [],
              userPermissions: [],
            }
          : undefined,
    });
    try {
      tx(p.db, () => {
        const ps = insertRecord(p.db, p.devHub.id, 'PermissionSet', { Name: 'Account_Reader', Label: 'Account reader' }, { trusted: true });
        insertRecord(p.db, p.devHub.id, 'PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: ps }, { trusted: true });
      });
      expect(() => runSoql(p.db, p.devHub.id, soql, { userId })).toThrow("No such column 'Phone' on entity 'Account'");
      expect(runSoql(p.db, p.devHub.id, 'SELECT Name FROM Account WITH USER_MODE LIMIT 2', { userId }).records).toHaveLength(2);
      expect(
        runSoql(p.db, p.devHub.id, soql, { userMode: true, userId: (await api(p.url, token, '/services/oauth2/userinfo')).body.user_id })
          .records,
      ).toHaveLength(1);
    } finally {
      setMetadataModule(neighbours.metadata);
    }
  });
});

describe('bad input', () => {
  it('rejects missing/invalid sessions, malformed JSON, wrong content types, unknown paths, huge bodies, and keeps serving', async () => {
    expect((await api(p.url, undefined, `${V}/limits`)).body).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
    expect((await api(p.url, 'garbage', `${V}/limits`)).status).toBe(401);
    const json = await api(p.url, token, `${V}/sobjects/Account`, { method: 'POST', body: '{"Name": ' });
    expect(json.status).toBe(400);
    expect(json.body[0].errorCode).toBe('JSON_PARSER_ERROR');
    const xml = await api(p.url, token, `${V}/sobjects/Account`, {
      method: 'POST',
      body: '<Name>x</Name>',
      headers: { 'Content-Type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    const unknown = await api(p.url, token, '/nowhere/at/all');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    const big = await fetch(`${p.url}${V}/sobjects/Account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: Buffer.alloc(51 * 1024 * 1024, 32),
    });
    expect(big.status).toBe(413);
    // Chunked (no Content-Length) over the cap: still a 413, not a dropped connection.
    const chunk = Buffer.alloc(1024 * 1024, 32);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 51; i++) c.enqueue(chunk);
        c.close();
      },
    });
    const chunked = await fetch(`${p.url}${V}/sobjects/Account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const field = await api(p.url, token, `${V}/sobjects/Account`, { method: 'POST', body: JSON.stringify({ Name: 'x', Bogus__c: 1 }) });
    expect(field.body[0].errorCode).toBe('INVALID_FIELD');
    const req = await api(p.url, token, `${V}/sobjects/Account`, { method: 'POST', body: JSON.stringify({ Phone: '1' }) });
    expect(req.body[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] });
    expect((await api(p.url, token, `${V}/limits`)).status).toBe(200);
  });
  it('applies a composite tree all-or-nothing', async () => {
    const before = runSoql(p.db, p.devHub.id, 'SELECT COUNT() FROM Contact').totalSize;
    const r = await api(p.url, token, `${V}/composite/tree/Account`, {
      method: 'POST',
      body: JSON.stringify({
        records: [
          {
            attributes: { type: 'Account', referenceId: 'ok' },
            Name: 'Tree Ok',
            Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'c1' }, LastName: 'Fine' }] },
          },
          { attributes: { type: 'Account', referenceId: 'bad' }, Name: 'Tree Bad', NumberOfEmployees: 'many' },
        ],
      }),
    });
    expect(r.status).toBe(400);
    expect(r.body.hasErrors).toBe(true);
    expect(r.body.results[0].referenceId).toBe('bad');
    expect(runSoql(p.db, p.devHub.id, "SELECT COUNT() FROM Account WHERE Name LIKE 'Tree%'").totalSize).toBe(0);
    expect(runSoql(p.db, p.devHub.id, 'SELECT COUNT() FROM Contact').totalSize).toBe(before);
  });
  it('serves Tooling API queries from the same store and INVALID_TYPE for unknown tooling objects', async () => {
    const t = await api(
      p.url,
      token,
      `${V}/tooling/query?q=${encodeURIComponent("SELECT Username FROM User WHERE Username = 'admin@devhub.local'")}`,
    );
    expect(t.body).toMatchObject({ totalSize: 1, entityTypeName: 'User' });
    const u = await api(p.url, token, `${V}/tooling/query?q=${encodeURIComponent('SELECT Id FROM NoSuchToolingThing')}`);
    expect(u.body[0].errorCode).toBe('INVALID_TYPE');
    expect((await api(p.url, undefined, `${V}/tooling/query?q=x`)).status).toBe(401);
  });
  it('answers "not supported yet" in Salesforce\'s shape for APIs no module serves (REST and SOAP)', async () => {
    const r = await api(p.url, token, `${V}/tooling/completions?type=apex`);
    expect(r.status).toBe(501);
    expect(r.body).toEqual([{ errorCode: 'NOT_SUPPORTED', message: expect.stringContaining('not supported yet') }]);
    const soap = await fetch(`${p.url}/services/Soap/c/66.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: 'query' },
      body: '<Envelope/>',
    });
    expect(soap.status).toBe(500);
    expect(await soap.text()).toMatch(/<faultstring>[^<]*not supported yet/);
  });
});

describe('restart', () => {
  it('keeps orgs, records, tokens, the Dev Hub port and scratch org ports across a restart', async () => {
    const c = await api(p.url, token, `${V}/sobjects/ScratchOrgInfo`, {
      method: 'POST',
      body: JSON.stringify({
        Edition: 'Developer',
        ConnectedAppConsumerKey: p.cliApp.clientId,
        ConnectedAppCallbackUrl: 'http://localhost:1717/OauthRedirect',
      }),
    });
    const scratchUrl = (await api(p.url, token, `${V}/sobjects/ScratchOrgInfo/${c.body.id}`)).body.LoginUrl as string;
    const port = p.devHub.port;
    await p.close();
    p = await startPlatform({ home, port });
    // Let the client drop its pooled keep-alive sockets to the old listener.
    await new Promise((r) => setTimeout(r, 100));
    expect(p.url).toBe(`http://127.0.0.1:${port}`);
    const r = await q("SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk%'");
    expect(r.body.totalSize).toBe(450);
    expect(p.orgs().map((o) => o.instanceUrl)).toContain(scratchUrl);
    expect((await fetch(`${scratchUrl}/services/data`)).status).toBe(200);
  });
});
