/**
 * Reading and writing Metadata API XML. Deploy validation needs two things fast-xml-parser gives:
 * a well-formedness check with line and column (so a broken file fails with a position, as Salesforce's
 * parser reports it), and a plain object tree. Values stay strings; each type decides what they mean.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { DOCTYPE_REFUSED, hasDoctype } from '../http/http.ts';

export const MD_NS = 'http://soap.sforce.com/2006/04/metadata';

export interface Problem {
  problem: string;
  lineNumber?: number;
  columnNumber?: number;
  /** File inside the zip this problem is about; defaults to the component's main file. */
  fileName?: string;
  problemType?: 'Error' | 'Warning';
}

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: true,
  processEntities: true,
});

/** Parses a metadata file whose root element must be `rootName`; returns the root's children or a Problem. */
export function parseMetadataXml(text: string, rootName: string): { root: XmlNode } | { problem: Problem } {
  if (hasDoctype(text)) return { problem: { problem: `Error parsing file: ${DOCTYPE_REFUSED}`, ...positionOf(text, '!DOCTYPE') } };
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    return {
      problem: {
        problem: `Error parsing file: ${valid.err.msg}`,
        lineNumber: valid.err.line,
        columnNumber: valid.err.col,
      },
    };
  }
  let doc: XmlNode;
  try {
    // fast-xml-parser refuses more than 100 nested elements (maxNestedTags): a bounded depth, as a problem.
    doc = parser.parse(text) as XmlNode;
  } catch (e) {
    return { problem: { problem: `Error parsing file: ${(e as Error).message}` } };
  }
  const rootKeys = Object.keys(doc).filter((k) => k !== '?xml');
  if (rootKeys.length !== 1 || rootKeys[0] !== rootName) {
    const found = rootKeys[0] ?? '(none)';
    return {
      problem: {
        problem: `Error parsing file: expected root element ${rootName} but found ${found}`,
        ...positionOf(text, found),
      },
    };
  }
  const root = doc[rootName];
  return { root: typeof root === 'object' && root !== null ? (root as XmlNode) : {} };
}

/** Parses any XML (SOAP envelopes, package.xml) without a root check; throws on malformed input. */
export function parseXml(text: string): XmlNode {
  if (hasDoctype(text)) throw new Error(DOCTYPE_REFUSED);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  return parser.parse(text) as XmlNode;
}

/** Line and column (1-based) of the first `<name` in the text, for problems about an element. */
export function positionOf(text: string, element: string): { lineNumber?: number; columnNumber?: number } {
  const at = text.search(new RegExp(`<(?:\\w+:)?${element}[\\s>/]`));
  if (at < 0) return {};
  const before = text.slice(0, at);
  const lineNumber = before.split('\n').length;
  const columnNumber = at - before.lastIndexOf('\n');
  return { lineNumber, columnNumber };
}

export function asArray<T = unknown>(v: unknown): T[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

/** Text content of a simple element (fast-xml-parser puts text with attributes under `#text`). */
export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const t = (v as XmlNode)['#text'];
    return t === undefined ? '' : String(t);
  }
  if (Array.isArray(v)) return text(v[0]);
  return String(v);
}

/** The small typed reader each component validator uses; it collects problems instead of throwing. */
export class FieldReader {
  readonly problems: Problem[] = [];
  constructor(
    readonly node: XmlNode,
    private readonly source: string,
    private readonly typeName: string,
  ) {}

  /**
   * Salesforce rejects elements its schema doesn't know:
   * `Element {http://soap.sforce.com/2006/04/metadata}x invalid at this location in type T`.
   */
  allowOnly(fields: readonly string[]): this {
    for (const key of Object.keys(this.node)) {
      if (key.startsWith('@_') || key === '#text') continue;
      if (!fields.includes(key)) {
        this.problems.push({
          problem: `Element {${MD_NS}}${key} invalid at this location in type ${this.typeName}`,
          ...positionOf(this.source, key),
        });
      }
    }
    return this;
  }

