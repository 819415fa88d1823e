/**
 * XmlStreamReader and XmlStreamWriter (Apex Reference, "XmlStreamReader Class", "XmlStreamWriter Class",
 * "XmlTag Enum"; Apex Developer Guide, "Reading XML Using Streams", "Writing XML Using Streams"). Both
 * follow Java's StAX classes they are built on: the reader starts at START_DOCUMENT, `next()` returns the
 * event's StAX number, a method called on an event it does not apply to throws an XmlException; the writer
 * leaves a start tag open until the next write (attributes and namespaces join it) and writes no namespace
 * declaration it was not asked for.
 */
import { defineEnum, NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { throwEx, throwNpe } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';
import { parseXml, type XmlEvent, type XmlEventType, type XmlParse } from './xmlEvents.ts';

const TAGS = defineEnum(
  'System.XmlTag',
  (
    'ATTRIBUTE CDATA CHARACTERS COMMENT DTD END_DOCUMENT END_ELEMENT ENTITY_DECLARATION ENTITY_REFERENCE NAMESPACE ' +
    'NOTATION_DECLARATION PROCESSING_INSTRUCTION SPACE START_DOCUMENT START_ELEMENT'
  ).split(' '),
  'XmlTag',
);

/** StAX's event numbers (javax.xml.stream.XMLStreamConstants), which `next()` and `nextTag()` return. */
const STAX: Record<XmlEventType, number> = {
  START_ELEMENT: 1,
  END_ELEMENT: 2,
  PROCESSING_INSTRUCTION: 3,
  CHARACTERS: 4,
  COMMENT: 5,
  START_DOCUMENT: 7,
  END_DOCUMENT: 8,
  DTD: 11,
  CDATA: 12,
};

// ---------------------------------------------------------------- reader

interface ReaderState {
  xml: string;
  coalesce: boolean;
  parse?: XmlParse;
  at: number;
}

const state = (o: NObj) => o.get<ReaderState>('__r');
const parsed = (s: ReaderState) => (s.parse ??= parseXml(s.xml, s.coalesce));
const current = (o: NObj): XmlEvent => parsed(state(o)).events[state(o).at] ?? { type: 'END_DOCUMENT' };

/** The event must be one of `types` (StAX's IllegalStateException, an XmlException in Apex). */
function need(f: Frame, o: NObj, method: string, ...types: XmlEventType[]): XmlEvent {
  const e = current(o);
  // unverified: the exact text; Apex passes on the Java parser's message
  if (!types.includes(e.type))
    throwEx(f, 'XmlException', `Current state ${e.type} is not among the states ${types.join(', ')} valid for ${method}()`);
  return e;
}

function advance(f: Frame, o: NObj): number {
  const s = state(o);
  const p = parsed(s);
  if (current(o).type === 'END_DOCUMENT') throwEx(f, 'XmlException', 'END_DOCUMENT reached: no more elements on the stream.');
  s.at++;
  if (s.at >= p.events.length && p.error) throwEx(f, 'XmlException', `ParseError: ${p.error}`);
  return STAX[current(o).type];
}

const attr = (f: Frame, o: NObj, i: number, method: string) => {
  const attrs = need(f, o, method, 'START_ELEMENT').attributes ?? [];
  if (i < 0 || i >= attrs.length) throwEx(f, 'XmlException', `Index ${i} is out of bounds: the element has ${attrs.length} attribute(s)`);
  return attrs[i];
};
const ns = (f: Frame, o: NObj, i: number, method: string) => {
  const list = need(f, o, method, 'START_ELEMENT', 'END_ELEMENT').namespaces ?? [];
  if (i < 0 || i >= list.length) throwEx(f, 'XmlException', `Index ${i} is out of bounds: ${list.length} namespace(s) declared`);
  return list[i];
};
const isText = (t: XmlEventType) => t === 'CHARACTERS' || t === 'CDATA' || t === 'COMMENT' || t === 'DTD';

/** A reader over `xml` (`new XmlStreamReader(xml)`, `HttpResponse.getXmlStreamReader()`). */
export function xmlStreamReader(xml: string): NObj {
  const o = new NObj('XmlStreamReader');
  o.set('__r', { xml, coalesce: false, at: 0 } satisfies ReaderState);
  return o;
}

defineNative(
  {
    name: 'XmlStreamReader',
    construct: (f, [xml]) => (xml === null || xml === undefined ? throwNpe(f) : xmlStreamReader(String(xml))),
    methods: {
      'Integer getAttributeCount()': (f, o: NObj) => (need(f, o, 'getAttributeCount', 'START_ELEMENT').attributes ?? []).length,
      'String getAttributeLocalName(Integer)': (f, o: NObj, [i]) => attr(f, o, i, 'getAttributeLocalName').localName,
      'String getAttributeNamespace(Integer)': (f, o: NObj, [i]) => attr(f, o, i, 'getAttributeNamespace').namespace,
      'String getAttributePrefix(Integer)': (f, o: NObj, [i]) => attr(f, o, i, 'getAttributePrefix').prefix,
      'String getAttributeType(Integer)': (f, o: NObj, [i]) => (attr(f, o, i, 'getAttributeType'), 'CDATA'),
      'String getAttributeValueAt(Integer)': (f, o: NObj, [i]) => attr(f, o, i, 'getAttributeValueAt').value,
      // a null namespace matches the local name in any namespace (StAX)
      'String getAttributeValue(String, String)': (f, o: NObj, [uri, local]) =>
        (need(f, o, 'getAttributeValue', 'START_ELEMENT').attributes ?? []).find(
          (a) => a.localName === local && (uri === null || (a.namespace ?? '') === uri),
        )?.value ?? null,
      'System.XmlTag getEventType()': (f, o: NObj) => TAGS.get(current(o).type.toLowerCase()),
      'String getLocalName()': (f, o: NObj) => need(f, o, 'getLocalName', 'START_ELEMENT', 'END_ELEMENT').localName,
      'String getLocation()': (f, o: NObj) => `[row,col]:[-1,-1] event ${state(o).at}`,
      'String getNamespace()': (f, o: NObj) => need(f, o, 'getNamespace', 'START_ELEMENT', 'END_ELEMENT').namespace ?? null,
      'Integer getNamespaceCount()': (f, o: NObj) =>
        (need(f, o, 'getNamespaceCount', 'START_ELEMENT', 'END_ELEMENT').namespaces ?? []).length,
      'String getNamespacePrefix(Integer)': (f, o: NObj, [i]) => ns(f, o, i, 'getNamespacePrefix').prefix,
      'String getNamespaceURIAt(Integer)': (f, o: NObj, [i]) => ns(f, o, i, 'getNamespaceURIAt').uri,
      'String getNamespaceURI(String)': (f, o: NObj, [prefix]) => current(o).scope?.get(prefix ?? '') ?? null,
      'String getPIData()': (f, o: NObj) => (current(o).type === 'PROCESSING_INSTRUCTION' ? current(o).piData : null),
      'String getPITarget()': (f, o: NObj) => (current(o).type === 'PROCESSING_INSTRUCTION' ? current(o).piTarget : null),
      'String getPrefix()': (f, o: NObj) => {
        const e = current(o);
        return e.type === 'START_ELEMENT' || e.type === 'END_ELEMENT' ? (e.prefix ?? '') : null;
      },
      'String getText()': (f, o: NObj) => need(f, o, 'getText', 'CHARACTERS', 'CDATA', 'COMMENT', 'DTD').text,
      'String getVersion()': (f, o: NObj) => parsed(state(o)).version,
      'Boolean hasName()': (f, o: NObj) => current(o).type === 'START_ELEMENT' || current(o).type === 'END_ELEMENT',
      'Boolean hasNext()': (f, o: NObj) => current(o).type !== 'END_DOCUMENT',
      'Boolean hasText()': (f, o: NObj) => isText(current(o).type),
      'Boolean isCharacters()': (f, o: NObj) => current(o).type === 'CHARACTERS',
      'Boolean isEndElement()': (f, o: NObj) => current(o).type === 'END_ELEMENT',
      'Boolean isStartElement()': (f, o: NObj) => current(o).type === 'START_ELEMENT',
      'Boolean isWhitespace()': (f, o: NObj) => {
        const e = current(o);
        return (e.type === 'CHARACTERS' || e.type === 'CDATA') && !/\S/.test(e.text ?? '');
      },
      'Integer next()': (f, o: NObj) => advance(f, o),
      // skips white space, comments and processing instructions to the next start or end tag
      'Integer nextTag()': (f, o: NObj) => {
        for (;;) {
          const n = advance(f, o);
          const e = current(o);
          if (e.type === 'START_ELEMENT' || e.type === 'END_ELEMENT') return n;
          if ((e.type === 'CHARACTERS' || e.type === 'CDATA') && /\S/.test(e.text ?? ''))
            throwEx(f, 'XmlException', 'found: CHARACTERS, expected START_ELEMENT or END_ELEMENT');
          if (e.type === 'END_DOCUMENT') throwEx(f, 'XmlException', 'found: END_DOCUMENT, expected START_ELEMENT or END_ELEMENT');
        }
      },
      'void setCoalescing(Boolean)': (f, o: NObj, [on]) => {
        // the setting applies to what is read from here on; events are read once, before the first next()
        if (state(o).at === 0) state(o).parse = undefined;
        state(o).coalesce = on === true;
        return null;
      },
      'void setNamespaceAware(Boolean)': () => null,
      'String toString()': (f, o: NObj) => `XmlStreamReader[${current(o).type}]`,
    },
  },
  'System.XmlStreamReader',
);

// ---------------------------------------------------------------- writer

interface WriterState {
  out: string[];
  open: string[];
  /** A start tag waiting for its `>` (attributes and namespaces still join it); `empty` closes it with `/>`. */
  pending: 'start' | 'empty' | null;
  closed: boolean;
}

const w = (o: NObj) => o.get<WriterState>('__w');
const qname = (prefix: unknown, local: unknown) => (prefix ? `${prefix}:${local}` : String(local));
const escText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => escText(s).replace(/"/g, '&quot;');

/** Closes a waiting start tag before other content. */
function flush(s: WriterState): void {
  if (s.pending) s.out.push(s.pending === 'empty' ? '/>' : '>');
  s.pending = null;
}

function write(f: Frame, o: NObj, text: string): null {
  const s = w(o);
  if (s.closed) throwEx(f, 'XmlException', 'The writer is closed');
  flush(s);
  s.out.push(text);
  return null;
}

/** Adds to the open start tag: an attribute or a namespace declaration. */
function onTag(f: Frame, o: NObj, text: string): null {
  const s = w(o);
  // unverified: the exact text of StAX's refusal of an attribute outside a start tag
  if (!s.pending) throwEx(f, 'XmlException', 'Attribute not associated with any element');
  s.out.push(text);
  return null;
}

defineNative(
  {
    name: 'XmlStreamWriter',
    construct: () => {
      const o = new NObj('XmlStreamWriter');
      o.set('__w', { out: [], open: [], pending: null, closed: false } satisfies WriterState);
      return o;
    },
    methods: {
      'void close()': (f, o: NObj) => {
        flush(w(o));
        w(o).closed = true;
        return null;
      },
      'String getXmlString()': (f, o: NObj) => w(o).out.join(''),
      'void setDefaultNamespace(String)': () => null,
      'void writeAttribute(String, String, String, String)': (f, o: NObj, [prefix, , local, value]) => {
        if (local === null) throwNpe(f);
        return onTag(f, o, ` ${qname(prefix, local)}="${escAttr(value === null ? '' : String(value))}"`);
      },
      'void writeCData(String)': (f, o: NObj, [data]) => write(f, o, `<![CDATA[${data ?? ''}]]>`),
      'void writeCharacters(String)': (f, o: NObj, [text]) => {
        if (text === null) throwNpe(f);
        return write(f, o, escText(String(text)));
      },
      'void writeComment(String)': (f, o: NObj, [data]) => write(f, o, `<!--${data ?? ''}-->`),
      'void writeDefaultNamespace(String)': (f, o: NObj, [uri]) => onTag(f, o, ` xmlns="${escAttr(String(uri ?? ''))}"`),
      'void writeEmptyElement(String, String, String)': (f, o: NObj, [prefix, local]) => {
        write(f, o, `<${qname(prefix, local)}`);
        w(o).pending = 'empty';
        return null;
      },
      'void writeEndDocument()': (f, o: NObj) => {
        const s = w(o);
        while (s.open.length) write(f, o, `</${s.open.pop()}>`);
        flush(s);
        return null;
      },
      'void writeEndElement()': (f, o: NObj) => {
        const s = w(o);
        const name = s.open.pop();
        if (name === undefined) throwEx(f, 'XmlException', 'No element was found to write');
        // an element with nothing inside is written whole: `<a></a>` (StAX writes the end tag it was asked for)
        return write(f, o, `</${name}>`);
      },
      'void writeNamespace(String, String)': (f, o: NObj, [prefix, uri]) =>
        !prefix || prefix === 'xmlns'
          ? onTag(f, o, ` xmlns="${escAttr(String(uri ?? ''))}"`)
          : onTag(f, o, ` xmlns:${prefix}="${escAttr(String(uri ?? ''))}"`),
      'void writeProcessingInstruction(String, String)': (f, o: NObj, [target, data]) =>
        write(f, o, data === null ? `<?${target}?>` : `<?${target} ${data}?>`),
      'void writeStartDocument(String, String)': (f, o: NObj, [encoding, version]) =>
        write(f, o, `<?xml version="${version ?? '1.0'}"${encoding ? ` encoding="${encoding}"` : ''}?>`),
      'void writeStartElement(String, String, String)': (f, o: NObj, [prefix, local]) => {
        if (local === null) throwNpe(f);
        write(f, o, `<${qname(prefix, local)}`);
        w(o).open.push(qname(prefix, local));
        w(o).pending = 'start';
        return null;
      },
    },
  },
  'System.XmlStreamWriter',
);
