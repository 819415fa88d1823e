/**
 * The corpus manifests (test/corpus/*.json): which public Apex projects `npm run corpus` measures, at
 * which commit, from which source folders, and which other projects each needs deployed first. A
 * project measured with `dependsOn` deploys its dependencies' source folders beside its own (as its CI
 * deploys them to the org first), and only its own classes' tests and compile errors count in its row.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';

export interface CorpusProject {
  repo: string;
  commit: string;
  licence: string;
  sourceDirs: string[];
  why: string;
  /** Repositories (listed in the manifest's `projects` or `dependencies`) whose source folders deploy first. */
  dependsOn?: string[];
}

export interface CorpusManifest {
  /** Measured, one row each. */
  projects: CorpusProject[];
  /** Deployed for the projects that name them in `dependsOn`, never measured on their own. */
  dependencies: CorpusProject[];
}

export function readManifest(path: string): CorpusManifest {
  if (!existsSync(path))
    throw new ToolError(`No corpus manifest at ${path}.`, 'CorpusManifestMissing', [
      'Pass --manifest with a path to a JSON file such as test/corpus/projects.json or test/corpus/heldout.json',
    ]);
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<CorpusManifest>;
  const manifest = { projects: raw.projects ?? [], dependencies: raw.dependencies ?? [] };
  const known = new Set([...manifest.projects, ...manifest.dependencies].map((p) => p.repo.toLowerCase()));
  for (const p of manifest.projects)
    for (const d of p.dependsOn ?? [])
      if (!known.has(d.toLowerCase()))
        throw new ToolError(`${p.repo} depends on ${d}, which ${path} does not list.`, 'CorpusDependencyMissing', [
          `Add ${d} (repo, commit, licence, sourceDirs, why) to the manifest's "dependencies" or "projects"`,
        ]);
  return manifest;
}

/** The projects to deploy before `p`, dependencies of dependencies first, each once. */
export function dependencyOrder(p: CorpusProject, manifest: CorpusManifest): CorpusProject[] {
  const byRepo = new Map([...manifest.dependencies, ...manifest.projects].map((q) => [q.repo.toLowerCase(), q]));
  const order: CorpusProject[] = [];
  const visit = (q: CorpusProject, path: string[]) => {
    for (const d of q.dependsOn ?? []) {
      const dep = byRepo.get(d.toLowerCase())!;
      if (path.includes(dep.repo))
        throw new ToolError(`Corpus dependencies form a cycle: ${[...path, dep.repo].join(' -> ')}.`, 'CorpusDependencyCycle', [
          'Remove one of the dependsOn entries of the cycle',
        ]);
      visit(dep, [...path, dep.repo]);
      if (!order.includes(dep)) order.push(dep);
    }
  };
  visit(p, [p.repo]);
  return order;
}

export const checkoutName = (p: CorpusProject) => p.repo.replace('/', '+');

/** Names of the Apex classes and triggers under the folders (any depth), lower case. */
export function apexNames(dirs: string[]): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.(cls|trigger)$/i.test(e.name))
        names.add(
          basename(e.name)
            .replace(/\.(cls|trigger)$/i, '')
            .toLowerCase(),
        );
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return names;
}
