/**
 * Bounded input: a zip bomb that lies about its sizes is stopped by the bytes it actually inflates to;
 * over-long text is refused with Salesforce's STRING_TOO_LONG at each field's own length; deep JSON and
 * XML, DTDs (XXE, entity expansion) and names Salesforce refuses get Salesforce-shaped errors, never a
 * 500 or a broken object; a NUL inside text is kept and seen by every comparison.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { limits, readDeployZip } from '../../../tools/local-platform/metadata/readDeployZip.ts';
import { zipOf } from '../metadata/fixtures.ts';
import { anonymousApexSoap, APEX_NS, call, MD_NS, soapEnvelope, startWorld, V, type World } from './world.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 180_000);
afterAll(async () => w?.p.cleanup());

/** A deploy zip whose one big entry declares `declared` bytes in both headers but inflates to `real`. */
async function lyingZip(real: number, declared: number): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    'package.xml',
    '<?xml version="1.0"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>62.0</version></Package>',
  );
  zip.file('staticresources/Bomb.resource', Buffer.alloc(real, 0x41));
  const buf = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  for (let i = 0; i < buf.length - 4; i++) {
    const sig = buf.readUInt32LE(i);
    if (sig === 0x04034b50 && buf.readUInt32LE(i + 22) === real) buf.writeUInt32LE(declared, i + 22);
    if (sig === 0x02014b50 && buf.readUInt32LE(i + 24) === real) buf.writeUInt32LE(declared, i + 24);
  }
  return buf;
}

describe('zip inflation', () => {
  it('is capped by the bytes produced, not the sizes the zip declares', async () => {
    const saved = limits.maxUncompressedBytes;
    limits.maxUncompressedBytes = 4 * 1024 * 1024;
    try {
      const bomb = await lyingZip(16 * 1024 * 1024, 1000);
      await expect(readDeployZip(bomb)).rejects.toThrow('The zip file expands past 600 MB (at staticresources/Bomb.resource)');
      const honest = await lyingZip(1024 * 1024, 1024 * 1024);
      await expect(readDeployZip(honest)).resolves.toBeTruthy();
    } finally {
      limits.maxUncompressedBytes = saved;
    }
  });
});

describe('field lengths', () => {
  it('refuses a 100,000-character Name and a 49 MB Description with STRING_TOO_LONG; stores nothing', async () => {
    const post = (fields: Record<string, unknown>) =>
      call(w.p.url, w.adminToken, `${V}/sobjects/Account`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(fields),
      });
    const name = await post({ Name: 'n'.repeat(100_000) });
    expect(name.status).toBe(400);
    expect(name.body[0]).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['Name'] });
    expect(name.body[0].message).toMatch(/^Account Name: data value too large: n{80}\.\.\. \(max length=255\)$/);
    const description = await post({ Name: 'Long', Description: 'd'.repeat(49 * 1024 * 1024) });
    expect(description.body[0]).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['Description'] });
    expect((await post({ Name: 'n'.repeat(255), Description: 'd'.repeat(32_000) })).status).toBe(201);
    const count = await call(
      w.p.url,
      w.adminToken,
      `${V}/query?q=${encodeURIComponent("SELECT COUNT() FROM Account WHERE Name = 'Long'")}`,
    );
    expect(count.body.totalSize).toBe(0);
  });
});

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const query = (soql: string) => call(w.p.url, w.adminToken, `${V}/query?q=${encodeURIComponent(soql)}`);

