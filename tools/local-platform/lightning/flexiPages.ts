/**
 * Lightning App pages as the org holds them (FlexiPage metadata, validated at deploy by
 * metadata/types/flexiPage.ts): which custom components a tab's page needs compiled, and the layout
 * the page's script places them by, each property typed as its js-meta.xml declares it.
 */
import type { DatabaseSync } from 'node:sqlite';
import { getStoredComponent } from '../metadata/componentStore.ts';
import { bundleDesign, PAGE_TARGETS, type FlexiPageData } from '../metadata/types/flexiPage.ts';
import { componentList } from './compile.ts';
import type { DeployedTab } from './tabPage.ts';

export function findFlexiPage(db: DatabaseSync, orgId: string, name: string): FlexiPageData | undefined {
  return getStoredComponent(db, orgId, 'FlexiPage', name)?.data as FlexiPageData | undefined;
}

/** The custom components (`c:name`) a page places, each once. */
export function pageComponents(page: FlexiPageData): string[] {
  return page.regions.flatMap((r) => r.components.flatMap((c) => /^c:(\w+)$/.exec(c.componentName)?.[1] ?? []));
}

/** What a tab's bundle compiles: its LWC, or its page's custom components (componentList); undefined when neither. */
export function tabComponents(db: DatabaseSync, orgId: string, tab: DeployedTab): string | undefined {
  if (tab.lwcComponent) return tab.lwcComponent;
  if (!tab.flexiPage) return undefined;
  const page = findFlexiPage(db, orgId, tab.flexiPage);
  const names = page ? pageComponents(page) : [];
  return names.length ? componentList(names) : undefined;
}

function typed(value: string, type: string | undefined): unknown {
  if (type === 'Integer') return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (type === 'Boolean') return value === 'true';
  return value;
}

/** The page as client/mount.js places it: regions, components and their properties, typed. */
export function pageLayout(
  db: DatabaseSync,
  orgId: string,
  page: FlexiPageData,
): { label: string; regions: { name: string; components: { componentName: string; properties: Record<string, unknown> }[] }[] } {
  const target = PAGE_TARGETS[page.type];
  const regions = page.regions.map((r) => ({
    name: r.name,
    components: r.components.map((c) => {
      const name = /^c:(\w+)$/.exec(c.componentName)?.[1];
      const stored = name ? getStoredComponent(db, orgId, 'LightningComponentBundle', name) : undefined;
      const metaPath = stored && Object.keys(stored.files).find((p) => p.endsWith(`${name}.js-meta.xml`));
      const types =
        metaPath && target
          ? bundleDesign(Buffer.from(stored!.files[metaPath], 'base64').toString('utf8')).properties.get(target)
          : undefined;
      return {
        componentName: c.componentName,
        properties: Object.fromEntries(Object.entries(c.properties).map(([k, v]) => [k, typed(v, types?.get(k))])),
      };
    }),
  }));
  return { label: page.masterLabel, regions };
}
