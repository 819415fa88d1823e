/**
 * Compiles a tab's Lightning web component as deployed to the org (md_components, not the repository)
 * with rollup + @lwc/rollup-plugin: the org's `c` bundles, `lightning/*` from lightning-base-components,
 * `@salesforce/*` from salesforceModules.ts. The key hashes every deployed bundle's files, the org's
 * labels, the compiler versions and our own client code, so one file serves every org with the same
 * components and a redeploy compiles again. `buildBundle` runs on a worker thread (bundleCompiler.ts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { threadId } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';
import { rollup, type RollupCache, type RollupLog } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import { listStoredComponents } from '../metadata/componentStore.ts';
import { salesforceModules } from './salesforceModules.ts';

const HERE = import.meta.dirname;
const OVERRIDES = join(HERE, 'modules');
// Absolute, so the resolver finds it from a cache folder outside the project too.
const packageDir = (name: string) => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
const LBC = packageDir('lightning-base-components');
const LWC_RUNTIME = ['@lwc/engine-dom', '@lwc/synthetic-shadow', '@lwc/wire-service'].map((name) => ({ npm: packageDir(name) }));
const LBC_ANCHOR = join(LBC, 'src', 'lightning', 'primitiveIcon', 'primitiveIcon.js');

/** What a bundle is made with besides the org's files: package versions and our own sources that end up in it. */
const COMPILER = (() => {
  const h = createHash('sha256');
  for (const name of ['@lwc/compiler', '@lwc/rollup-plugin', '@lwc/engine-dom', 'lightning-base-components', 'rollup'])
    h.update(`${name}@${JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).version}\0`);
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
  for (const f of [
    ...files(join(HERE, 'client')),
    ...files(OVERRIDES),
    join(HERE, 'salesforceModules.ts'),
    join(HERE, 'compile.ts'),
  ].sort())
    h.update(f.slice(HERE.length)).update(readFileSync(f));
  return h.digest('hex');
})();

export interface CompiledBundle {
  key: string;
  path: string;
}

export class CompileProblem extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'CompileProblem';
  }
}

