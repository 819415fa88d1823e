/**
 * Bounded input: a zip bomb that lies about its sizes is stopped by the bytes it actually inflates to,
 * and over-long text is refused with Salesforce's STRING_TOO_LONG instead of being stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { limits, readDeployZip } from '../../../tools/local-platform/metadata/readDeployZip.ts';
import { call, startWorld, V, type World } from './world.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 180_000);
afterAll(async () => w?.p.cleanup());

/** A deploy zip whose one big entry declares `declared` bytes in both headers but inflates to `real`. */
async function lyingZip(real: number, declared: number): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('package.xml', '<?xml version="1.0"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>62.0</version></Package>');
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
    const post = (fields: Record<string, unknown>) => call(w.p.url, w.adminToken, `${V}/sobjects/Account`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fields) });
    const name = await post({ Name: 'n'.repeat(100_000) });
    expect(name.status).toBe(400);
    expect(name.body[0]).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['Name'] });
    expect(name.body[0].message).toMatch(/^Account Name: data value too large: n{80}\.\.\. \(max length=255\)$/);
    const description = await post({ Name: 'Long', Description: 'd'.repeat(49 * 1024 * 1024) });
    expect(description.body[0]).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['Description'] });
    expect((await post({ Name: 'n'.repeat(255), Description: 'd'.repeat(32_000) })).status).toBe(201);
    const count = await call(w.p.url, w.adminToken, `${V}/query?q=${encodeURIComponent("SELECT COUNT() FROM Account WHERE Name = 'Long'")}`);
    expect(count.body.totalSize).toBe(0);
  });
});
