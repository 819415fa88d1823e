/**
 * Reads the project's Apex classes and certificate names, so the project's tests can run locally
 * without an org. Classes are found by suffix in any folder of a package directory, as
 * source-deploy-retrieve finds them (`classes/<Group>/X.cls`, `tests/X.cls`).
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import type { ApexClassSource, ApexTriggerSource, FeatureParameterSource } from './host.ts';
import type { SchemaObject } from './describe.ts';
import { readProjectObjects } from './projectObjects.ts';
import { readApp, readTab, type AppSource, type TabSource } from './tabs.ts';
import { readCustomMetadataRecords, readSetupRows } from './projectRecords.ts';
import { sourceFormatFiles } from './metadataFormat.ts';

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

export function readProjectClasses(sourceDirs: string[]): ApexClassSource[] {
  const files = sourceDirs.flatMap((d) => walk(d)).filter((f) => f.endsWith('.cls'));
  return files.sort().map((f) => ({ name: basename(f, '.cls'), body: readFileSync(f, 'utf8') }));
}

/** `.trigger` files anywhere in the source folders (as SDR finds them), Inactive per their -meta.xml. */
export function readProjectTriggers(sourceDirs: string[]): ApexTriggerSource[] {
  const files = sourceDirs.flatMap((d) => walk(d)).filter((f) => f.endsWith('.trigger'));
  return files.sort().map((f) => {
    const meta = existsSync(f + '-meta.xml') ? readFileSync(f + '-meta.xml', 'utf8') : '';
    return {
      name: basename(f, '.trigger'),
      body: readFileSync(f, 'utf8'),
      status: /<status>\s*Inactive\s*<\/status>/.test(meta) ? 'Inactive' : 'Active',
    };
  });
}

export function readCertificateNames(sourceDirs: string[]): string[] {
  return sourceDirs
    .flatMap((d) => walk(d))
    .filter((f) => /\/certs\/[^/]+\.crt$/.test(f))
    .map((f) => basename(f, '.crt'));
}

/** Custom labels of the project (`labels/*.labels-meta.xml`): full name → value. */
export function readProjectLabels(files: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  for (const f of files.filter((x) => /\.labels-meta\.xml$/.test(x))) {
    for (const block of readFileSync(f, 'utf8').split('<labels>').slice(1)) {
      const name = /<fullName>([^<]*)<\/fullName>/.exec(block)?.[1];
      const value = /<value>([\s\S]*?)<\/value>/.exec(block)?.[1];
      if (name && value !== undefined) out[name] = unescape(value);
    }
  }
  return out;
}

/** `featureParameters/X.featureParameterInteger-meta.xml` (…Boolean, …Date): name, type and default value. */
export function readFeatureParameters(files: string[]): FeatureParameterSource[] {
  return files.flatMap((f) => {
    const m = /\/featureParameters\/([^/]+)\.featureParameter(Boolean|Date|Integer)-meta\.xml$/.exec(f);
    if (!m) return [];
    const value = /<value>([^<]*)<\/value>/.exec(readFileSync(f, 'utf8'))?.[1]?.trim() ?? null;
    return [{ name: m[1], type: m[2] as FeatureParameterSource['type'], value }];
  });
}

/** A permission set of the project as an org has it deployed: object and field permissions. */
export interface ProjectPermissionSet {
  name: string;
  label: string;
  objectPermissions: Record<string, { read: boolean; create: boolean; edit: boolean; delete: boolean }>;
  fieldPermissions: Record<string, { readable: boolean; editable: boolean }>;
}

