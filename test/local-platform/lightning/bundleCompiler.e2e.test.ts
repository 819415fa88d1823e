/**
 * Compiled tab bundles without a browser: built on the worker thread into the shared cache, reused by
 * another org (another platform home) with the same components, rebuilt after a redeploy, served only
 * to sessions of an org whose tab it is, and a deploy-style precompile leaves nothing for the view to do.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployZip } from '../../../tools/local-platform/metadata/index.ts';
import type { OrgInfo } from '../../../tools/local-platform/http/contracts.ts';
import { BundleCompiler } from '../../../tools/local-platform/lightning/bundleCompiler.ts';
import { CompileProblem } from '../../../tools/local-platform/lightning/compile.ts';
import { MD, newTestPlatform, zipOf } from '../metadata/fixtures.ts';

const platform = newTestPlatform();
const cache = mkdtempSync(join(tmpdir(), 'lp-bundles-'));
const lines: string[] = [];
const compiler = new BundleCompiler(cache, (line) => lines.push(line));
let orgA: OrgInfo;
let orgB: OrgInfo;
let adminA: string;
let adminB: string;

/** A tab whose LWC needs no base component, so a compile takes seconds, not a minute. */
const component = (greeting: string) => ({
  'lwc/hello/hello.js': "import { LightningElement } from 'lwc';\nexport default class Hello extends LightningElement {}\n",
  'lwc/hello/hello.html': `<template><p data-id="greeting">${greeting}</p></template>\n`,
  'lwc/hello/hello.js-meta.xml': `<LightningComponentBundle ${MD}><apiVersion>66.0</apiVersion><isExposed>true</isExposed><targets><target>lightning__Tab</target></targets></LightningComponentBundle>`,
  'tabs/Hello.tab': `<CustomTab ${MD}><label>Hello</label><lwcComponent>hello</lwcComponent><motif>Custom1: Heart</motif></CustomTab>`,
});
async function deployHello(org: OrgInfo, userId: string, greeting: string): Promise<void> {
  const r = await deployZip(
    { db: platform.db, org, records: platform.records, userId },
    await zipOf(component(greeting), { CustomTab: ['Hello'], LightningComponentBundle: ['hello'] }),
  );
  expect(r.status, JSON.stringify(r.details.componentFailures)).toBe('Succeeded');
}
const bundles = () => readdirSync(cache).filter((f) => f.endsWith('.js'));

beforeAll(async () => {
  ({ org: orgA, adminId: adminA } = platform.addOrg({ name: 'Org A' }));
  ({ org: orgB, adminId: adminB } = platform.addOrg({ name: 'Org B' }));
  await deployHello(orgA, adminA, 'Hello from A');
});
afterAll(async () => {
  await compiler.close();
  platform.cleanup();
  rmSync(cache, { recursive: true, force: true });
});

describe('BundleCompiler', () => {
  it('builds a tab once: a precompile after the deploy, then the view finds the file', async () => {
    compiler.precompileTabs(platform.db, orgA.id);
    const first = await compiler.compile(platform.db, orgA.id, 'hello');
    expect(existsSync(first.path)).toBe(true);
    expect(lines.filter((l) => l.startsWith('compiled hello'))).toHaveLength(1);
    expect(readdirSync(cache).filter((f) => f.endsWith('.lock') || f.startsWith('src-'))).toEqual([]);
    expect(await compiler.read(platform.db, orgA.id, first.key)).toContain('Hello from A');
  }, 120_000);

  it('serves a bundle only to the org whose tab it is, and reuses it for an org with the same components', async () => {
    const { key } = await compiler.compile(platform.db, orgA.id, 'hello');
    expect(await compiler.read(platform.db, orgB.id, key)).toBeUndefined();
    await deployHello(orgB, adminB, 'Hello from A');
    expect((await compiler.compile(platform.db, orgB.id, 'hello')).key).toBe(key);
    expect(await compiler.read(platform.db, orgB.id, key)).toContain('Hello from A');
    expect(bundles()).toHaveLength(1);
  }, 120_000);

  it('compiles again after a redeploy changes the component, and the old bundle is no longer the org’s', async () => {
    const before = await compiler.compile(platform.db, orgB.id, 'hello');
    await deployHello(orgB, adminB, 'Hello again from B');
    const after = await compiler.compile(platform.db, orgB.id, 'hello');
    expect(after.key).not.toBe(before.key);
    expect(await compiler.read(platform.db, orgB.id, after.key)).toContain('Hello again from B');
    expect(await compiler.read(platform.db, orgB.id, before.key)).toBeUndefined();
  }, 120_000);

  it('names a component the org does not have', async () => {
    const problem = await compiler.compile(platform.db, orgA.id, 'nowhere').catch((e: unknown) => e);
    expect(problem).toBeInstanceOf(CompileProblem);
    expect(problem).toMatchObject({
      message: 'The org has no Lightning web component named nowhere.',
      fix: 'Deploy the bundle (sf project deploy start) with the tab or page that names it.',
    });
  });
});
