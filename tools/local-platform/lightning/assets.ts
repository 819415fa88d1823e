/**
 * `/assets/*`: the Salesforce Lightning Design System's styles, icon sprites and images from
 * @salesforce-ux/design-system (the path lightning-base-components' icons use by default). Public, as
 * Salesforce's static resources of the UI are.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';

const ROOT = join(dirname(createRequire(import.meta.url).resolve('@salesforce-ux/design-system/package.json')), 'assets');
const TYPES: Record<string, string> = {
  '.css': 'text/css;charset=UTF-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** Serves one asset; false when the path is not one (the caller answers 404). */
export async function serveAsset(path: string, res: ServerResponse): Promise<boolean> {
  const rel = normalize(decodeURIComponent(path.slice('/assets/'.length)));
  const type = TYPES[extname(rel)];
  if (!type || rel.startsWith('..') || rel.includes(`${sep}..`)) return false;
  const file = join(ROOT, rel);
  if (!file.startsWith(ROOT + sep)) return false;
  const content = await readFile(file).catch(() => undefined);
  if (!content) return false;
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(content.length), 'Cache-Control': 'public, max-age=86400' });
  res.end(content);
  return true;
}
