/**
 * Compiles a tab's Lightning web component as deployed to the org (md_components, not the repository)
 * with rollup + @lwc/rollup-plugin: the org's `c` bundles, `lightning/*` from lightning-base-components,
 * `@salesforce/*` from salesforceModules.ts. One bundle per deployed version: the key hashes every
 * bundle's files, so a redeploy compiles again and an unchanged org reuses the file on disk.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { DatabaseSync } from 'node:sqlite';
import { rollup, type RollupCache, type RollupLog } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import { listStoredComponents } from '../metadata/componentStore.ts';
import { salesforceModules, type OrgModuleLookups } from './salesforceModules.ts';

const HERE = import.meta.dirname;
const OVERRIDES = join(HERE, 'modules');
// Absolute, so the resolver finds it from a cache folder outside the project too.
const packageDir = (name: string) => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
const LBC = packageDir('lightning-base-components');
const LWC_RUNTIME = ['@lwc/engine-dom', '@lwc/synthetic-shadow', '@lwc/wire-service'].map((name) => ({ npm: packageDir(name) }));
const LBC_ANCHOR = join(LBC, 'src', 'lightning', 'primitiveIcon', 'primitiveIcon.js');
const COMPILER = 'lwc 9.4.3 / lightning-base-components 1.28.15-alpha / local-1';

export interface CompiledBundle {
  key: string;
  path: string;
}

export class CompileProblem extends Error {
  constructor(message: string, readonly fix: string) {
    super(message);
    this.name = 'CompileProblem';
  }
}

/** `latestOrgBAccounts` → `c-latest-org-b-accounts`, LWC's rule for custom element names. */
export const tagNameOf = (bundle: string): string => `c-${bundle.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

interface Bundle {
  name: string;
  files: Map<string, Buffer>;
}

function deployedBundles(db: DatabaseSync, orgId: string): Bundle[] {
  return listStoredComponents(db, orgId, 'LightningComponentBundle').map((c) => {
    const files = new Map<string, Buffer>();
    for (const [path, b64] of Object.entries(c.files)) {
      const rel = path.split('/').slice(path.split('/').indexOf(c.fullName) + 1).join('/');
      // Tests and metadata stay out of the bundle, as on Salesforce.
      if (!rel || rel.startsWith('__tests__/') || rel.endsWith('-meta.xml')) continue;
      files.set(rel, Buffer.from(b64, 'base64'));
    }
    return { name: c.fullName, files };
  });
}

function keyOf(bundles: Bundle[], component: string, lookups: OrgModuleLookups): string {
  const h = createHash('sha256').update(COMPILER).update(component).update(lookups.versionKey());
  for (const b of bundles) for (const [path, content] of [...b.files].sort(([a], [c]) => a.localeCompare(c))) h.update(`${b.name}/${path}\0`).update(content);
  return h.digest('hex').slice(0, 32);
}

/** Rollup's transform cache, kept in the process so a redeploy recompiles only what changed. */
let rollupCache: RollupCache | undefined;
const building = new Map<string, Promise<CompiledBundle>>();

export async function compileTabComponent(db: DatabaseSync, orgId: string, component: string, cacheDir: string, lookups: OrgModuleLookups): Promise<CompiledBundle> {
  const bundles = deployedBundles(db, orgId);
  if (!bundles.some((b) => b.name === component)) {
    throw new CompileProblem(`The org has no Lightning web component named ${component}.`, 'Deploy the bundle (sf project deploy start) with the tab that names it.');
  }
  const key = keyOf(bundles, component, lookups);
  const path = join(cacheDir, `${key}.js`);
  if (existsSync(path)) return { key, path };
  let pending = building.get(key);
  if (!pending) {
    pending = build(bundles, component, cacheDir, key, lookups).finally(() => building.delete(key));
    building.set(key, pending);
  }
  return pending;
}

async function build(bundles: Bundle[], component: string, cacheDir: string, key: string, lookups: OrgModuleLookups): Promise<CompiledBundle> {
  const src = join(cacheDir, `src-${key}`);
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
          load: (id) =>
            id === entry
              ? `import { mount } from ${JSON.stringify(join(HERE, 'client', 'mount.js'))};\nimport Component from 'c/${component}';\nmount(${JSON.stringify(tagNameOf(component))}, Component);\n`
              : null,
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
        else if (level === 'warn' && log.code !== 'PLUGIN_WARNING' && log.code !== 'CIRCULAR_DEPENDENCY' && log.code !== 'THIS_IS_UNDEFINED') problems.push(log.message);
      },
    });
    rollupCache = bundle.cache;
    const unresolved = problems.filter((p) => p.startsWith('imports '));
    if (unresolved.length) {
      throw new CompileProblem(`${tagNameOf(component)} cannot be rendered by the local platform: it ${unresolved.join('; it ')}.`, 'Supported: c/*, lightning/* (base components), @salesforce/apex/*, @salesforce/apex, @salesforce/user/Id, @salesforce/label/c.*, @salesforce/schema/*, and the @salesforce/i18n modules the base components use.');
    }
    const { output } = await bundle.generate({ format: 'iife', inlineDynamicImports: true, intro: 'var process = { env: {} };' });
    await bundle.close();
    const path = join(cacheDir, `${key}.js`);
    await writeFile(`${path}.tmp`, output[0].code);
    await rename(`${path}.tmp`, path);
    return { key, path };
  } catch (e) {
    if (e instanceof CompileProblem) throw e;
    const err = e as Error & { id?: string; loc?: { file?: string; line: number; column: number } };
    const where = err.loc ? ` (${(err.loc.file ?? err.id ?? '').replace(src, 'lwc').replace(/^.*node_modules\//, '')}:${err.loc.line}:${err.loc.column})` : '';
    throw new CompileProblem(`${tagNameOf(component)} does not compile: ${err.message}${where}`, 'Fix the component and deploy it again; Salesforce would reject it too.');
  } finally {
    await rm(src, { recursive: true, force: true });
  }
}

function unresolvedMessage(log: RollupLog): string {
  const source = /"([^"]+)" is imported/.exec(log.message)?.[1] ?? log.message;
  return `imports ${source}, which the local platform does not provide`;
}

export async function readCompiled(cacheDir: string, key: string): Promise<string | undefined> {
  if (!/^[0-9a-f]{32}$/.test(key)) return undefined;
  return readFile(join(cacheDir, `${key}.js`), 'utf8').catch(() => undefined);
}
