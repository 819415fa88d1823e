/**
 * HTTP callouts (Http/HttpRequest/HttpResponse through host.callout, mocks in tests), Apex REST
 * context, EncodingUtil, Crypto (real RSA signatures via the org certificate), Auth.JWT/JWS and
 * Auth.JWTBearerTokenExchange (a real POST to the token endpoint), Url.
 */
import {
  createHash,
  createHmac,
  createPrivateKey,
  createSign,
  createVerify,
  createPublicKey,
  randomBytes,
  randomInt,
  timingSafeEqual,
  createCipheriv,
  createDecipheriv,
} from 'node:crypto';
import { NObj } from './nativeValues.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexList, ApexMap, ApexObject, ApexSet, Blob, Dec, stringValueOf } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { throwEx, throwNpe, limitEx } from '../run/exceptions.ts';
import { xmlStreamReader } from './xmlStream.ts';
import { callMethod } from '../run/calls.ts';
import { LIMITS } from '../run/transaction.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import { serialize, parseJson, untyped } from './json.ts';

const str = (v: unknown) => stringValueOf(v);
const STRING: TypeRef = { name: 'String', args: [], array: 0 };

// ---------------------------------------------------------------- marker interfaces

function implementsIface(name: string) {
  return (v: unknown): boolean => {
    if (!(v instanceof ApexObject)) return false;
    const seen = new Set();
    const walk = (c: ApexObject['cls'] | undefined): boolean => {
      if (!c || seen.has(c)) return false;
      seen.add(c);
      if (c.interfaceRefs.some((r) => r.name.toLowerCase().replace(/^(system|cache|database)\./, '') === name.toLowerCase())) return true;
      return walk(c.superClass) || c.interfaces.some(walk);
    };
    return walk(v.cls);
  };
}
/**
 * The methods a system interface declares, for calls through a variable of the interface's type
 * (`System.Comparator<String> c; c.compare(a, b)`, Apex Reference, "Comparator Interface"); a user class
 * implements them, and the call dispatches to its method.
 */
const through =
  (name: string) =>
  (f: Frame, self: unknown, args: unknown[], site: Site): Promise<unknown> =>
    callMethod(f, self, name, args, site);
const INTERFACE_METHODS: Record<string, Record<string, ReturnType<typeof through>>> = {
  Comparator: { 'Integer compare(Object, Object)': through('compare') },
  Comparable: { 'Integer compareTo(Object)': through('compareTo') },
  Schedulable: { 'void execute(SchedulableContext)': through('execute') },
};
for (const i of [
  'HttpCalloutMock',
  'Comparable',
  'Comparator',
  'Schedulable',
  'Queueable',
  'Database.Batchable',
  'Database.AllowsCallouts',
  'Database.Stateful',
  'Cache.CacheBuilder',
  'Iterator',
  'StubProvider',
  'WebServiceMock',
  'Callable',
])
  defineNative({ name: i, instanceOf: implementsIface(i.split('.').pop()!), methods: INTERFACE_METHODS[i] });
// List and Set implement Iterable (Apex Reference, "Iterable Interface"): `f(Iterable<String>)` takes both.
const userIterable = implementsIface('Iterable');
defineNative({ name: 'Iterable', instanceOf: (v) => v instanceof ApexList || v instanceof ApexSet || userIterable(v) });

// ---------------------------------------------------------------- HttpRequest / HttpResponse

function newRequest(): NObj {
  const r = new NObj('System.HttpRequest');
  r.set('headers', new Map<string, { name: string; value: string }>());
  r.set('body', Buffer.alloc(0));
  r.set('timeout', 10_000);
  return r;
}

export function newResponse(): NObj {
  const r = new NObj('System.HttpResponse');
  r.set('headers', new Map<string, { name: string; value: string }>());
  r.set('body', Buffer.alloc(0));
  r.set('statusCode', 0);
  r.set('status', null);
  return r;
}

