/**
 * FlexiPage deploys (metadata/types/flexiPage.ts): a page naming a custom component the org and the
 * deploy lack, or a property its js-meta.xml does not declare for the page's target, fails with
 * Salesforce's messages; a valid App page with its CustomTab deploys, and the page's layout reaches the
 * browser with each property typed (lightning/flexiPages.ts); the page's bundle holds both components.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployZip } from '../../../tools/local-platform/metadata/index.ts';
import type { OrgInfo } from '../../../tools/local-platform/http/contracts.ts';
import { findFlexiPage, pageLayout, tabComponents } from '../../../tools/local-platform/lightning/flexiPages.ts';
import { findTab } from '../../../tools/local-platform/lightning/tabPage.ts';
import { BundleCompiler } from '../../../tools/local-platform/lightning/bundleCompiler.ts';
import { MD, newTestPlatform, zipOf } from './fixtures.ts';

const platform = newTestPlatform();
let org: OrgInfo;
let adminId: string;
const deploy = async (files: Record<string, string>, manifest: Record<string, string[]>) =>
  deployZip({ db: platform.db, org, records: platform.records, userId: adminId }, await zipOf(files, manifest));
const failures = (r: Awaited<ReturnType<typeof deploy>>) =>
  r.details.componentFailures.map((f) => `${f.componentType}:${f.fullName}: ${f.problem}`);

const lwc = (name: string, exposed = true) => ({
  [`lwc/${name}/${name}.js`]: `import { LightningElement, api } from 'lwc';\nexport default class X extends LightningElement { @api objectApiName; @api pageSize; @api showSource; }\n`,
  [`lwc/${name}/${name}.html`]: `<template><p data-id="${name}">{objectApiName} {pageSize}</p></template>\n`,
  [`lwc/${name}/${name}.js-meta.xml`]: `<LightningComponentBundle ${MD}><apiVersion>66.0</apiVersion><isExposed>${exposed}</isExposed><targets><target>lightning__AppPage</target><target>lightning__HomePage</target></targets>
<targetConfigs><targetConfig targets="lightning__AppPage,lightning__HomePage"><property name="objectApiName" type="String" label="Object"/><property name="pageSize" type="Integer" label="Page size" default="10"/><property name="showSource" type="Boolean" label="Source column"/></targetConfig></targetConfigs></LightningComponentBundle>`,
});

const instance = (component: string, props: Record<string, string>) =>
  `<itemInstances><componentInstance>${Object.entries(props)
    .map(([n, v]) => `<componentInstanceProperties><name>${n}</name><value>${v}</value></componentInstanceProperties>`)
    .join(
      '',
    )}<componentName>${component}</componentName><identifier>${component.replace(':', '_')}_${Object.values(props)[0] ?? ''}</identifier></componentInstance></itemInstances>`;

const page = (
  ...instances: string[]
) => `<FlexiPage ${MD}><flexiPageRegions>${instances.join('')}<name>main</name><type>Region</type></flexiPageRegions>
<masterLabel>Remote Records</masterLabel><template><name>flexipage:defaultAppHomeTemplate</name></template><type>AppPage</type></FlexiPage>`;
const tab = `<CustomTab ${MD}><flexiPage>Remote_Records</flexiPage><label>Remote Records</label><motif>Custom1: Heart</motif></CustomTab>`;

beforeAll(() => {
  ({ org, adminId } = platform.addOrg({ name: 'Org A' }));
});
afterAll(() => platform.cleanup());

describe('FlexiPage deploy', () => {
  it('fails a page naming a component neither the org nor the deploy has, or one that is not exposed', async () => {
    const r = await deploy(
      { 'flexipages/Remote_Records.flexipage': page(instance('c:remoteRecords', { objectApiName: 'Account' })) },
      { FlexiPage: ['Remote_Records'] },
    );
    expect(failures(r)).toEqual([
      "FlexiPage:Remote_Records: We couldn't retrieve the design time component information for component c:remoteRecords.",
    ]);
    const hidden = await deploy(
      { ...lwc('hiddenList', false), 'flexipages/Remote_Records.flexipage': page(instance('c:hiddenList', {})) },
      { FlexiPage: ['Remote_Records'], LightningComponentBundle: ['hiddenList'] },
    );
    expect(failures(hidden)).toEqual([
      "FlexiPage:Remote_Records: We couldn't retrieve the design time component information for component c:hiddenList.",
    ]);
  });

  it('fails a property the component does not declare for App pages', async () => {
    const r = await deploy(
      {
        ...lwc('remoteRecords'),
        'flexipages/Remote_Records.flexipage': page(instance('c:remoteRecords', { objectApiName: 'Account', colour: 'red' })),
      },
      { FlexiPage: ['Remote_Records'], LightningComponentBundle: ['remoteRecords'] },
    );
    expect(failures(r)).toEqual(['FlexiPage:Remote_Records: Invalid property [colour] in component [c:remoteRecords]']);
  });

  it('deploys a page with its components and tab; the layout reaches the page with typed properties', async () => {
    const files = {
      ...lwc('remoteRecords'),
      ...lwc('otherList'),
      'flexipages/Remote_Records.flexipage': page(
        instance('c:remoteRecords', { objectApiName: 'Account', pageSize: '5', showSource: 'true' }),
        instance('c:remoteRecords', { objectApiName: 'Contact' }),
        instance('c:otherList', {}),
        instance('flexipage:richText', { richTextValue: 'hello' }),
      ),
      'tabs/Remote_Records.tab': tab,
    };
    const r = await deploy(files, {
      FlexiPage: ['Remote_Records'],
      LightningComponentBundle: ['remoteRecords', 'otherList'],
      CustomTab: ['Remote_Records'],
    });
    expect(failures(r)).toEqual([]);
    const t = findTab(platform.db, org.id, 'Remote_Records')!;
    expect(t).toMatchObject({ flexiPage: 'Remote_Records', lwcComponent: undefined });
    expect(tabComponents(platform.db, org.id, t)).toBe('otherList,remoteRecords');
    const layout = pageLayout(platform.db, org.id, findFlexiPage(platform.db, org.id, 'Remote_Records')!);
    expect(layout).toEqual({
      label: 'Remote Records',
      regions: [
        {
          name: 'main',
          components: [
            { componentName: 'c:remoteRecords', properties: { objectApiName: 'Account', pageSize: 5, showSource: true } },
            { componentName: 'c:remoteRecords', properties: { objectApiName: 'Contact' } },
            { componentName: 'c:otherList', properties: {} },
            { componentName: 'flexipage:richText', properties: { richTextValue: 'hello' } },
          ],
        },
      ],
    });
  });

  it("compiles one bundle with the page's custom components and serves it to the org", async () => {
    const cache = mkdtempSync(join(tmpdir(), 'lp-page-bundles-'));
    const compiler = new BundleCompiler(cache);
    try {
      const b = await compiler.compile(platform.db, org.id, 'otherList,remoteRecords');
      const code = await compiler.read(platform.db, org.id, b.key);
      expect(code).toContain('c-remote-records');
      expect(code).toContain('c-other-list');
    } finally {
      await compiler.close();
      rmSync(cache, { recursive: true, force: true });
    }
  }, 120_000);
});
