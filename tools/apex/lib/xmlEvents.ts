/**
 * The parse events XmlStreamReader walks (Apex Reference, "XmlStreamReader Class"; it follows Java's StAX
 * XMLStreamReader): the whole input is read into events up front, and a document that is not well formed
 * ends in an error event, which the reader throws when it reaches it, as a streaming parser would.
 */

export type XmlEventType =
  | 'START_DOCUMENT'
  | 'START_ELEMENT'
  | 'END_ELEMENT'
  | 'CHARACTERS'
  | 'CDATA'
  | 'COMMENT'
  | 'PROCESSING_INSTRUCTION'
  | 'DTD'
  | 'END_DOCUMENT';

export interface XmlAttribute {
  prefix: string | null;
  localName: string;
  namespace: string | null;
  value: string;
}

export interface XmlEvent {
  type: XmlEventType;
  localName?: string;
  prefix?: string | null;
  namespace?: string | null;
  attributes?: XmlAttribute[];
  /** Namespaces declared on this start element (or going out of scope at its end). */
  namespaces?: { prefix: string | null; uri: string }[];
  /** In-scope prefix → URI map at this element. */
  scope?: Map<string, string>;
  text?: string;
  piTarget?: string;
  piData?: string;
}

export interface XmlParse {
  events: XmlEvent[];
  version: string | null;
  /** Set when the input is not well formed: thrown when the reader reaches `events.length`. */
  error?: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeRef(ref: string): string | undefined {
  if (ref.startsWith('#x') || ref.startsWith('#X')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
  if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
  return ENTITIES[ref];
}

/** `a &amp; b` → the text runs and references apart (a reader that does not coalesce reports each). */
function textRuns(raw: string): string[] | string {
  const out: string[] = [];
  let last = 0;
  for (const m of raw.matchAll(/&([^;&\s]*);?/g)) {
    const decoded = m[0].endsWith(';') ? decodeRef(m[1]) : undefined;
    if (decoded === undefined) return `The entity reference ${m[0]} is not valid`;
    if (m.index! > last) out.push(raw.slice(last, m.index));
    out.push(decoded);
    last = m.index! + m[0].length;
  }
  if (last < raw.length) out.push(raw.slice(last));
  return out;
}

function split(name: string): { prefix: string | null; localName: string } {
  const i = name.indexOf(':');
  return i < 0 ? { prefix: null, localName: name } : { prefix: name.slice(0, i), localName: name.slice(i + 1) };
}

/** Reads `xml` into parse events; `coalesce` joins adjacent text, references and CDATA into one CHARACTERS event. */
export function parseXml(xml: string, coalesce: boolean): XmlParse {
  const events: XmlEvent[] = [{ type: 'START_DOCUMENT' }];
  let version: string | null = null;
  const stack: { name: string; scope: Map<string, string> }[] = [];
  let pos = 0;
  const fail = (why: string): XmlParse => ({ events, version, error: `${why} (at offset ${pos})` });
  const text = (s: string, type: 'CHARACTERS' | 'CDATA') => {
    const prev = events[events.length - 1];
    if (coalesce && (prev.type === 'CHARACTERS' || prev.type === 'CDATA')) {
      prev.type = 'CHARACTERS';
      prev.text += s;
    } else events.push({ type: coalesce ? 'CHARACTERS' : type, text: s });
  };
  const decl = /^<\?xml\s+version\s*=\s*["']([^"']*)["'][^?]*\?>/.exec(xml);
  if (decl) {
    version = decl[1];
    pos = decl[0].length;
  }
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const end = lt < 0 ? xml.length : lt;
    if (end > pos) {
      const raw = xml.slice(pos, end);
      if (!stack.length) {
        if (raw.trim()) return fail('Content is not allowed outside the root element');
      } else {
        const runs = textRuns(raw);
        if (typeof runs === 'string') return fail(runs);
        for (const r of runs) text(r, 'CHARACTERS');
      }
      pos = end;
      continue;
    }
    if (xml.startsWith('<!--', pos)) {
      const close = xml.indexOf('-->', pos + 4);
      if (close < 0) return fail('The comment is not closed');
      events.push({ type: 'COMMENT', text: xml.slice(pos + 4, close) });
      pos = close + 3;
    } else if (xml.startsWith('<![CDATA[', pos)) {
      const close = xml.indexOf(']]>', pos + 9);
      if (close < 0) return fail('The CDATA section is not closed');
      text(xml.slice(pos + 9, close), 'CDATA');
      pos = close + 3;
    } else if (xml.startsWith('<!DOCTYPE', pos)) {
      const close = xml.indexOf('>', pos);
      if (close < 0) return fail('The document type declaration is not closed');
      events.push({ type: 'DTD', text: xml.slice(pos, close + 1) });
      pos = close + 1;
    } else if (xml.startsWith('<?', pos)) {
      const close = xml.indexOf('?>', pos + 2);
      if (close < 0) return fail('The processing instruction is not closed');
      const body = xml.slice(pos + 2, close);
      const target = NAME.exec(body)?.[0] ?? '';
      events.push({ type: 'PROCESSING_INSTRUCTION', piTarget: target, piData: body.slice(target.length).trim() });
      pos = close + 2;
    } else if (xml.startsWith('</', pos)) {
      const m = /^<\/([^\s>]+)\s*>/.exec(xml.slice(pos));
      const open = stack.pop();
      if (!m || !open || open.name !== m[1])
        return fail(`The end tag ${m ? m[1] : ''} does not match the start tag ${open?.name ?? ''}`.replace(/\s+/g, ' '));
      const { prefix, localName } = split(m[1]);
      events.push({ type: 'END_ELEMENT', prefix, localName, namespace: open.scope.get(prefix ?? '') ?? null, scope: open.scope });
      pos += m[0].length;
    } else {
      const m = /^<([A-Za-z_:][\w.:-]*)((?:\s+[A-Za-z_:][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(xml.slice(pos));
      if (!m) return fail('The markup is not well formed');
      if (!stack.length && events.some((e) => e.type === 'START_ELEMENT')) return fail('Only one root element is allowed');
      const scope = new Map(stack[stack.length - 1]?.scope ?? []);
      const namespaces: XmlEvent['namespaces'] = [];
      const raw: { name: string; value: string }[] = [];
      for (const a of m[2].matchAll(/([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        const runs = textRuns(a[2] ?? a[3] ?? '');
        if (typeof runs === 'string') return fail(runs);
        raw.push({ name: a[1], value: runs.join('') });
      }
      for (const a of raw) {
        if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
          const prefix = a.name === 'xmlns' ? null : a.name.slice(6);
          scope.set(prefix ?? '', a.value);
          namespaces.push({ prefix, uri: a.value });
        }
      }
      const attributes = raw
        .filter((a) => a.name !== 'xmlns' && !a.name.startsWith('xmlns:'))
        .map((a) => {
          const { prefix, localName } = split(a.name);
          return { prefix, localName, namespace: prefix ? (scope.get(prefix) ?? null) : null, value: a.value };
        });
      const { prefix, localName } = split(m[1]);
      const start: XmlEvent = {
        type: 'START_ELEMENT',
        prefix,
        localName,
        namespace: scope.get(prefix ?? '') ?? null,
        attributes,
        namespaces,
        scope,
      };
      events.push(start);
      pos += m[0].length;
      if (m[3]) events.push({ ...start, type: 'END_ELEMENT', attributes: [] });
      else stack.push({ name: m[1], scope });
    }
  }
  if (stack.length)
    return fail(`XML document structures must start and end within the same entity (${stack[stack.length - 1].name} is not closed)`);
  if (!events.some((e) => e.type === 'START_ELEMENT')) return fail('Premature end of file');
  events.push({ type: 'END_DOCUMENT' });
  return { events, version };
}
