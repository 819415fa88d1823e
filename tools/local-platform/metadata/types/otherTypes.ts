/**
 * LWC bundles, tabs, Lightning pages, and every other type the CLI can deploy. Types without a
 * validator here are checked for well-formed XML, then stored and retrievable; the deploy reports them
 * as plain successes (a Warning would fail deploys, since the CLI sends ignoreWarnings=false).
 */
import type { Handler } from './handler.ts';
import { readXml } from './handler.ts';
import { parseMetadataXml, type Problem } from '../metadataXml.ts';
import { lwcCompileProblems } from './lwcCompile.ts';

export const lightningComponentBundle: Handler = (c) => {
  const metaPath = [...c.files.keys()].find((p) => p.endsWith(`${c.fullName}.js-meta.xml`));
  const problems: Problem[] = [];
  if (!metaPath) {
    return { problems: [{ problem: `Missing ${c.fullName}.js-meta.xml in the bundle ${c.fullName}.`, fileName: c.fileName }] };
  }
  c.xmlFileName = metaPath;
  c.fileName = metaPath;
  const xml = readXml(c, 'LightningComponentBundle');
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  r.allowOnly([
    'apiVersion',
    'capabilities',
    'description',
    'isExplicitImport',
    'isExposed',
    'lwcResources',
    'masterLabel',
    'runtimeNamespace',
    'targetConfigs',
    'targets',
  ]);
  r.string('apiVersion', { required: true });
  const isExposed = r.bool('isExposed', { default: false });
  const targets = r.sub('targets', 'Targets')?.strings('target') ?? [];
  if (!/^[a-z][A-Za-z0-9_]*$/.test(c.fullName) || c.fullName.includes('__')) {
    r.fail(`The bundle name ${c.fullName} must begin with a lowercase letter and contain only alphanumeric or underscore characters.`);
  }
  problems.push(...r.problems.map((p) => ({ ...p, fileName: metaPath })));
  const hasJs = [...c.files.keys()].some(
    (p) => p.endsWith(`/${c.fullName}/${c.fullName}.js`) || p.endsWith(`/${c.fullName}/${c.fullName}.ts`),
  );
  if (!hasJs) problems.push({ problem: `No JavaScript file ${c.fullName}.js found in the bundle.`, fileName: metaPath });
  problems.push(...lwcCompileProblems(c.fullName, c.files));
  return { problems, data: { isExposed, targets } };
};

/** Tabs, FlexiPages and the rest: well-formed XML with the expected root element, then stored as is. */
export const generic: Handler = (c) => {
  const xmlFiles = [...c.files.keys()].filter((p) => p.endsWith('.xml') || (!c.info.hasContent && !c.info.bundle));
  const problems: Problem[] = [];
  for (const p of xmlFiles) {
    const source = c.files.get(p)!.toString('utf8');
    const root = p === c.xmlFileName && !c.info.bundle && !c.info.inFolder ? c.type : undefined;
    const parsed = root
      ? parseMetadataXml(source, root)
      : parseMetadataXml(source, /<([A-Za-z][\w]*)[\s>]/.exec(source.replace(/<\?xml[^>]*\?>/, ''))?.[1] ?? '');
    if ('problem' in parsed) problems.push({ ...parsed.problem, fileName: p });
  }
  return { problems, data: {} };
};

export const customTab: Handler = (c, env) => {
  const xml = readXml(c, 'CustomTab');
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  const motif = r.string('motif');
  const targets = ['customObject', 'lwcComponent', 'flexiPage', 'url', 'page', 'auraComponent'].filter((k) => r.node[k] !== undefined);
  if (targets.length === 0) r.fail('A tab needs one of customObject, lwcComponent, flexiPage, url, page or auraComponent.');
  const refs: [string, string][] = [
    ['lwcComponent', 'LightningComponentBundle'],
    ['flexiPage', 'FlexiPage'],
    ['auraComponent', 'AuraDefinitionBundle'],
  ];
  for (const [field, type] of refs) {
    if (r.node[field] === undefined) continue;
    const name = r.string(field, { required: true });
    if (name && !env.exists(type, name)) r.fail(`In field: ${field} - no ${type} named ${name} found`, field);
  }
  return { problems: r.problems.map((p) => ({ ...p, fileName: c.xmlFileName })), data: { motif, targets } };
};
