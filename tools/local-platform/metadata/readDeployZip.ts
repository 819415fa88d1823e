/**
 * Turns a Metadata API deploy zip into components: each with its type, full name and files, plus the
 * package.xml manifest. Files are keyed by their path from the package root (`classes/A.cls`), which is
 * also the `fileName` Salesforce puts in deploy messages.
 */
import JSZip from 'jszip';
import { asArray, parseXml, text, type XmlNode } from './metadataXml.ts';
import { typeForPath, type TypeInfo } from './metadataRegistry.ts';

export interface DeployComponent {
  type: string;
  fullName: string;
  /** Main file: the content file for content types, the XML otherwise, the js-meta.xml for bundles. */
  fileName: string;
  /** Metadata XML file (the `-meta.xml` for content types, the file itself for XML-only types). */
  xmlFileName?: string;
  files: Map<string, Buffer>;
  info: TypeInfo;
}

export interface DeployPackage {
  components: DeployComponent[];
  /** Members named in package.xml, by type; `*` stands for every member of the type in the zip. */
  manifest: Map<string, string[]>;
  destructive: Map<string, string[]>;
  apiVersion?: string;
}

export class PackageError extends Error {}

const MAX_FILES = 10_000;
const MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024;

/**
 * Inflates one entry, counting the bytes actually produced: a zip may declare 1,000 bytes and hold a
 * bomb, so the declared sizes above are only a first filter. Stops at the deploy's remaining budget.
 */
function inflateCapped(file: JSZip.JSZipObject, name: string, budget: () => number, add: (n: number) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream = (
      file as unknown as {
        internalStream(t: 'nodebuffer'): { on(e: string, f: (x: never) => void): unknown; pause(): void; resume(): void };
      }
    ).internalStream('nodebuffer');
    let failed = false;
    stream.on('data', (chunk: Buffer) => {
      if (failed) return;
      add(chunk.length);
      if (budget() < 0) {
        failed = true;
        stream.pause();
        chunks.length = 0;
        reject(new PackageError(`The zip file expands past 600 MB (at ${name}); a deploy can hold at most 600 MB uncompressed.`));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('error', (e: Error) => !failed && reject(new PackageError(`The zip file is not valid: ${e.message}`)));
    stream.on('end', () => !failed && resolve(Buffer.concat(chunks)));
    stream.resume();
  });
}

/** Bytes a deploy may inflate to (Metadata API limit); a parameter for tests. */
export const limits = { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES };

export async function readDeployZip(zipBuffer: Buffer): Promise<DeployPackage> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(zipBuffer);
  } catch (e) {
    throw new PackageError(`The zip file is not valid: ${(e as Error).message}`);
  }
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
  // Metadata API limits: 10,000 files and 600 MB uncompressed per deploy. The sizes come from the zip's
  // directory, so a zip bomb is refused before anything is inflated.
  if (names.length > MAX_FILES)
    throw new PackageError(`The zip file contains ${names.length} files; a deploy can hold at most ${MAX_FILES}.`);
  const declared = names.reduce(
    (n, name) => n + ((zip.files[name] as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0),
    0,
  );
  if (declared > limits.maxUncompressedBytes)
    throw new PackageError(`The zip file expands to ${Math.round(declared / 1048576)} MB; a deploy can hold at most 600 MB uncompressed.`);
  // JSZip resolves `../` in names as it loads (keeping what the zip said as unsafeOriginalName): judge the original.
  const original = (n: string) => (zip.files[n] as unknown as { unsafeOriginalName?: string }).unsafeOriginalName ?? n;
  const unsafe = names.map(original).find((n) => n.startsWith('/') || n.split('/').includes('..') || n.includes('\\'));
  if (unsafe) throw new PackageError(`The zip file contains an invalid path: ${unsafe}`);
  // The package root is the folder holding package.xml (SDR zips have it at the top; mdapi folders may nest it).
  const manifestPath = names.filter((n) => n === 'package.xml' || n.endsWith('/package.xml')).sort((a, b) => a.length - b.length)[0];
  if (!manifestPath) throw new PackageError('No package.xml found');
  const root = manifestPath.slice(0, -'package.xml'.length);

  const files = new Map<string, Buffer>();
  let produced = 0;
  for (const n of names) {
    if (!n.startsWith(root)) continue;
    files.set(
      n.slice(root.length),
      await inflateCapped(
        zip.files[n]!,
        n,
        () => limits.maxUncompressedBytes - produced,
        (k) => (produced += k),
      ),
    );
  }
  const manifest = readManifest(files.get('package.xml')!, 'package.xml');
  const destructive = new Map<string, string[]>();
  for (const d of ['destructiveChanges.xml', 'destructiveChangesPre.xml', 'destructiveChangesPost.xml']) {
    const buf = files.get(d);
    if (buf) for (const [t, m] of readManifest(buf, d).types) destructive.set(t, [...(destructive.get(t) ?? []), ...m]);
  }

  const components = new Map<string, DeployComponent>();
  for (const [path, buf] of files) {
    if (!path.includes('/')) continue; // package.xml, destructiveChanges*.xml
    const parts = path.split('/');
    const dir = parts[0]!;
    const info = typeForPath(dir, parts[parts.length - 1]!);
    if (!info) continue; // SDR never zips unknown folders; nothing to deploy
    let fullName: string;
    if (info.bundle) {
      fullName = parts[1]!;
    } else {
      const rel = parts
        .slice(1)
        .join('/')
        .replace(/-meta\.xml$/, '');
      fullName = info.suffix && rel.endsWith(`.${info.suffix}`) ? rel.slice(0, -info.suffix.length - 1) : rel.replace(/\.[^./]+$/, '');
    }
    const key = `${info.name}#${fullName}`;
    let c = components.get(key);
    if (!c) {
      c = { type: info.name, fullName, fileName: path, files: new Map(), info };
      components.set(key, c);
    }
    c.files.set(path, buf);
  }
  for (const c of components.values()) {
    const paths = [...c.files.keys()];
    if (c.info.bundle) {
      c.xmlFileName = paths.find((p) => p.endsWith('.js-meta.xml') || p.endsWith('.cmp') || p.endsWith('-meta.xml'));
      c.fileName = c.xmlFileName ?? paths[0]!;
    } else if (c.info.hasContent) {
      c.xmlFileName = paths.find((p) => p.endsWith('-meta.xml'));
      c.fileName = paths.find((p) => !p.endsWith('-meta.xml')) ?? c.xmlFileName!;
    } else {
      c.xmlFileName = paths[0];
      c.fileName = paths[0]!;
    }
  }
  return { components: [...components.values()], manifest: manifest.types, destructive, apiVersion: manifest.version };
}

export function readManifest(buf: Buffer, fileName: string): { types: Map<string, string[]>; version?: string } {
  let doc: XmlNode;
  try {
    doc = parseXml(buf.toString('utf8'));
  } catch (e) {
    throw new PackageError(`Error parsing file ${fileName}: ${(e as Error).message}`);
  }
  const pkg = doc['Package'] as XmlNode | undefined;
  if (!pkg || typeof pkg !== 'object') throw new PackageError(`Error parsing file ${fileName}: the root element must be Package`);
  const types = new Map<string, string[]>();
  for (const t of asArray<XmlNode>(pkg['types'])) {
    const name = text(t['name']);
    if (!name) continue;
    types.set(name, [...(types.get(name) ?? []), ...asArray(t['members']).map((m) => text(m) ?? '')]);
  }
  return { types, version: text(pkg['version']) };
}
