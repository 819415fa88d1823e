/**
 * The Metadata API's file format inside a project's package directory (an old `src` folder, as
 * CumulusCI projects keep: `objects/X.object` holding its fields, record types and field sets in one
 * file; `labels/CustomLabels.labels`; `customMetadata/T.R.md`). Salesforce deploys both formats, so
 * apex-test reads both: each such file is turned into the source format's files, as
 * `sf project convert mdapi` does (Salesforce DX Developer Guide, "Decomposed Metadata Types" and
 * "Convert Files in Metadata Format to Source Format"), and the readers of the source format read the
 * result unchanged. The converted files live in a cache folder under the system's temp folder, one per
 * converted file's path and content.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** The children a CustomObject file holds that the source format keeps one file each (folder → type). */
const OBJECT_CHILDREN: Record<string, string> = {
  fields: 'CustomField',
  recordTypes: 'RecordType',
  fieldSets: 'FieldSet',
  listViews: 'ListView',
  validationRules: 'ValidationRule',
  webLinks: 'WebLink',
  compactLayouts: 'CompactLayout',
  businessProcesses: 'BusinessProcess',
  sharingReasons: 'SharingReason',
  indexes: 'Index',
};

/** The source format's file suffix of each child type (`fields/X.field-meta.xml`). */
const CHILD_SUFFIX: Record<string, string> = {
  CustomField: 'field',
  RecordType: 'recordType',
  FieldSet: 'fieldSet',
  ListView: 'listView',
  ValidationRule: 'validationRule',
  WebLink: 'webLink',
  CompactLayout: 'compactLayout',
  BusinessProcess: 'businessProcess',
  SharingReason: 'sharingReason',
  Index: 'index',
};

const XMLNS = 'http://soap.sforce.com/2006/04/metadata';

interface Element {
  name: string;
  /** the whole element, tags included */
  text: string;
  /** what lies between its tags */
  inner: string;
}

/** The elements directly under the document's root element (comments and CDATA skipped over). */
export function topLevelElements(xml: string): { root: string; children: Element[] } {
  const children: Element[] = [];
  let root = '';
  let depth = 0;
  let start = 0;
  let innerStart = 0;
  let current = '';
  const token = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    if (!m[2]) continue;
    const [whole, closing, name, selfClosing] = m;
    if (closing) {
      depth--;
      if (depth === 1 && name === current)
        children.push({ name, text: xml.slice(start, m.index + whole.length), inner: xml.slice(innerStart, m.index) });
      continue;
    }
    if (depth === 0) root = name;
    else if (depth === 1) {
      current = name;
      start = m.index;
      innerStart = m.index + whole.length;
      if (selfClosing) {
        children.push({ name, text: whole, inner: '' });
        continue;
      }
    }
    if (!selfClosing) depth++;
  }
  return { root, children };
}

const fullNameOf = (inner: string) => /<fullName>([\s\S]*?)<\/fullName>/.exec(inner)?.[1]?.trim();

/** One `.object` file as the source format's files: relative path → text. */
export function decomposeObject(name: string, xml: string): Map<string, string> {
  const out = new Map<string, string>();
  const { children } = topLevelElements(xml);
  const own: string[] = [];
  for (const child of children) {
    const type = OBJECT_CHILDREN[child.name];
    const childName = type && fullNameOf(child.inner);
    if (!type || !childName) {
      own.push(`    ${child.text}`);
      continue;
    }
    out.set(
      `objects/${name}/${child.name}/${childName}.${CHILD_SUFFIX[type]}-meta.xml`,
      `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="${XMLNS}">${child.inner}</${type}>\n`,
    );
  }
  out.set(
    `objects/${name}/${name}.object-meta.xml`,
    `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="${XMLNS}">\n${own.join('\n')}\n</CustomObject>\n`,
  );
  return out;
}

/**
 * A metadata-format file the source format names `X.suffix-meta.xml` (an XML-only component such as
 * `labels/CustomLabels.labels` or `customMetadata/T.R.md`): it has no `-meta.xml` beside it and is a
 * Metadata API document. `package.xml` and destructive changes (root `Package`) are not components.
 */
function xmlOnlyComponent(file: string, text: string): boolean {
  if (/-meta\.xml$/.test(file) || !/\.[A-Za-z]+$/.test(basename(file)) || existsSync(`${file}-meta.xml`)) return false;
  const head = /<([A-Za-z_][\w.:-]*)[^>]*xmlns="([^"]*)"/.exec(text.slice(0, 4000));
  return head !== null && head[1] !== 'Package' && head[2] === XMLNS;
}

const cacheRoot = () => join(tmpdir(), 'apex-test-source-format');

/** Writes the converted files once per content (a rerun or a parallel run finds them in place). */
function materialize(key: string, files: Map<string, string>): string[] {
  const dir = join(cacheRoot(), key);
  if (!existsSync(dir)) {
    const staging = `${dir}.${process.pid}.${Date.now()}`;
    for (const [rel, text] of files) {
      mkdirSync(dirname(join(staging, rel)), { recursive: true });
      writeFileSync(join(staging, rel), text);
    }
    mkdirSync(cacheRoot(), { recursive: true });
    try {
      renameSync(staging, dir);
    } catch {
      // another run put the same files in place first
    }
  }
  return [...files.keys()].sort().map((rel) => join(dir, rel));
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The project's files with each metadata-format file replaced by its source-format files. A folder
 * already in the source format comes back as it is.
 */
export function sourceFormatFiles(files: string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const object = /(?:^|[/\\])objects[/\\]([^/\\]+)\.object$/.exec(file);
    const xmlOnly = !object && /\.(labels|md|permissionset|permissionsetgroup|customPermission|cachePartition|profile)$/.test(file);
    if ((!object && !xmlOnly) || !isFile(file)) {
      out.push(file);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    const key = createHash('sha256').update(file).update('\0').update(text).digest('hex').slice(0, 24);
    if (object) out.push(...materialize(key, decomposeObject(object[1], text)));
    else if (xmlOnlyComponent(file, text))
      out.push(...materialize(key, new Map([[`${basename(dirname(file))}/${basename(file)}-meta.xml`, text]])));
    else out.push(file);
  }
  return out;
}
