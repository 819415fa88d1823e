/**
 * The corpus manifests: both committed manifests read and name only known dependencies; a project's
 * dependencies deploy first (theirs before theirs), a missing or cyclic dependency is a clear error, and
 * the own-class filter sees classes and triggers at any folder depth.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apexNames, dependencyOrder, readManifest, type CorpusProject } from '../../tools/cli/corpusManifest.ts';

const root = join(import.meta.dirname, '..', '..');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'corpus-manifest-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const project = (repo: string, dependsOn?: string[]): CorpusProject => ({
  repo,
  commit: '0'.repeat(40),
  licence: 'MIT',
  sourceDirs: ['src'],
  why: 'test',
  dependsOn,
});

async function manifestFile(name: string, body: object): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(body));
  return path;
}

describe('corpus manifests', () => {
  it('reads both committed manifests; the held-out set is apart from the tuned one', () => {
    const tuned = readManifest(join(root, 'test', 'corpus', 'projects.json'));
    const heldout = readManifest(join(root, 'test', 'corpus', 'heldout.json'));
    expect(heldout.projects.length).toBeGreaterThanOrEqual(5);
    const tunedRepos = new Set(tuned.projects.map((p) => p.repo));
    expect(heldout.projects.filter((p) => tunedRepos.has(p.repo))).toEqual([]);
    for (const p of heldout.projects) expect(p.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('orders dependencies of dependencies first, each once', async () => {
    const m = readManifest(
      await manifestFile('chain.json', {
        projects: [project('o/app', ['o/common', 'o/mocks']), project('o/common', ['o/mocks'])],
        dependencies: [project('o/mocks')],
      }),
    );
    expect(dependencyOrder(m.projects[0]!, m).map((p) => p.repo)).toEqual(['o/mocks', 'o/common']);
    expect(dependencyOrder(m.projects[1]!, m).map((p) => p.repo)).toEqual(['o/mocks']);
  });

  it('refuses a dependency the manifest does not list, naming it and the fix', async () => {
    const path = await manifestFile('missing.json', { projects: [project('o/app', ['o/nowhere'])] });
    expect(() => readManifest(path)).toThrow(/o\/app depends on o\/nowhere/);
  });

  it('refuses a cycle', async () => {
    const m = readManifest(await manifestFile('cycle.json', { projects: [project('o/a', ['o/b']), project('o/b', ['o/a'])] }));
    expect(() => dependencyOrder(m.projects[0]!, m)).toThrow(/cycle: o\/a -> o\/b -> o\/a/);
  });

  it('refuses a missing manifest with the flag to fix it', () => {
    expect(() => readManifest(join(dir, 'absent.json'))).toThrow(/No corpus manifest/);
  });

  it('lists own classes and triggers at any depth', async () => {
    await mkdir(join(dir, 'src', 'main', 'classes'), { recursive: true });
    await writeFile(join(dir, 'src', 'main', 'classes', 'Foo.cls'), 'public class Foo {}');
    await writeFile(join(dir, 'src', 'main', 'classes', 'Foo.cls-meta.xml'), '<x/>');
    await writeFile(join(dir, 'src', 'AccountTrigger.trigger'), 'trigger AccountTrigger on Account (before insert) {}');
    expect([...apexNames([join(dir, 'src'), join(dir, 'absent')])].sort()).toEqual(['accounttrigger', 'foo']);
  });
});