  string(name: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
    const v = text(this.node[name]);
    if (v === undefined || v === '') {
      // Wording unverified: Salesforce reports missing required metadata fields in several shapes.
      if (opts.required) this.problems.push({ problem: `Required field is missing: ${name}` });
      return undefined;
    }
    if (opts.max !== undefined && v.length > opts.max) {
      this.problems.push({
        problem: `${name}: data value too large: ${v.slice(0, 20)}… (max length=${opts.max})`,
        ...positionOf(this.source, name),
      });
    }
    return v;
  }

  strings(name: string): string[] {
    return asArray(this.node[name])
      .map((x) => text(x) ?? '')
      .filter((s) => s !== '');
  }

  bool(name: string, opts: { required?: boolean; default?: boolean } = {}): boolean | undefined {
    const v = text(this.node[name]);
    if (v === undefined || v === '') {
      if (opts.required) this.problems.push({ problem: `Required field is missing: ${name}` });
      return opts.default;
    }
    if (v !== 'true' && v !== 'false') {
      // The XML Schema boolean lexical space; Salesforce's exact wording here is unverified.
      this.problems.push({ problem: `'${v}' is not a valid value for the type xsd:boolean`, ...positionOf(this.source, name) });
      return opts.default;
    }
    return v === 'true';
  }

  int(name: string, opts: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const v = text(this.node[name]);
    if (v === undefined || v === '') {
      if (opts.required) this.problems.push({ problem: `Required field is missing: ${name}` });
      return undefined;
    }
    if (!/^-?\d+$/.test(v)) {
      this.problems.push({ problem: `'${v}' is not a valid value for the type xsd:int`, ...positionOf(this.source, name) });
      return undefined;
    }
    const n = Number(v);
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      this.problems.push({
        problem: `${name}: value ${n} is out of range (${opts.min ?? ''}..${opts.max ?? ''})`,
        ...positionOf(this.source, name),
      });
    }
    return n;
  }

  /** Salesforce's enum message: `'x' is not a valid value for the enum 'Name'`. */
  enumValue<T extends string>(name: string, enumName: string, values: readonly T[], opts: { required?: boolean } = {}): T | undefined {
    const v = text(this.node[name]);
    if (v === undefined || v === '') {
      if (opts.required) this.problems.push({ problem: `Required field is missing: ${name}` });
      return undefined;
    }
    if (!(values as readonly string[]).includes(v)) {
      this.problems.push({ problem: `'${v}' is not a valid value for the enum '${enumName}'`, ...positionOf(this.source, name) });
      return undefined;
    }
    return v as T;
  }

  child(name: string): XmlNode | undefined {
    const v = this.node[name];
    if (Array.isArray(v)) return v[0] as XmlNode;
    return typeof v === 'object' && v !== null ? (v as XmlNode) : undefined;
  }

  children(name: string): XmlNode[] {
    return asArray(this.node[name]).filter((x): x is XmlNode => typeof x === 'object' && x !== null);
  }

  sub(name: string, typeName: string): FieldReader | undefined {
    const c = this.child(name);
    if (!c) return undefined;
    const r = new FieldReader(c, this.source, typeName);
    r.problems.push = (...p: Problem[]) => this.problems.push(...p);
    return r;
  }

  subs(name: string, typeName: string): FieldReader[] {
    return this.children(name).map((c) => {
      const r = new FieldReader(c, this.source, typeName);
      r.problems.push = (...p: Problem[]) => this.problems.push(...p);
      return r;
    });
  }

  fail(problem: string, element?: string): void {
    this.problems.push({ problem, ...(element ? positionOf(this.source, element) : {}) });
  }
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '    ',
  suppressEmptyNode: false,
});

/** Builds `<?xml …?><Root xmlns="…metadata">…</Root>` from a plain object. */
export function buildMetadataXml(rootName: string, body: XmlNode): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build({ [rootName]: { '@_xmlns': MD_NS, ...body } });
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