describe('field lengths by type', () => {
  it('limits Phone to 40, Email to 80, Contact.LastName to 80, a custom Text field to its length, as describe reports', async () => {
    const post = (type: string, fields: Record<string, unknown>) =>
      call(w.p.url, w.adminToken, `${V}/sobjects/${type}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(fields) });
    const phone = await post('Account', { Name: 'Lengths', Phone: '5'.repeat(41) });
    expect(phone.body[0]).toMatchObject({
      errorCode: 'STRING_TOO_LONG',
      fields: ['Phone'],
      message: `Account Phone: data value too large: ${'5'.repeat(41)} (max length=40)`,
    });
    expect((await post('Contact', { LastName: 'l'.repeat(81) })).body[0]).toMatchObject({
      errorCode: 'STRING_TOO_LONG',
      fields: ['LastName'],
    });
    expect((await post('Contact', { LastName: 'Ok', Email: `${'e'.repeat(76)}@x.io` })).body[0]).toMatchObject({
      errorCode: 'STRING_TOO_LONG',
      fields: ['Email'],
    });
    expect((await post('Contact', { LastName: 'l'.repeat(80), Email: `${'e'.repeat(74)}@x.io`, Phone: '5'.repeat(40) })).status).toBe(201);
    const describe = (await call(w.p.url, w.adminToken, `${V}/sobjects/Contact/describe`)).body.fields as {
      name: string;
      length: number;
    }[];
    expect(
      Object.fromEntries(
        describe.filter((f) => ['Phone', 'Email', 'LastName', 'FirstName'].includes(f.name)).map((f) => [f.name, f.length]),
      ),
    ).toEqual({ Phone: 40, Email: 80, LastName: 80, FirstName: 40 });

    const zip = await zipOf(
      {
        'objects/Account.object': `<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="${MD_NS}"><fields><fullName>Code__c</fullName><label>Code</label><type>Text</type><length>10</length></fields></CustomObject>`,
      },
      { CustomObject: ['Account'] },
    );
    expect((await w.admin.metadata.deploy(zip, { rollbackOnError: true, singlePackage: true }).complete(true)).success).toBe(true);
    expect((await post('Account', { Name: 'Coded', Code__c: 'c'.repeat(11) })).body[0]).toMatchObject({
      errorCode: 'STRING_TOO_LONG',
      message: 'Account Code__c: data value too large: ccccccccccc (max length=10)',
    });
  });
});

describe('deep JSON', () => {
  it('answers JSON_PARSER_ERROR (400) for 100,000-deep JSON, and Apex gets a catchable JSONException', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r = await call(w.p.url, w.adminToken, `${V}/sobjects/Account`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: `{"Name": ${deep}}`,
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual([
      { errorCode: 'JSON_PARSER_ERROR', message: 'Document nesting depth (1001) exceeds the maximum allowed (1000)' },
    ]);
    const shallow = await call(w.p.url, w.adminToken, `${V}/sobjects/Account`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: `{"Name": ${'['.repeat(900)}${']'.repeat(900)}}`,
    });
    expect(shallow.body[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE'); // parsed: a list is no Name
    const apex = await anonymousApexSoap(
      w.p.url,
      w.adminToken,
      "String s = '['.repeat(100000) + ']'.repeat(100000);\ntry {\n  JSON.deserializeUntyped(s);\n} catch (JSONException e) {\n  System.debug('caught: ' + e.getMessage());\n}",
    );
    expect(apex.text).toContain('<success>true</success>');
    expect(apex.text).toContain('caught: Document nesting depth (1001) exceeds the maximum allowed (1000)');
  });
});

describe('XML attacks on the SOAP APIs', () => {
  const soap = (path: string, xml: string) =>
    call(w.p.url, undefined, path, { method: 'POST', headers: { 'Content-Type': 'text/xml', SOAPAction: '""' }, body: xml });
  const listMetadata = (type: string, doctype = '') =>
    soapEnvelope(
      MD_NS,
      w.adminToken,
      `<x:listMetadata><x:queries><x:type>${type}</x:type></x:queries><x:asOfVersion>66.0</x:asOfVersion></x:listMetadata>`,
    ).replace('?>', `?>${doctype}`);

  it('refuses a DOCTYPE (external entity, entity expansion) with a SOAP fault, on the Metadata and Apex APIs alike', async () => {
    const xxe = await soap('/services/Soap/m/66.0', listMetadata('&xxe;', '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'));
    const lols = `<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]>`;
    const laughs = await soap('/services/Soap/m/66.0', listMetadata('&j;', lols));
    const apex = await soap(
      '/services/Soap/s/66.0',
      soapEnvelope(APEX_NS, w.adminToken, '<x:executeAnonymous><x:apexcode>&xxe;</x:apexcode></x:executeAnonymous>').replace(
        '?>',
        '?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      ),
    );
    for (const r of [xxe, laughs, apex]) {
      expect(r.status).toBe(500);
      expect(r.text).toContain('<faultcode>soapenv:Client</faultcode>');
      expect(r.text).toContain('DOCTYPE is disallowed');
      expect(r.text).not.toContain('root:');
    }
  });

  it("refuses XML nested past 100 levels with a SOAP fault, and a DOCTYPE inside a deployed file as that component's failure", async () => {
    const deep = await soap(
      '/services/Soap/m/66.0',
      soapEnvelope(MD_NS, w.adminToken, `<x:listMetadata>${'<x:queries>'.repeat(20_000)}${'</x:queries>'.repeat(20_000)}</x:listMetadata>`),
    );
    expect(deep.status).toBe(500);
    expect(deep.text).toContain('<faultcode>soapenv:Client</faultcode>');
    const zip = await zipOf(
      {
        'objects/Account.object': `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CustomObject xmlns="${MD_NS}"><fields><fullName>Leak__c</fullName><label>&e;</label><type>Text</type><length>10</length></fields></CustomObject>`,
      },
      { CustomObject: ['Account'] },
    );
    const r = await w.admin.metadata.deploy(zip, { rollbackOnError: true, singlePackage: true }).complete(true);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.details)).toContain('DOCTYPE is disallowed');
  });
});

describe('metadata names', () => {
  it("refuses a custom field named x'),(1=1--__c with Salesforce's message, and its object stays readable", async () => {
    const bad = ["x'),(1=1--__c", 'Two__Under__Scores__c', 'Trailing___c', '1Digit__c'];
    const field = (name: string) => `<fields><fullName>${name}</fullName><label>L</label><type>Text</type><length>10</length></fields>`;
    const zip = await zipOf(
      {
        'objects/Account.object': `<?xml version="1.0"?><CustomObject xmlns="${MD_NS}">${[...bad, `${'a'.repeat(41)}__c`].map(field).join('')}</CustomObject>`,
        'objects/Bad_Obj___c.object': `<?xml version="1.0"?><CustomObject xmlns="${MD_NS}"><label>B</label><pluralLabel>Bs</pluralLabel></CustomObject>`,
      },
      { CustomObject: ['Account', 'Bad_Obj___c'] },
    );
    const r = await w.admin.metadata.deploy(zip, { rollbackOnError: true, singlePackage: true }).complete(true);
    expect(r.success).toBe(false);
    const problems = JSON.stringify(r.details);
    const rule =
      'API Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.';
    expect(problems.split(`Field Name: The Field ${rule}`)).toHaveLength(bad.length + 1);
    expect(problems).toContain('Value too long for field: fullName maximum length is:40');
    expect(problems).toContain(`Object Name: The Object ${rule}`);
    expect((await query('SELECT Id, Name FROM Account LIMIT 1')).status).toBe(200);
  });
});

describe('NUL in text', () => {
  it('is stored, and = and LIKE see the whole value (REST and Apex binds alike)', async () => {
    const name = 'nul\u0000tail';
    const created = await call(w.p.url, w.adminToken, `${V}/sobjects/Account`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ Name: name }),
    });
    expect(created.status).toBe(201);
    expect((await call(w.p.url, w.adminToken, `${V}/sobjects/Account/${created.body.id}`)).body.Name).toBe(name);
    expect((await query("SELECT Id FROM Account WHERE Name LIKE '%tail'")).body.totalSize).toBe(1);
    expect((await query("SELECT Id FROM Account WHERE Name LIKE 'nul_tail'")).body.totalSize).toBe(1);
    expect((await query(`SELECT Id FROM Account WHERE Name = '${name}'`)).body.totalSize).toBe(1);
    expect((await query("SELECT Id FROM Account WHERE Name = 'nul\u0000xxxx'")).body.totalSize).toBe(0);
    const apex = await anonymousApexSoap(
      w.p.url,
      w.adminToken,
      "String n = 'nul' + String.fromCharArray(new List<Integer>{ 0 }) + 'tail';\nString other = 'nul' + String.fromCharArray(new List<Integer>{ 0 }) + 'xxxx';\nSystem.assertEquals(1, [SELECT COUNT() FROM Account WHERE Name = :n]);\nSystem.assertEquals(0, [SELECT COUNT() FROM Account WHERE Name = :other]);\nSystem.assertEquals(1, [SELECT COUNT() FROM Account WHERE Name LIKE '%tail']);",
    );
    expect(apex.text).toContain('<success>true</success>');
  });
});