type Headers = Map<string, { name: string; value: string }>;
const headerMethods = {
  setHeader: (f: Frame, o: NObj, [k, v]: unknown[]) => {
    if (k === null) throwNpe(f);
    o.get<Headers>('headers').set(str(k).toLowerCase(), { name: str(k), value: str(v) });
    return null;
  },
  getHeader: (f: Frame, o: NObj, [k]: unknown[]) => o.get<Headers>('headers').get(str(k).toLowerCase())?.value ?? null,
  setBody: (f: Frame, o: NObj, [b]: unknown[]) => (o.set('body', Buffer.from(b === null ? '' : str(b), 'utf8')), null),
  getBody: (f: Frame, o: NObj) => o.get<Buffer>('body').toString('utf8'),
  setBodyAsBlob: (f: Frame, o: NObj, [b]: unknown[]) => (o.set('body', b instanceof Blob ? b.buf : Buffer.alloc(0)), null),
  getBodyAsBlob: (f: Frame, o: NObj) => new Blob(o.get<Buffer>('body')),
};

defineNative(
  {
    name: 'System.HttpRequest',
    construct: () => newRequest(),
    methods: {
      ...headerMethods,
      setEndpoint: (f, r: NObj, [e]) => (r.set('endpoint', e), null),
      getEndpoint: (f, r: NObj) => r.get('endpoint'),
      setMethod: (f, r: NObj, [m]) => (r.set('method', m), null),
      getMethod: (f, r: NObj) => r.get('method'),
      setTimeout: (f, r: NObj, [t]) => {
        const ms = Number(t instanceof Dec ? t.n : t);
        if (ms < 1 || ms > 120_000) throwEx(f, 'CalloutException', `Timeout value must be between 1 and 120000 milliseconds`);
        r.set('timeout', ms);
        return null;
      },
      // Apex Reference, HttpRequest Class: setCompressed(Boolean) asks for a gzip body; getCompressed reads it back
      setCompressed: (f, r: NObj, [c]) => (r.set('compressed', c === true), null),
      getCompressed: (f, r: NObj) => r.get('compressed') === true,
      setClientCertificateName: () => null,
      tostring: (f, r: NObj) => `System.HttpRequest[Endpoint=${r.get('endpoint')}, Method=${r.get('method')}]`,
    },
  },
  'HttpRequest',
  'HTTPRequest',
);

defineNative(
  {
    name: 'System.HttpResponse',
    construct: () => newResponse(),
    methods: {
      ...headerMethods,
      getStatusCode: (f, r: NObj) => r.get('statusCode'),
      setStatusCode: (f, r: NObj, [c]) => (r.set('statusCode', c), null),
      getStatus: (f, r: NObj) => r.get('status'),
      setStatus: (f, r: NObj, [s]) => (r.set('status', s), null),
      getHeaderKeys: (f, r: NObj) =>
        new ApexList(
          [...r.get<Headers>('headers').values()].map((h) => h.name),
          STRING,
        ),
      tostring: (f, r: NObj) => `System.HttpResponse[Status=${r.get('status')}, StatusCode=${r.get('statusCode')}]`,
      getXmlStreamReader: (f, r: NObj) => xmlStreamReader(r.get<Buffer>('body').toString('utf8')),
    },
  },
  'HttpResponse',
  'HTTPResponse',
);

/** One callout: limits, pending-DML rule, test mocks, else a real request through the host. */
export async function doCallout(f: Frame, req: NObj, site: Site, viaAuth = false): Promise<NObj> {
  const tx = f.tx;
  if (tx.pendingDml) throwEx(f, 'CalloutException', 'You have uncommitted work pending. Please commit or rollback before calling out');
  if (++tx.counts.callouts > LIMITS.callouts) limitEx(f, `Too many callouts: ${tx.counts.callouts}`);
  const endpoint = req.get<string | null>('endpoint');
  if (!endpoint) throwEx(f, 'CalloutException', 'Endpoint URL is not set'); // unverified wording
  const method = req.get<string | null>('method');
  if (!method) throwEx(f, 'CalloutException', 'Method is not set'); // unverified wording
  if (tx.isTest) {
    // Auth.HttpCalloutMockUtil mocks the token exchange; Test.setMock is used as a fallback (unverified on Salesforce).
    const mock = viaAuth ? (tx.authMock ?? tx.mock) : tx.mock;
    if (!mock) throwEx(f, 'CalloutException', 'Methods defined as TestMethod do not support Web service callouts');
    const res = await callMethod(f, mock, 'respond', [req], site);
    if (!(res instanceof NObj)) throwEx(f, 'CalloutException', 'The mock returned no HttpResponse');
    return res;
  }
  const headers: Record<string, string> = {};
  for (const h of req.get<Headers>('headers').values()) headers[h.name] = h.value;
  const timeoutMs = req.get<number>('timeout');
  const t0 = Date.now();
  let out;
  try {
    out = await tx.hostCall(() => tx.host.callout({ method, endpoint, headers, body: req.get<Buffer>('body'), timeoutMs }));
  } catch (e) {
    throwEx(f, 'CalloutException', (e as Error).message);
  } finally {
    tx.counts.calloutMs += Date.now() - t0;
  }
  if (tx.counts.calloutMs > LIMITS.calloutMs)
    throwEx(f, 'CalloutException', `Exceeded maximum time allotted for callout (${LIMITS.calloutMs} ms)`);
  const res = newResponse();
  res.set('statusCode', out.statusCode);
  res.set('status', out.status);
  res.set('body', out.body);
  const hs = res.get<Headers>('headers');
  for (const [k, v] of Object.entries(out.headers)) hs.set(k.toLowerCase(), { name: k, value: v });
  return res;
}

