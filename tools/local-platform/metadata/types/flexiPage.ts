/**
 * FlexiPage (Lightning pages): regions of component instances with their properties. A custom
 * component (`c:name`) must be an LWC bundle of the org or the deploy, exposed, and each property
 * must be one its js-meta.xml declares for the page's target; Salesforce refuses others with
 * "We couldn't retrieve the design time component information for component c:x." (trailheadapps/lwc-recipes#5,
 * trailheadapps/ebikes-lwc#33) and "Invalid property [p] in component [ns:c]" (trailheadapps/dreamhouse-sfdx#4).
 * Standard components (flexipage:, force:, …) are accepted unchecked: the local platform does not
 * know Salesforce's catalogue of them, and renders them as a placeholder.
 */
import type { DeployEnv, Handler } from './handler.ts';
import { readXml } from './handler.ts';
import { asArray, parseXml, text, type Problem, type XmlNode } from '../metadataXml.ts';
import type { DeployComponent } from '../readDeployZip.ts';

export interface PageComponent {
  /** As written: `c:remoteRecords`, `flexipage:richText`. */
  componentName: string;
  properties: Record<string, string>;
}

export interface PageRegion {
  name: string;
  components: PageComponent[];
}

export interface FlexiPageData extends Record<string, unknown> {
  type: string;
  masterLabel: string;
  template: string;
  regions: PageRegion[];
}

/** The lightning__ target a page type places components under. */
export const PAGE_TARGETS: Record<string, string> = {
  AppPage: 'lightning__AppPage',
  HomePage: 'lightning__HomePage',
  RecordPage: 'lightning__RecordPage',
  UtilityBar: 'lightning__UtilityBar',
};

/** What a bundle's js-meta.xml says App Builder may do with it. */
export interface BundleDesign {
  isExposed: boolean;
  targets: string[];
  /** target → the properties it declares, name → type (String, Integer, Boolean …). */
  properties: Map<string, Map<string, string>>;
}

export function bundleDesign(metaXml: string): BundleDesign {
  const root = (parseXml(metaXml).LightningComponentBundle ?? {}) as XmlNode;
  const targets = asArray<XmlNode>(root.targets).flatMap((t) => asArray(t.target).map((x) => text(x) ?? ''));
  const properties = new Map<string, Map<string, string>>();
  for (const cfgs of asArray<XmlNode>(root.targetConfigs)) {
    for (const cfg of asArray<XmlNode>(cfgs.targetConfig)) {
      const props = asArray<XmlNode>(cfg.property).map((p) => [String(p['@_name'] ?? ''), String(p['@_type'] ?? 'String')] as const);
      for (const t of String(cfg['@_targets'] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const map = properties.get(t) ?? new Map<string, string>();
        for (const [n, type] of props) map.set(n, type);
        properties.set(t, map);
      }
    }
  }
  return { isExposed: text(root.isExposed) === 'true', targets, properties };
}

/** The js-meta.xml of an LWC bundle, from this deploy or the org. */
function bundleMeta(env: DeployEnv, name: string): string | undefined {
  const pick = (paths: string[]) => paths.find((p) => p.endsWith(`${name}/${name}.js-meta.xml`) || p.endsWith(`${name}.js-meta.xml`));
  const inBatch: DeployComponent | undefined = env.batch.get(`LightningComponentBundle#${name}`);
  if (inBatch) {
    const p = pick([...inBatch.files.keys()]);
    return p ? inBatch.files.get(p)!.toString('utf8') : undefined;
  }
  const stored = env.stored('LightningComponentBundle', name);
  const p = stored && pick(Object.keys(stored.files));
  return p ? Buffer.from(stored!.files[p], 'base64').toString('utf8') : undefined;
}

export const designTimeMissing = (componentName: string) =>
  `We couldn't retrieve the design time component information for component ${componentName}.`;
export const invalidProperty = (property: string, componentName: string) =>
  `Invalid property [${property}] in component [${componentName}]`;

export const flexiPage: Handler = (c, env) => {
  const xml = readXml(c, 'FlexiPage');
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  // Not checked against an enum: Salesforce has more page types than the local platform lists (a false refusal is worse).
  const type = r.string('type', { required: true }) ?? '';
  const masterLabel = r.string('masterLabel', { required: true }) ?? c.fullName;
  const template = text(r.child('template')?.name) ?? '';
  const target = PAGE_TARGETS[type];
  const regions: PageRegion[] = [];
  const problems: Problem[] = [];
  for (const region of r.children('flexiPageRegions')) {
    const components: PageComponent[] = [];
    const instances = [...asArray<XmlNode>(region.itemInstances).map((i) => i.componentInstance), ...asArray(region.componentInstances)];
    for (const inst of instances.filter((i): i is XmlNode => typeof i === 'object' && i !== null)) {
      const componentName = text(inst.componentName) ?? '';
      const properties: Record<string, string> = {};
      for (const p of asArray<XmlNode>(inst.componentInstanceProperties)) properties[text(p.name) ?? ''] = text(p.value) ?? '';
      components.push({ componentName, properties });
      const custom = /^c:(\w+)$/.exec(componentName);
      if (!custom) continue;
      const meta = bundleMeta(env, custom[1]);
      // Not exposed: the same refusal (unverified for this case; a missing bundle is the reported one).
      const design = meta === undefined ? undefined : bundleDesign(meta);
      if (!design || !design.isExposed) {
        problems.push({ problem: designTimeMissing(componentName) });
        continue;
      }
      const declared = target ? design.properties.get(target) : undefined;
      for (const name of Object.keys(properties)) {
        if (!declared?.has(name)) problems.push({ problem: invalidProperty(name, componentName) });
      }
    }
    regions.push({ name: text(region.name) ?? '', components });
  }
  const data: FlexiPageData = { type, masterLabel, template, regions };
  return { problems: [...r.problems, ...problems].map((p) => ({ ...p, fileName: c.xmlFileName })), data };
};