/** What an org would have after deploying the project, beside its classes and triggers. */
export interface ProjectSetup {
  /** certificate developer name → a throwaway PEM private key */
  certificates: Record<string, string>;
  cachePartitions: Record<string, number>;
  sessionPartitions: Record<string, number>;
  objects: SchemaObject[];
  labels: Record<string, string>;
  /** Feature parameters (`featureParameters/`), for FeatureManagement. */
  featureParameters: FeatureParameterSource[];
  /** Apps (`applications/`) and custom tabs (`tabs/`), for Schema.describeTabs. */
  apps: { apps: AppSource[]; tabs: TabSource[] };
  permissionSets: ProjectPermissionSet[];
  /** Custom metadata records, custom permissions, static resources, cache partitions. */
  rows: { sobject: string; rows: Record<string, unknown>[] }[];
}

/**
 * Each certificate of the project gets a throwaway RSA key (the real private key never leaves the real
 * org, so local tests sign with a stand-in).
 */
export function readProjectSetup(sourceDirs: string[]): ProjectSetup {
  // a package directory in the Metadata API's format (an old `src` folder) reads as the source format
  const files = sourceFormatFiles(sourceDirs.flatMap((d) => walk(d)));
  const certificates: Record<string, string> = {};
  for (const name of readCertificateNames(sourceDirs)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    certificates[name] = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
  const cachePartitions: Record<string, number> = {};
  const sessionPartitions: Record<string, number> = {};
  for (const f of files.filter((x) => /\/cachePartitions\/[^/]+\.cachePartition-meta\.xml$/.test(x))) {
    const xml = readFileSync(f, 'utf8');
    const capacity = (type: string) => {
      const block = xml.split('<platformCachePartitionTypes>').find((b) => b.includes(`<cacheType>${type}</cacheType>`));
      const cap = block ? /<allocatedCapacity>(\d+)<\/allocatedCapacity>/.exec(block) : null;
      return cap ? Number(cap[1]) : 0;
    };
    const name = basename(f).replace(/\.cachePartition-meta\.xml$/, '');
    cachePartitions[name] = capacity('Organization');
    sessionPartitions[name] = capacity('Session');
  }
  const objects = readProjectObjects(files);
  const permissionSets: ProjectPermissionSet[] = [];
  for (const f of files.filter((x) => /\/permissionsets\/[^/]+\.permissionset-meta\.xml$/.test(x))) {
    const xml = readFileSync(f, 'utf8');
    const perms: ProjectPermissionSet['objectPermissions'] = {};
    for (const block of xml.split('<objectPermissions>').slice(1)) {
      const get = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(block)?.[1];
      const obj = get('object');
      if (obj)
        perms[obj] = {
          read: get('allowRead') === 'true',
          create: get('allowCreate') === 'true',
          edit: get('allowEdit') === 'true',
          delete: get('allowDelete') === 'true',
        };
    }
    const fields: ProjectPermissionSet['fieldPermissions'] = {};
    for (const block of xml.split('<fieldPermissions>').slice(1)) {
      const get = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(block)?.[1];
      const field = get('field');
      if (field) fields[field] = { readable: get('readable') === 'true', editable: get('editable') === 'true' };
    }
    const name = basename(f).replace(/\.permissionset-meta\.xml$/, '');
    permissionSets.push({
      name,
      label: /<label>([^<]*)<\/label>/.exec(xml)?.[1] ?? name,
      objectPermissions: perms,
      fieldPermissions: fields,
    });
  }
  return {
    certificates,
    cachePartitions,
    sessionPartitions,
    objects,
    labels: readProjectLabels(files),
    featureParameters: readFeatureParameters(files),
    apps: {
      apps: files.filter((x) => /\/applications\/[^/]+\.app-meta\.xml$/.test(x)).flatMap((x) => readApp(readFileSync(x, 'utf8')) ?? []),
      tabs: files
        .filter((x) => /\/tabs\/[^/]+\.tab-meta\.xml$/.test(x))
        .map((x) => readTab(basename(x).replace(/\.tab-meta\.xml$/, ''), readFileSync(x, 'utf8'))),
    },
    permissionSets,
    rows: [...readCustomMetadataRecords(files, objects), ...readSetupRows(files)],
  };
}
