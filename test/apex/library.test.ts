/**
 * The system library on the local runtime: String, collections, dates, JSON, EncodingUtil, Crypto,
 * UserInfo, Assert — each checked against what Salesforce returns.
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, verify } from 'node:crypto';
import { debugOf, run } from './helpers.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';

describe('Apex system library on the local runtime', () => {
  it('implements the common String methods', async () => {
    expect(
      await debugOf(`
        String s = '  Hello, World  ';
        System.debug(s.trim().length());
        System.debug(s.trim().substring(7));
        System.debug(s.trim().substring(0, 5).toUpperCase());
        System.debug(s.indexOf('World') + ' ' + s.contains('lo,') + ' ' + s.trim().startsWith('Hell') + ' ' + s.trim().endsWith('d'));
        System.debug('a,b,,c'.split(','));
        System.debug('a.b.c'.split('\\\\.').size());
        System.debug('aXbXc'.replace('X', '-') + ' ' + 'a1b22c'.replaceAll('[0-9]+', '#'));
        System.debug(String.isBlank('  ') + ' ' + String.isNotBlank('x') + ' ' + String.isEmpty(''));
        System.debug(String.format('{0} has {1} items', new List<Object>{'cart', 3}));
        System.debug(String.join(new List<String>{'x','y','z'}, '|'));
        System.debug(String.valueOf(42) + String.valueOf(true) + String.valueOf(null));
        System.debug(String.escapeSingleQuotes('it\\'s'));
        System.debug('abc'.left(2) + 'abc'.right(1) + 'abc'.repeat(2) + 'Abc'.capitalize() + 'ab'.reverse());
        System.debug('x'.leftPad(3, '0') + ' ' + 'Hello'.substringAfter('l') + ' ' + 'Hello'.substringBefore('l'));
        System.debug('abc'.equalsIgnoreCase('ABC') + ' ' + 'abc'.compareTo('abd'));
        System.debug(Pattern.matches('[a-z]+', 'abc') + ' ' + Pattern.matches('[a-z]+', 'ab1'));
      `),
    ).toEqual([
      '12',
      'World',
      'HELLO',
      '9 true true true',
      '(a, b, , c)',
      '3',
      'a-b-c a#b#c',
      'true true true',
      'cart has 3 items',
      'x|y|z',
      '42truenull',
      "it\\'s",
      'abcabcabcAbcba',
      '00x lo He',
      'true -1',
      'true false',
    ]);
  });

  it('implements List, Set and Map', async () => {
    expect(
      await debugOf(`
        List<Integer> l = new List<Integer>{3, 1, 2};
        l.sort(); System.debug(l);
        l.add(0, 9); System.debug(l + ' ' + l.size() + ' ' + l.get(0) + ' ' + l.contains(2) + ' ' + l.indexOf(2));
        l.remove(0); System.debug(l.isEmpty() + ' ' + l);
        List<String> copy = new List<String>(new Set<String>{'b', 'a'});
        System.debug(copy.size());
        Set<String> s = new Set<String>{'a', 'b'};
        s.add('a'); s.addAll(new List<String>{'c'});
        System.debug(s.size() + ' ' + s.contains('c') + ' ' + s.contains('A'));
        s.remove('b'); System.debug(s);
        Map<String, Integer> m = new Map<String, Integer>{'one' => 1};
        m.put('two', 2);
        System.debug(m.get('two') + ' ' + m.get('ONE') + ' ' + m.containsKey('one') + ' ' + m.size());
        System.debug(m.keySet() + ' ' + m.values());
        m.remove('one'); System.debug(m);
        String[] arr = new String[2]; arr[1] = 'x'; System.debug(arr);
        List<Account> accs = new List<Account>{ new Account(Name = 'A', Id = '001000000000001AAA') };
        Map<Id, Account> byId = new Map<Id, Account>(accs);
        System.debug(byId.keySet());
      `),
    ).toEqual([
      '(1, 2, 3)',
      '(9, 1, 2, 3) 4 9 true 2',
      'false (1, 2, 3)',
      '2',
      '3 true false',
      '{a, c}',
      '2 null true 2',
      '{one, two} (1, 2)',
      '{two=2}',
      '(null, x)',
      '{001000000000001AAA}',
    ]);
  });

  it('sorts with Comparable and with a Comparator', async () => {
    const classes = [
      {
        name: 'ByLen',
        body: 'public class ByLen implements Comparator<String> { public Integer compare(String a, String b) { return a.length() - b.length(); } }',
      },
      {
        name: 'Score',
        body: 'public class Score implements Comparable { public Integer v; public Score(Integer v) { this.v = v; } public Integer compareTo(Object o) { return v - ((Score) o).v; } }',
      },
    ];
    expect(
      await debugOf(
        `List<String> words = new List<String>{'ccc', 'a', 'bb'}; words.sort(new ByLen()); System.debug(words);
         List<Score> s = new List<Score>{ new Score(3), new Score(1), new Score(2) }; s.sort(); System.debug(s[0].v + ' ' + s[2].v);
         Time t = Time.newInstance(23, 30, 0, 0); System.debug(t.addMinutes(45).hour());`,
        { classes },
      ),
    ).toEqual(['(a, bb, ccc)', '1 3', '0']);
  });

  it('treats sObject fields case-insensitively and supports get/put', async () => {
    expect(
      await debugOf(`
        Account a = new Account(Name = 'Acme');
        a.put('industry', 'Tech');
        System.debug(a.NAME + ' ' + a.get('Industry') + ' ' + a.Industry);
        System.debug(a);
        System.debug(a.getSObjectType());
        SObject so = a;
        System.debug(so.get('name'));
      `),
    ).toEqual(['Acme Tech Tech', 'Account:{Name=Acme, industry=Tech}', 'Account', 'Acme']);
  });

  it('implements Date and Datetime with Salesforce formats', async () => {
    expect(
      await debugOf(`
        Datetime dt = Datetime.newInstanceGmt(2024, 1, 31, 13, 5, 9);
        System.debug(dt);
        System.debug(dt.getTime());
        System.debug(dt.addSeconds(60).formatGmt('yyyy-MM-dd HH:mm:ss'));
        System.debug(JSON.serialize(dt));
        Date d = Date.newInstance(2024, 1, 31);
        System.debug(d.addMonths(1) + ' ' + d.addDays(1) + ' ' + d.year() + ' ' + d.daysBetween(Date.newInstance(2024, 3, 1)));
        System.debug(Datetime.now().getTime() > 1700000000000L);
        System.debug(Date.today() == Datetime.now().dateGmt());
      `),
    ).toEqual([
      '2024-01-31 13:05:09',
      '1706706309000',
      '2024-01-31 13:06:09',
      '"2024-01-31T13:05:09.000Z"',
      '2024-02-29 2024-02-01 2024 30',
      'true',
      'true',
    ]);
  });

  it('serializes and deserializes JSON with Salesforce rules', async () => {
    const classes = [
      {
        name: 'Dto',
        body: `public class Dto {
  public String name;
  public Integer count;
  public Decimal price;
  public List<Item> items;
  public transient String secret = 'x';
  public static String ignored = 'static';
  public class Item { public String sku; public Boolean active; }
}`,
      },
    ];
    expect(
      await debugOf(
        `
        Dto d = new Dto(); d.name = 'n'; d.price = 1.50;
        System.debug(JSON.serialize(d));
        System.debug(JSON.serialize(d, true));
        Dto back = (Dto) JSON.deserialize('{"name":"x","count":3,"price":2.25,"unknown":1,"items":[{"sku":"A","active":true}]}', Dto.class);
        System.debug(back.name + ' ' + back.count + ' ' + back.price + ' ' + back.items[0].sku + ' ' + back.items[0].active);
        List<Dto.Item> items = (List<Dto.Item>) JSON.deserialize('[{"sku":"B"}]', List<Dto.Item>.class);
        System.debug(items.size() + ' ' + items[0].sku);
        Map<String, Object> m = (Map<String, Object>) JSON.deserializeUntyped('{"a":1,"b":[true,null,"s"],"c":{"d":1.5},"e":12345678901}');
        System.debug(m.get('a') instanceof Integer);
        System.debug(((List<Object>) m.get('b')).size() + ' ' + ((Map<String, Object>) m.get('c')).get('d') + ' ' + (m.get('e') instanceof Long));
        System.debug(JSON.serialize(new Map<String, Object>{'list' => new List<Integer>{1, 2}, 'nil' => null, 'nested' => new Map<String, String>{'k' => 'v'}}));
        System.debug(JSON.serializePretty(new Map<String, Object>{'a' => 1, 'b' => new List<String>{'x'}}));
        Account a = new Account(Name = 'Acme', Id = '001000000000001AAA');
        System.debug(JSON.serialize(a));
        System.debug(JSON.serialize(new Account(Name = 'New')));
        try { JSON.deserializeUntyped('{bad'); } catch (JSONException e) { System.debug('JSONException'); }
      `,
        { classes },
      ),
    ).toEqual([
      '{"name":"n","count":null,"price":1.50,"items":null}',
      '{"name":"n","price":1.50}',
      'x 3 2.25 A true',
      '1 B',
      'true',
      '3 1.5 true',
      '{"list":[1,2],"nil":null,"nested":{"k":"v"}}',
      '{\n  "a" : 1,\n  "b" : [ "x" ]\n}',
      '{"attributes":{"type":"Account","url":"/services/data/v65.0/sobjects/Account/001000000000001AAA"},"Name":"Acme","Id":"001000000000001AAA"}',
      '{"attributes":{"type":"Account"},"Name":"New"}',
      'JSONException',
    ]);
  });

  it('deserializes a Time from the text JSON.serialize writes, with or without seconds', async () => {
    // record-hunter (SalesforceLabs) reads time filters with (Time) JSON.deserialize('"23:00:00.001Z"', Time.class)
    const out = await debugOf(`
      Time t = (Time) JSON.deserialize('"23:00:00.001Z"', Time.class);
      System.debug(t + ' ' + t.millisecond() + ' ' + JSON.serialize(t));
      System.debug((Time) JSON.deserialize('"08:30"', Time.class));
      try { JSON.deserialize('"noon"', Time.class); } catch (JSONException e) { System.debug('refused'); }
    `);
    expect(out).toEqual(['23:00:00.001Z 1 "23:00:00.001Z"', '08:30:00.000Z', 'refused']);
  });

  it('answers the Site and Network of a request no Experience Cloud site serves with null', async () => {
    // Smart-Lists (SalesforceLabs) branches on Site.getName(); `Site` alone is also the sObject Schema.Site
    const out = await debugOf(`System.debug(Site.getName()); System.debug(System.Site.getSiteId()); System.debug(Network.getNetworkId());
      Site s = new Site(Name = 'x'); System.debug(s.Name);
      System.debug(UserInfo.isMultiCurrencyOrganization() + ' ' + UserInfo.getDefaultCurrency());`);
    expect(out).toEqual(['null', 'null', 'null', 'x', 'false USD']);
  });

  it('reads JSON token by token with JSONParser', async () => {
    expect(
      await debugOf(`
        JSONParser p = JSON.createParser('{"access_token":"abc","expires":30,"scopes":["api"]}');
        String token; Integer exp;
        while (p.nextToken() != null) {
          if (p.getCurrentToken() == JSONToken.FIELD_NAME && p.getText() == 'access_token') { p.nextToken(); token = p.getText(); }
          else if (p.getCurrentToken() == JSONToken.FIELD_NAME && p.getText() == 'expires') { p.nextToken(); exp = p.getIntegerValue(); }
        }
        System.debug(token + ' ' + exp);
        JSONGenerator g = JSON.createGenerator(false);
        g.writeStartObject(); g.writeStringField('a', 'b'); g.writeNumberField('n', 1); g.writeEndObject();
        System.debug(g.getAsString());
      `),
    ).toEqual(['abc 30', '{"a":"b","n":1}']);
  });

  it('encodes with EncodingUtil and hashes with Crypto', async () => {
    expect(
      await debugOf(`
        Blob b = Blob.valueOf('hello world');
        System.debug(EncodingUtil.base64Encode(b));
        System.debug(EncodingUtil.base64Decode('aGVsbG8=').toString());
        System.debug(EncodingUtil.urlEncode('a b&c=d/é*~', 'UTF-8'));
        System.debug(EncodingUtil.urlDecode('a+b%26c', 'UTF-8'));
        System.debug(EncodingUtil.convertToHex(Crypto.generateDigest('SHA-256', Blob.valueOf('abc'))));
        System.debug(EncodingUtil.convertToHex(Crypto.generateMac('hmacSHA256', Blob.valueOf('data'), Blob.valueOf('key'))));
        System.debug(Crypto.getRandomInteger() != Crypto.getRandomInteger());
        Blob key = Crypto.generateAesKey(256);
        System.debug(Crypto.decryptWithManagedIV('AES256', key, Crypto.encryptWithManagedIV('AES256', key, b)).toString());
      `),
    ).toEqual([
      'aGVsbG8gd29ybGQ=',
      'hello',
      'a+b%26c%3Dd%2F%C3%A9*%7E',
      'a b&c',
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      '5031fe3d989c6d1537a013fa6e739da23463fdaec3b70137d828e36ace221bd0',
      'true',
      'hello world',
    ]);
  });

  it('signs with the org certificate: a real RSA-SHA256 signature that verifies with its public key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const out = await debugOf(
      `
      Blob sig = Crypto.signWithCertificate('RSA-SHA256', Blob.valueOf('header.payload'), 'My_Cert');
      System.debug(EncodingUtil.base64Encode(sig));
      Auth.JWT jwt = new Auth.JWT();
      jwt.setIss('client-id'); jwt.setSub('user@b.example'); jwt.setAud('https://login.example');
      jwt.setAdditionalClaims(new Map<String, Object>{'scope' => 'api'});
      Auth.JWS jws = new Auth.JWS(jwt, 'My_Cert');
      System.debug(jws.getCompactSerialization());
      try { Crypto.signWithCertificate('RSA-SHA256', Blob.valueOf('x'), 'Missing'); } catch (Exception e) { System.debug(e.getTypeName()); }
    `,
      { certificates: { My_Cert: pem } },
    );
    const sig = Buffer.from(out[0], 'base64');
    expect(sig.length).toBe(256);
    expect(verify('sha256', Buffer.from('header.payload'), publicKey, sig)).toBe(true);
    const [h, p, s] = out[1].split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'RS256' });
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'client-id', sub: 'user@b.example', aud: 'https://login.example', scope: 'api' });
    expect(claims.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(200);
    expect(verify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))).toBe(true);
    expect(out[2]).toBe('System.InvalidParameterValueException');
  });

  it('answers UserInfo from the running user and Assert with Salesforce messages', async () => {
    const org = createMemoryOrg({ user: { username: 'me@org.test' } });
    const out = await debugOf(`System.debug(UserInfo.getUserName() + ' ' + UserInfo.getOrganizationId() + ' ' + UserInfo.getUserId());`, {
      host: org.host,
    });
    expect(out).toEqual([`me@org.test ${org.org.id} ${org.userId}`]);
    const r = await run(`Assert.areEqual(1, 2, 'numbers differ');`);
    expect(r.exceptionMessage).toBe('System.AssertException: Assertion Failed: Expected: 1, Actual: 2: numbers differ');
    const r2 = await run(`System.assertEquals('a', 'b');`);
    expect(r2.exceptionMessage).toBe('System.AssertException: Assertion Failed: Expected: a, Actual: b');
    const r3 = await run(`try { Assert.isTrue(false); } catch (Exception e) { System.debug('caught'); }`);
    expect(r3.success).toBe(false); // assertion failures cannot be caught
    expect(r3.debug).toEqual([]);
  });

  it('uses Platform Cache through the host, and throws OrgCacheException without capacity', async () => {
    const out = await debugOf(
      `
      Cache.Org.put('local.Tokens.k1', 'v1', 600);
      System.debug(Cache.Org.get('local.Tokens.k1') + ' ' + Cache.Org.contains('local.Tokens.k1'));
      Cache.OrgPartition p = Cache.Org.getPartition('local.Tokens');
      p.put('k2', new List<Integer>{1});
      System.debug(p.get('k2'));
      System.debug(Cache.Org.remove('local.Tokens.k1') + ' ' + Cache.Org.get('local.Tokens.k1'));
      try { Cache.Org.put('local.Nope.k', 1); } catch (Cache.Org.OrgCacheException e) { System.debug(e.getTypeName()); }
    `,
      { cachePartitions: { Tokens: 1 } },
    );
    expect(out).toEqual(['v1 true', '(1)', 'true null', 'Cache.Org.OrgCacheException']);
  });

  it('throws OrgCacheException for a partition the org lacks on every operation, and skips one of 0 MB silently', async () => {
    const out = await debugOf(
      `
      for (String op : new List<String>{'put', 'get', 'contains', 'remove'}) {
        try {
          if (op == 'put') Cache.Org.put('local.Missing.k', 'v', 600);
          if (op == 'get') Cache.Org.get('local.Missing.k');
          if (op == 'contains') Cache.Org.contains('local.Missing.k');
          if (op == 'remove') Cache.Org.remove('local.Missing.k');
          System.debug(op + ' ran');
        } catch (Cache.Org.OrgCacheException e) { System.debug(op + ' ' + e.getTypeName()); }
      }
      Cache.Org.put('local.Empty.k', 'v', 600);
      System.debug(Cache.Org.get('local.Empty.k') + ' ' + Cache.Org.contains('local.Empty.k') + ' ' + Cache.Org.remove('local.Empty.k'));
    `,
      { cachePartitions: { Empty: 0 } },
    );
    expect(out).toEqual([
      'put Cache.Org.OrgCacheException',
      'get Cache.Org.OrgCacheException',
      'contains Cache.Org.OrgCacheException',
      'remove Cache.Org.OrgCacheException',
      'null false false',
    ]);
  });
});