/** `latestOrgBAccounts` → `c-latest-org-b-accounts`, LWC's rule for custom element names. */
export const tagNameOf = (bundle: string): string => `c-${bundle.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** An LWC bundle as deployed: its name and files (path inside the bundle → content), tests and metadata left out. */
export interface DeployedBundle {
  name: string;
  files: [string, Uint8Array][];
}

export function deployedBundles(db: DatabaseSync, orgId: string): DeployedBundle[] {
  return listStoredComponents(db, orgId, 'LightningComponentBundle').map((c) => {
    const files: [string, Uint8Array][] = [];
    for (const [path, b64] of Object.entries(c.files)) {
      const rel = path
        .split('/')
        .slice(path.split('/').indexOf(c.fullName) + 1)
        .join('/');
      // Tests and metadata stay out of the bundle, as on Salesforce.
      if (!rel || rel.startsWith('__tests__/') || rel.endsWith('-meta.xml')) continue;
      files.push([rel, Buffer.from(b64, 'base64')]);
    }
    return { name: c.fullName, files: files.sort(([a], [b]) => a.localeCompare(b)) };
  });
}

/** A tab's component, or a Lightning page's custom components: `name` or `a,b` (LWC names have no commas). */
export const componentList = (names: string[]): string => [...new Set(names)].sort().join(',');

/** The entry module: imports each component and hands them to client/mount.js, which places them. */
function entrySource(component: string): string {
  const names = component.split(',');
  const imports = names.map((n, i) => `import C${i} from 'c/${n}';`).join('\n');
  const table = names.map((n, i) => `${JSON.stringify(n)}: [${JSON.stringify(tagNameOf(n))}, C${i}]`).join(', ');
  return `import { mount } from ${JSON.stringify(join(HERE, 'client', 'mount.js'))};\n${imports}\nmount({ ${table} });\n`;
}

/** Everything a build needs, as plain data (it crosses to a worker thread). */
export interface BuildInput {
  bundles: DeployedBundle[];
  /** One component, or several joined by commas (componentList). */
  component: string;
  /** The org's custom labels, name → value. */
  labels: [string, string][];
  key: string;
}

export function bundleKey(bundles: DeployedBundle[], component: string, labels: [string, string][]): string {
  const h = createHash('sha256').update(COMPILER).update(component).update(JSON.stringify(labels));
  for (const b of bundles) for (const [path, content] of b.files) h.update(`${b.name}/${path}\0`).update(content);
  return h.digest('hex').slice(0, 32);
}

/** Rollup's transform cache, kept in this thread so a redeploy recompiles only what changed. */
let rollupCache: RollupCache | undefined;

/** Builds `<dir>/<key>.js`, or throws a CompileProblem saying what to fix. */
export async function buildBundle(input: BuildInput, cacheDir: string): Promise<void> {
  const { bundles, component, key } = input;
  const labels = new Map(input.labels);
  const lookups = { label: (name: string) => labels.get(name) };
  // One folder per thread, the same for every build: rollup's cache keeps the entry's resolved imports,
  // which must still point at the org's files in the next build (builds in a thread run one at a time).
  const src = join(cacheDir, `src-${process.pid}-${threadId}`);
  await rm(src, { recursive: true, force: true });
  for (const b of bundles) {
    for (const [rel, content] of b.files) {
      const file = join(src, 'c', b.name, rel);
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, content);
    }
  }
  // The LWC resolver looks for a package with an lwc config above each module; the cache may live outside any project.
  await writeFile(join(src, 'package.json'), JSON.stringify({ name: 'lp-deployed-components', private: true, lwc: { modules: [] } }));
  const problems: string[] = [];
  const entry = '\0lp-entry';
  try {
    const bundle = await rollup({
      input: entry,
      cache: rollupCache,
      plugins: [
        {
          name: 'lp-entry',
          resolveId: (id) => (id === entry ? id : null),
          load: (id) => (id === entry ? entrySource(component) : null),
        },
        salesforceModules(lookups, join(HERE, 'client')),
        {
          // Our replacement base components import what the base components import (private modules
          // included), so resolve their imports as if from inside lightning-base-components.
          name: 'lp-overrides',
          resolveId(source, importer) {
            if (!importer?.startsWith(OVERRIDES) || source.startsWith('.') || source === 'lwc') return null;
            return this.resolve(source, LBC_ANCHOR, { skipSelf: true });
          },
        },
        lwc({
          // Package resolution (lightning-base-components, @lwc/*) from this project, wherever the cache is.
          rootDir: HERE,
          // Ours first: lightning/primitiveIcon drawn from the SLDS sprites (see its source).
          modules: [{ dir: src }, { dir: OVERRIDES }, { npm: LBC }],
          defaultModules: LWC_RUNTIME,
          enableDynamicComponents: true,
        }),
        // After the LWC compiler, so generated code is covered too.
        {
          // A production build for the browser, as Lightning serves: dev-mode checks and SSR branches drop out.
          name: 'lp-build-flags',
          transform: (code) =>
            code.includes('process.env.NODE_ENV') || code.includes('import.meta.env.SSR')
              ? { code: code.replaceAll('process.env.NODE_ENV', '"production"').replaceAll('import.meta.env.SSR', 'false'), map: null }
              : null,
        },
      ],
      onLog(level, log: RollupLog) {
        if (log.code === 'UNRESOLVED_IMPORT') problems.push(unresolvedMessage(log));
        else if (
          level === 'warn' &&
          log.code !== 'PLUGIN_WARNING' &&
          log.code !== 'CIRCULAR_DEPENDENCY' &&
          log.code !== 'THIS_IS_UNDEFINED'
        )
          problems.push(log.message);
      },
    });
    rollupCache = bundle.cache;
    const unresolved = problems.filter((p) => p.startsWith('imports '));
    if (unresolved.length) {
      throw new CompileProblem(
        `${tagNameOf(component)} cannot be rendered by the local platform: it ${unresolved.join('; it ')}.`,
        'Supported: c/*, lightning/* (base components), @salesforce/apex/*, @salesforce/apex, @salesforce/user/Id, @salesforce/label/c.*, @salesforce/schema/*, and the @salesforce/i18n modules the base components use.',
      );
    }
    const { output } = await bundle.generate({ format: 'iife', inlineDynamicImports: true, intro: 'var process = { env: {} };' });
    await bundle.close();
    const path = join(cacheDir, `${key}.js`);
    await writeFile(`${path}.${process.pid}.tmp`, output[0].code);
    await rename(`${path}.${process.pid}.tmp`, path);
  } catch (e) {
    if (e instanceof CompileProblem) throw e;
    const err = e as Error & { id?: string; loc?: { file?: string; line: number; column: number } };
    const where = err.loc
      ? ` (${(err.loc.file ?? err.id ?? '').replace(src, 'lwc').replace(/^.*node_modules\//, '')}:${err.loc.line}:${err.loc.column})`
      : '';
    throw new CompileProblem(
      `${tagNameOf(component)} does not compile: ${err.message}${where}`,
      'Fix the component and deploy it again; Salesforce would reject it too.',
    );
  } finally {
    await rm(src, { recursive: true, force: true });
  }
}

function unresolvedMessage(log: RollupLog): string {
  const source = /"([^"]+)" is imported/.exec(log.message)?.[1] ?? log.message;
  return `imports ${source}, which the local platform does not provide`;
}

/** The org's custom labels (labels/CustomLabels.labels), name → value, sorted by name. */
export function orgLabels(db: DatabaseSync, orgId: string): [string, string][] {
  const xml = listStoredComponents(db, orgId, 'CustomLabels')
    .concat(listStoredComponents(db, orgId, 'CustomLabel'))
    .flatMap((c) => Object.values(c.files).map((b64) => Buffer.from(b64, 'base64').toString('utf8')))
    .join('\n');
  const labels = new Map<string, string>();
  for (const m of xml.matchAll(/<labels>([\s\S]*?)<\/labels>|<CustomLabel\b[^>]*>([\s\S]*?)<\/CustomLabel>/g)) {
    const inner = m[1] ?? m[2] ?? '';
    const name = /<fullName>([^<]+)<\/fullName>/.exec(inner)?.[1];
    const value = /<value>([\s\S]*?)<\/value>/.exec(inner)?.[1];
    if (name && value !== undefined)
      labels.set(
        name.trim(),
        value
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&apos;/g, "'")
          .replace(/&amp;/g, '&'),
      );
  }
  return [...labels].sort(([a], [b]) => a.localeCompare(b));
}