defineNative(
  {
    name: 'System.Http',
    construct: () => new NObj('System.Http'),
    methods: {
      send: (f, _h, [req], site) => {
        if (!(req instanceof NObj)) throwNpe(f);
        return doCallout(f, req as NObj, site);
      },
    },
  },
  'Http',
);

// ---------------------------------------------------------------- Apex REST context

const mapSS = () => new ApexMap(STRING, STRING);

export function newRestRequest(): NObj {
  const r = new NObj('System.RestRequest');
  r.set('headers', mapSS());
  r.set('params', mapSS());
  r.set('requestBody', null);
  return r;
}
export function newRestResponse(): NObj {
  const r = new NObj('System.RestResponse');
  r.set('headers', mapSS());
  r.set('statusCode', null);
  r.set('responseBody', null);
  return r;
}

defineNative(
  {
    name: 'System.RestRequest',
    construct: () => newRestRequest(),
    fields: ['requesturi', 'httpmethod', 'params', 'headers', 'requestbody', 'remoteaddress', 'resourcepath', 'cookies'],
    methods: {
      addHeader: (f, r: NObj, [k, v]) => (r.get<ApexMap>('headers').put(k, v), null),
      addParameter: (f, r: NObj, [k, v]) => (r.get<ApexMap>('params').put(k, v), null),
    },
  },
  'RestRequest',
);
defineNative(
  {
    name: 'System.RestResponse',
    construct: () => newRestResponse(),
    fields: ['statuscode', 'responsebody', 'headers'],
    methods: { addHeader: (f, r: NObj, [k, v]) => (r.get<ApexMap>('headers').put(k, v), null) },
  },
  'RestResponse',
);
defineNative(
  {
    name: 'System.RestContext',
    props: {
      request: { get: (f) => f.tx.cacheLocal.get('rest.request') ?? null, set: (f, v) => void f.tx.cacheLocal.set('rest.request', v) },
      response: { get: (f) => f.tx.cacheLocal.get('rest.response') ?? null, set: (f, v) => void f.tx.cacheLocal.set('rest.response', v) },
    },
  },
  'RestContext',
);

// ---------------------------------------------------------------- EncodingUtil

function blobArg(f: Frame, b: unknown): Buffer {
  if (b === null || b === undefined) throwNpe(f);
  if (!(b instanceof Blob)) throwEx(f, 'TypeException', 'Expected a Blob');
  return b.buf;
}

/** java.net.URLEncoder: space → '+', only [A-Za-z0-9.-*_] unescaped. */
export function javaUrlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

defineNative({
  name: 'EncodingUtil',
  statics: {
    base64Encode: (f, [b]) => blobArg(f, b).toString('base64'),
    base64Decode: (f, [s]) => {
      if (s === null) throwNpe(f);
      return new Blob(Buffer.from(str(s), 'base64'));
    },
    urlEncode: (f, [s, enc]) => {
      if (s === null) throwNpe(f);
      if (enc !== undefined && !/^utf-?8$/i.test(str(enc))) throwEx(f, 'StringException', `Unsupported encoding: ${str(enc)}`);
      return javaUrlEncode(str(s));
    },
    urlDecode: (f, [s]) => {
      if (s === null) throwNpe(f);
      return decodeURIComponent(str(s).replace(/\+/g, ' '));
    },
    convertToHex: (f, [b]) => blobArg(f, b).toString('hex'),
    convertFromHex: (f, [s]) => new Blob(Buffer.from(str(s), 'hex')),
  },
});

