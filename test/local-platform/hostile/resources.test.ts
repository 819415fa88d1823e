/**
 * Resources under a hostile or unlucky client: the session is checked before a body is read, each route
 * reads no more than its own limit, a full disk refuses writes with a clear error while reads go on (and
 * writes come back with the space), a log that cannot be written never takes the server down, and a
 * malformed percent-encoding in a path is a Salesforce-shaped 404, not a 500.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startWorld, V, type World } from './world.ts';
import { lineLog } from '../../../tools/local-platform/http/lineLog.ts';
import { createBrowserSession, sessionCookieName } from '../../../tools/local-platform/lightning/uiSessions.ts';

let w: World;
let logFails = false;
const logged: string[] = [];
beforeAll(async () => {
  w = await startWorld({
    log: (line) => {
      if (logFails) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      logged.push(line);
    },
  });
}, 180_000);
afterAll(async () => w?.p.cleanup());

/**
 * Sends the headers of a `declared`-byte POST and only its first 64 KB; resolves with the status the
 * server answers while the rest has not been sent (or 0 if it waits for the body, as it did).
 */
function partialUpload(path: string, declared: number, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, w.p.url);
    const req = request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(declared), ...headers },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(0);
    }, 3000);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', (e) => (timer.hasRef() ? reject(e) : undefined));
    req.write(Buffer.alloc(64 * 1024, 0x20));
  });
}

describe('request bodies', () => {
  it('an unauthenticated 49 MB POST gets its 401 before the body is sent', async () => {
    expect(await partialUpload(`${V}/sobjects/Account`, 49 * 1024 * 1024)).toBe(401);
    expect(await partialUpload('/services/apexrest/AccountRetriever', 49 * 1024 * 1024, { Authorization: 'Bearer made-up' })).toBe(401);
  });

  it('each route has its own limit: the token endpoint and /aura refuse what the data API takes', async () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const token = await call(w.p.url, undefined, '/services/oauth2/token', {
      method: 'POST',
      headers: form,
      body: `grant_type=x&pad=${'a'.repeat(2 * 1024 * 1024)}`,
    });
    expect(token.status).toBe(413);
    expect(token.body[0].errorCode).toBe('REQUEST_ENTITY_TOO_LARGE');
    const aura = await call(w.p.url, undefined, '/aura', { method: 'POST', headers: form, body: `message=${'a'.repeat(5 * 1024 * 1024)}` });
    expect(aura.status).toBe(413);
    const data = await call(w.p.url, w.adminToken, `${V}/sobjects/Account`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Name: 'Big', Description: 'd'.repeat(20_000), Website: 'x'.repeat(200) }),
    });
    expect(data.status).toBe(201);
  });
});

describe('a full disk', () => {
  const post = (name: string) =>
    call(w.p.url, w.adminToken, `${V}/sobjects/Account`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Name: name, Description: 'x'.repeat(8000) }),
    });
  const count = async () =>
    (await call(w.p.url, w.adminToken, `${V}/query?q=${encodeURIComponent("SELECT COUNT() FROM Account WHERE Name LIKE 'Full%'")}`)).body
      .totalSize;

  it('refuses writes with STORAGE_LIMIT_EXCEEDED, keeps serving reads, and takes writes again once space returns', async () => {
    // SQLite's page limit stands in for the disk: a write past it fails with SQLITE_FULL, as a full disk does.
    const pages = (w.p.db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    w.p.db.exec(`PRAGMA max_page_count = ${pages}`);
    try {
      let refused: Awaited<ReturnType<typeof post>> | undefined;
      for (let i = 0; i < 50 && !refused; i++) {
        const r = await post(`Full ${i}`);
        if (r.status !== 201) refused = r;
      }
      expect(refused?.status).toBe(507);
      expect(refused?.body[0].errorCode).toBe('STORAGE_LIMIT_EXCEEDED');
      expect(refused?.body[0].message).toMatch(/disk .* is full\. Free some space there and retry; reads still work\./);
      const read = await call(w.p.url, w.integrationToken, '/services/apexrest/AccountRetriever');
      expect(read.status).toBe(200);
      expect(logged.join('\n')).toContain('write refused, disk full: POST');
    } finally {
      w.p.db.exec('PRAGMA max_page_count = 1073741823');
    }
    const before = await count();
    expect((await post('Full after')).status).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('a log that cannot be written drops lines, never a request or the process', async () => {
    logFails = true;
    try {
      for (let i = 0; i < 3; i++) expect((await call(w.p.url, w.adminToken, `${V}/limits`)).status).toBe(200);
      expect((await call(w.p.url, w.adminToken, '/services/apexrest/%E0%A4%A')).status).toBe(404);
    } finally {
      logFails = false;
    }
    expect((await call(w.p.url, w.adminToken, `${V}/limits`)).status).toBe(200);
  });

  it('the server log says how many lines it lost once it can write again', () => {
    const written: string[] = [];
    let full = true;
    const log = lineLog(
      (t) => {
        if (full) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
        written.push(t);
      },
      () => new Date(0),
    );
    log('a');
    log('b');
    full = false;
    log('c');
    expect(written).toEqual([
      '1970-01-01T00:00:00.000Z 2 log line(s) dropped: the log could not be written (disk full?)\n',
      '1970-01-01T00:00:00.000Z c\n',
    ]);
  });
});

describe('malformed percent-encoding in a path', () => {
  it.each(['/services/apexrest/%E0%A4%A', '/services/apexrest/AccountRetriever/%', '/lightning/n/%E0%A4%A', '/assets/%E0%A4%A'])(
    "%s is a 404 with Salesforce's error shape",
    async (path) => {
      // With a browser session too, so the Lightning path reaches its decoding.
      const s = createBrowserSession(w.p.db, w.org, w.adminId, 60);
      const r = await call(w.p.url, w.adminToken, path, {
        headers: { Cookie: `${sessionCookieName(w.org)}=${encodeURIComponent(s.sid)}` },
      });
      expect(r.status).toBe(404);
      expect(r.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    },
  );
});