// ---------------------------------------------------------------- Crypto

// 'SHA256'/'SHA512' (no dash) are not in Salesforce's list but are accepted there: trailheadapps/apex-recipes'
// tests, green on real orgs, call generateDigest('SHA512'). unverified beyond that suite.
const DIGESTS: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  'sha-256': 'sha256',
  'sha-512': 'sha512',
  sha256: 'sha256',
  sha512: 'sha512',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
};
const MACS: Record<string, string> = { hmacmd5: 'md5', hmacsha1: 'sha1', hmacsha256: 'sha256', hmacsha512: 'sha512' };
const SIGNS: Record<string, string> = {
  rsa: 'sha1',
  'rsa-sha1': 'sha1',
  'rsa-sha256': 'sha256',
  'rsa-sha384': 'sha384',
  'rsa-sha512': 'sha512',
  'ecdsa-sha256': 'sha256',
  'ecdsa-sha384': 'sha384',
  'ecdsa-sha512': 'sha512',
};

function aes(f: Frame, alg: unknown, key: Buffer, iv: Buffer, data: Buffer, enc: boolean): Buffer {
  const m = /^aes(128|192|256)$/i.exec(str(alg));
  if (!m) throwEx(f, 'InvalidParameterValueException', `Invalid algorithm: ${str(alg)}`);
  const c = enc ? createCipheriv(`aes-${m[1]}-cbc`, key, iv) : createDecipheriv(`aes-${m[1]}-cbc`, key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

async function signWithCert(f: Frame, alg: string, data: Buffer, cert: string): Promise<Buffer> {
  if (!SIGNS[alg.toLowerCase()]) throwEx(f, 'InvalidParameterValueException', `Invalid algorithm: ${alg}`);
  try {
    return await f.tx.hostCall(() => f.tx.host.signWithCertificate(alg, data, cert));
  } catch (e) {
    // unverified: Salesforce's exact exception type for an unknown certificate name
    throwEx(f, 'InvalidParameterValueException', (e as Error).message);
  }
}

defineNative({
  name: 'Crypto',
  statics: {
    generateDigest: (f, [alg, b]) => {
      const a = DIGESTS[str(alg).toLowerCase()];
      if (!a) throwEx(f, 'InvalidParameterValueException', `Invalid algorithm: ${str(alg)}`);
      return new Blob(createHash(a).update(blobArg(f, b)).digest());
    },
    generateMac: (f, [alg, b, key]) => {
      const a = MACS[str(alg).toLowerCase()];
      if (!a) throwEx(f, 'InvalidParameterValueException', `Invalid algorithm: ${str(alg)}`);
      return new Blob(createHmac(a, blobArg(f, key)).update(blobArg(f, b)).digest());
    },
    verifyHMAC: (f, [alg, data, key, mac]) => {
      const a = MACS[str(alg).toLowerCase()];
      if (!a) throwEx(f, 'InvalidParameterValueException', `Invalid algorithm: ${str(alg)}`);
      const expected = createHmac(a, blobArg(f, key)).update(blobArg(f, data)).digest();
      const given = blobArg(f, mac);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
    signWithCertificate: async (f, [alg, b, cert]) => new Blob(await signWithCert(f, str(alg), blobArg(f, b), str(cert))),
    sign: (f, [alg, b, key]) => {
      const a = SIGNS[str(alg).toLowerCase()];
      if (!a) throwEx(f, 'InvalidParameterValueException', `Invalid algorithm: ${str(alg)}`);
      const k = createPrivateKey({ key: blobArg(f, key), format: 'der', type: 'pkcs8' });
      return new Blob(createSign(a).update(blobArg(f, b)).sign(k));
    },
    verify: (f, [alg, data, sig, key]) => {
      const a = SIGNS[str(alg).toLowerCase()];
      const k = createPublicKey({ key: blobArg(f, key), format: 'der', type: 'spki' });
      return createVerify(a).update(blobArg(f, data)).verify(k, blobArg(f, sig));
    },
    getRandomInteger: () => randomBytes(4).readInt32BE(0),
    getRandomLong: () => Number(randomBytes(8).readBigInt64BE(0) >> 11n),
    generateAesKey: (f, [size]) => new Blob(randomBytes(Number(size) / 8)),
    encrypt: (f, [alg, key, iv, data]) => new Blob(aes(f, alg, blobArg(f, key), blobArg(f, iv), blobArg(f, data), true)),
    decrypt: (f, [alg, key, iv, data]) => new Blob(aes(f, alg, blobArg(f, key), blobArg(f, iv), blobArg(f, data), false)),
    encryptWithManagedIV: (f, [alg, key, data]) => {
      const iv = randomBytes(16);
      return new Blob(Buffer.concat([iv, aes(f, alg, blobArg(f, key), iv, blobArg(f, data), true)]));
    },
    decryptWithManagedIV: (f, [alg, key, data]) => {
      const buf = blobArg(f, data);
      return new Blob(aes(f, alg, blobArg(f, key), buf.subarray(0, 16), buf.subarray(16), false));
    },
  },
});

// ---------------------------------------------------------------- Auth.JWT / JWS / token exchange

const b64url = (b: Buffer) => b.toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

defineNative({
  name: 'Auth.JWT',
  construct: () => {
    const j = new NObj('Auth.JWT');
    // unverified: Salesforce does not document the default validity; 300 s is used here.
    j.set('validityLength', 300);
    return j;
  },
  methods: {
    setIss: (f, j: NObj, [v]) => (j.set('iss', v), null),
    getIss: (f, j: NObj) => j.get('iss'),
    setSub: (f, j: NObj, [v]) => (j.set('sub', v), null),
    getSub: (f, j: NObj) => j.get('sub'),
    setAud: (f, j: NObj, [v]) => (j.set('aud', v), null),
    getAud: (f, j: NObj) => j.get('aud'),
    setValidityLength: (f, j: NObj, [v]) => (j.set('validityLength', v), null),
    getValidityLength: (f, j: NObj) => j.get('validityLength'),
    setNbfClockSkew: (f, j: NObj, [v]) => (j.set('nbfClockSkew', v), null),
    getNbfClockSkew: (f, j: NObj) => j.get('nbfClockSkew'),
    setAdditionalClaims: (f, j: NObj, [v]) => (j.set('additionalClaims', v), null),
    getAdditionalClaims: (f, j: NObj) => j.get('additionalClaims'),
    toJSONString: (f, j: NObj) => jwtJson(f, j),
    clone: (f, j: NObj) => {
      const c = new NObj('Auth.JWT');
      for (const [k, v] of j.fields) c.fields.set(k, v);
      return c;
    },
  },
});

function jwtJson(f: Frame, j: NObj): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = new ApexMap(STRING, { name: 'Object', args: [], array: 0 });
  // unverified: claim order and the presence of iat/nbf in Salesforce's output
  if (j.get('iss') !== null) claims.put('iss', j.get('iss'));
  if (j.get('sub') !== null) claims.put('sub', j.get('sub'));
  if (j.get('aud') !== null) claims.put('aud', j.get('aud'));
  const skew = j.get<number | null>('nbfClockSkew');
  if (skew !== null) claims.put('nbf', now - Number(skew));
  claims.put('exp', now + Number(j.get('validityLength') ?? 300));
  claims.put('iat', now);
  const extra = j.get<ApexMap | null>('additionalClaims');
  if (extra) for (const [k, v] of extra.map.values()) claims.put(k, v);
  return serialize(f, claims, { suppressNulls: false });
}

defineNative({
  name: 'Auth.JWS',
  construct: async (f, [jwtOrPayload, cert]) => {
    const payload = jwtOrPayload instanceof NObj ? jwtJson(f, jwtOrPayload) : str(jwtOrPayload);
    const signingInput = b64url(Buffer.from(JSON.stringify({ alg: 'RS256' }))) + '.' + b64url(Buffer.from(payload, 'utf8'));
    const sig = await signWithCert(f, 'RSA-SHA256', Buffer.from(signingInput, 'ascii'), str(cert));
    const j = new NObj('Auth.JWS');
    j.set('compact', signingInput + '.' + b64url(sig));
    return j;
  },
  methods: {
    getCompactSerialization: (f, j: NObj) => j.get('compact'),
    clone: (f, j: NObj) => j,
  },
});

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

async function exchange(f: Frame, x: NObj, site: Site): Promise<NObj> {
  const done = x.get<NObj | null>('response');
  if (done) return done;
  const req = newRequest();
  req.set('endpoint', x.get('tokenEndpoint'));
  req.set('method', 'POST');
  req.get<Headers>('headers').set('content-type', { name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
  const jws = x.get<NObj | null>('jws');
  const body = `grant_type=${javaUrlEncode(x.get<string>('grantType'))}&assertion=${javaUrlEncode(jws?.get<string>('compact') ?? '')}`;
  req.set('body', Buffer.from(body, 'utf8'));
  const res = await doCallout(f, req, site, true);
  x.set('response', res);
  return res;
}

defineNative({
  name: 'Auth.JWTBearerTokenExchange',
  construct: (f, [endpoint, jws]) => {
    const x = new NObj('Auth.JWTBearerTokenExchange');
    x.set('tokenEndpoint', endpoint ?? null);
    x.set('jws', jws ?? null);
    x.set('grantType', JWT_GRANT);
    return x;
  },
  methods: {
    getAccessToken: async (f, x: NObj, _a, site) => {
      const res = await exchange(f, x, site);
      const body = res.get<Buffer>('body').toString('utf8');
      const code = res.get<number>('statusCode');
      if (code !== 200) throwEx(f, 'Auth.JWTBearerTokenExchange.JWTBearerTokenExchangeException', `Error ${code}: ${body}`);
      let token: unknown = null;
      try {
        const m = untyped(parseJson(f, body));
        token = m instanceof ApexMap ? m.get('access_token') : null;
      } catch {
        token = null;
      }
      if (token === null) throwEx(f, 'Auth.JWTBearerTokenExchange.JWTBearerTokenExchangeException', `Error ${code}: ${body}`);
      return token;
    },
    getHttpResponse: (f, x: NObj, _a, site) => exchange(f, x, site),
    getGrantType: (f, x: NObj) => x.get('grantType'),
    setGrantType: (f, x: NObj, [g]) => (x.set('grantType', g), null),
    getJWS: (f, x: NObj) => x.get('jws'),
    setJWS: (f, x: NObj, [j]) => (x.set('jws', j), null),
    getTokenEndpoint: (f, x: NObj) => x.get('tokenEndpoint'),
    setTokenEndpoint: (f, x: NObj, [e]) => (x.set('tokenEndpoint', e), null),
  },
});

// ---------------------------------------------------------------- Url

function newUrl(s: string): NObj {
  const u = new NObj('System.Url');
  u.set('href', s);
  return u;
}
defineNative(
  {
    name: 'System.Url',
    construct: (f, [s]) => newUrl(str(s)),
    statics: {
      getOrgDomainUrl: (f) => newUrl(f.tx.host.instanceUrl),
      getSalesforceBaseUrl: (f) => newUrl(f.tx.host.instanceUrl),
      getCurrentRequestUrl: (f) => newUrl(f.tx.host.instanceUrl),
      getOrgDomainURL: (f) => newUrl(f.tx.host.instanceUrl),
    },
    methods: {
      toExternalForm: (f, u: NObj) => u.get('href'),
      getHost: (f, u: NObj) => new URL(u.get<string>('href')).hostname,
      getPath: (f, u: NObj) => new URL(u.get<string>('href')).pathname,
      getProtocol: (f, u: NObj) => new URL(u.get<string>('href')).protocol.replace(':', ''),
      getPort: (f, u: NObj) => Number(new URL(u.get<string>('href')).port || -1),
      getQuery: (f, u: NObj) => new URL(u.get<string>('href')).search.replace(/^\?/, '') || null,
      tostring: (f, u: NObj) => u.get('href'),
    },
  },
  'Url',
  'URL',
);

export { natives, randomInt };
