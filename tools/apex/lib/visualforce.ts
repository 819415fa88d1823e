/**
 * What a Visualforce controller's Apex uses, as its tests run it (Apex Reference, "ApexPages Namespace",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_namespace_ApexPages.htm;
 * "PageReference Class", "SelectOption Class", "StandardController Class", "StandardSetController Class",
 * "Message Class"): `Page.<name>` and `new PageReference(url)` with their parameters, the current page a
 * test sets (`Test.setCurrentPage`), page messages, standard (set) controllers over records, select
 * options. No page is rendered: the local platform serves no Visualforce, so a PageReference is its URL.
 */
import { defineEnum, NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { ApexList, ApexMap, ApexObject, SObject, stringValueOf } from '../run/values.ts';
import { throwEx, throwNpe } from '../run/exceptions.ts';
import { dml } from '../run/dml.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';

const STRING = { name: 'String', args: [], array: 0 };
const MESSAGE = { name: 'ApexPages.Message', args: [], array: 0 };
const SEVERITY = defineEnum('ApexPages.Severity', ['CONFIRM', 'ERROR', 'FATAL', 'INFO', 'WARNING']);

/** A PageReference from a URL: its query string becomes the parameters, its fragment the anchor. */
export function pageReference(url: string): NObj {
  const p = new NObj('PageReference');
  const [beforeAnchor, anchor] = url.split('#', 2);
  const [base, query] = beforeAnchor.split('?', 2);
  const params = new ApexMap(STRING, STRING);
  for (const pair of (query ?? '').split('&').filter(Boolean)) {
    const [k, v] = pair.split('=', 2);
    params.put(decodeURIComponent(k), decodeURIComponent((v ?? '').replace(/\+/g, ' ')));
  }
  p.set('base', base);
  p.set('parameters', params);
  p.set('headers', new ApexMap(STRING, STRING));
  p.set('anchor', anchor ?? null);
  p.set('redirect', false);
  return p;
}

/** getUrl(): the URL as defined, with the parameters now in the map and the anchor. */
function urlOf(p: NObj): string {
  const params = [...p.get<ApexMap>('parameters').map.values()]
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${encodeURIComponent(stringValueOf(k))}=${encodeURIComponent(stringValueOf(v))}`);
  const anchor = p.get<string | null>('anchor');
  return p.get<string>('base') + (params.length ? '?' + params.join('&') : '') + (anchor ? '#' + anchor : '');
}

defineNative(
  {
    name: 'PageReference',
    construct: (f, [url]) => {
      if (url instanceof SObject) return pageReference('/' + stringValueOf(url.get('Id')));
      if (url === null || url === undefined) throwNpe(f);
      return pageReference(stringValueOf(url));
    },
    methods: {
      'Map<String, String> getParameters()': (f, p: NObj) => p.get('parameters'),
      'Map<String, String> getHeaders()': (f, p: NObj) => p.get('headers'),
      'Map<String, System.Cookie> getCookies()': () => new ApexMap(STRING, { name: 'System.Cookie', args: [], array: 0 }),
      'String getUrl()': (f, p: NObj) => urlOf(p),
      'String getAnchor()': (f, p: NObj) => p.get('anchor'),
      'PageReference setAnchor(String)': (f, p: NObj, [a]) => (p.set('anchor', a), p),
      'Boolean getRedirect()': (f, p: NObj) => p.get('redirect'),
      'PageReference setRedirect(Boolean)': (f, p: NObj, [r]) => (p.set('redirect', r === true), p),
      'Integer getRedirectCode()': (f, p: NObj) => p.get('redirectCode') ?? 0,
      'PageReference setRedirectCode(Integer)': (f, p: NObj, [c]) => (p.set('redirectCode', c), p),
      'PageReference forResource(String, String?)': (f, p: NObj, [name, path]) =>
        pageReference(`/resource/${stringValueOf(name)}${path ? '/' + stringValueOf(path) : ''}`),
      'String toString()': (f, p: NObj) => `System.PageReference[${urlOf(p)}]`,
    },
  },
  'System.PageReference',
);

/** `Page.MyPage`: the page's PageReference, `/apex/MyPage` (Apex Developer Guide, "PageReference Class"). */
defineNative({ name: 'Page', staticMember: (f, name) => pageReference('/apex/' + name) }, 'System.Page');

/**
 * The page of this transaction: the one a test set; in a test that set none, a page of its own that keeps the
 * parameters and headers put in it (financialforcedev/apex-mdapi's RemoteSiteHelperTest and
 * trailheadapps/visualforce-to-lwc's TestPageMessagesFormController read `ApexPages.currentPage()` without
 * setting a page and pass on Salesforce); outside a test and a page, null. unverified: that page's URL (here
 * empty).
 */
function currentPage(f: Frame): NObj | null {
  const tx = f.tx as { vfPage?: NObj | null };
  if (tx.vfPage === undefined && f.tx.isTest) tx.vfPage = pageReference('');
  return tx.vfPage ?? null;
}

export function setCurrentPage(f: Frame, page: unknown): null {
  (f.tx as { vfPage?: unknown }).vfPage = page;
  return null;
}

function messagesOf(f: Frame): NObj[] {
  const tx = f.tx as { vfMessages?: NObj[] };
  return (tx.vfMessages ??= []);
}

function message(severity: unknown, summary: unknown, detail: unknown = null): NObj {
  const m = new NObj('ApexPages.Message');
  m.set('severity', severity);
  m.set('summary', summary);
  m.set('detail', detail ?? summary);
  return m;
}

defineNative(
  {
    name: 'ApexPages',
    statics: {
      'PageReference currentPage()': (f) => currentPage(f),
      'void addMessage(ApexPages.Message)': (f, [m]) => {
        if (!(m instanceof NObj)) throwNpe(f);
        messagesOf(f).push(m as NObj);
        return null;
      },
      // a DmlException adds one message per failed row, any other exception its message (Apex Reference, "addMessages")
      'void addMessages(Exception)': (f, [e]) => {
        if (!(e instanceof ApexObject)) throwNpe(f);
        const ex = e as ApexObject;
        const rows = (ex.fields.get('__dmlrows') ?? []) as { message: string }[];
        const texts = rows.length ? rows.map((r) => r.message) : [stringValueOf(ex.fields.get('__message'))];
        for (const t of texts) messagesOf(f).push(message(SEVERITY.get('error'), t));
        return null;
      },
      'List<ApexPages.Message> getMessages()': (f) => new ApexList([...messagesOf(f)], MESSAGE),
      'Boolean hasMessages(ApexPages.Severity?)': (f, [s]) =>
        s === undefined || s === null ? messagesOf(f).length > 0 : messagesOf(f).some((m) => m.get('severity') === s),
    },
  },
  'System.ApexPages',
);

defineNative({
  name: 'ApexPages.Message',
  construct: (f, [severity, summary, detail]) => message(severity, summary, detail),
  methods: {
    'String getSummary()': (f, m: NObj) => m.get('summary'),
    'String getDetail()': (f, m: NObj) => m.get('detail'),
    'ApexPages.Severity getSeverity()': (f, m: NObj) => m.get('severity'),
    'String getComponentLabel()': () => null,
  },
});

const byText = (x: string | null, y: string | null) => {
  const [p, q] = [x ?? '', y ?? ''];
  return p < q ? -1 : p > q ? 1 : 0;
};

defineNative(
  {
    name: 'SelectOption',
    construct: (f, [value, label, disabled]) => {
      const o = new NObj('SelectOption');
      o.set('value', value);
      o.set('label', label);
      o.set('disabled', disabled === true);
      o.set('escapeItem', true);
      return o;
    },
    methods: {
      'String getValue()': (f, o: NObj) => o.get('value'),
      'void setValue(String)': (f, o: NObj, [v]) => (o.set('value', v), null),
      'String getLabel()': (f, o: NObj) => o.get('label'),
      'void setLabel(String)': (f, o: NObj, [v]) => (o.set('label', v), null),
      'Boolean getDisabled()': (f, o: NObj) => o.get('disabled'),
      'void setDisabled(Boolean)': (f, o: NObj, [v]) => (o.set('disabled', v === true), null),
      'Boolean getEscapeItem()': (f, o: NObj) => o.get('escapeItem'),
      'void setEscapeItem(Boolean)': (f, o: NObj, [v]) => (o.set('escapeItem', v === true), null),
      'String getTitle()': (f, o: NObj) => o.get('title'),
      'void setTitle(String)': (f, o: NObj, [v]) => (o.set('title', v), null),
    },
    // by value, then label; empty before non-empty, Unicode order; `disabled` plays no part (Apex Developer Guide, "List Sorting")
    compare: (a: NObj, b: NObj) => byText(a.get('value'), b.get('value')) || byText(a.get('label'), b.get('label')),
  },
  'System.SelectOption',
);

const viewOf = (so: SObject) => pageReference('/' + stringValueOf(so.get('Id')));

async function saveRecord(f: Frame, so: SObject, site: Site): Promise<NObj> {
  await dml(f, so.get('Id') ? 'update' : 'insert', so, { userMode: false, allOrNone: true }, site);
  return viewOf(so);
}

defineNative({
  name: 'ApexPages.StandardController',
  construct: (f, [record]) => {
    if (!(record instanceof SObject)) throwNpe(f);
    const c = new NObj('ApexPages.StandardController');
    c.set('record', record);
    return c;
  },
  methods: {
    'SObject getRecord()': (f, c: NObj) => c.get('record'),
    // a String, the record's 15-character Id as the page URL carries it (Apex Reference, "StandardController Class":
    // getId returns String; DLRS's RollupServiceTest3 names a job 'rollup_' + getId() and expects 15 characters)
    'String getId()': (f, c: NObj) => {
      const id = c.get<SObject>('record').get('Id');
      return typeof id === 'string' ? id.slice(0, 15) : id;
    },
    'PageReference view()': (f, c: NObj) => viewOf(c.get('record')),
    'PageReference edit()': (f, c: NObj) => pageReference('/' + stringValueOf(c.get<SObject>('record').get('Id')) + '/e'),
    'PageReference cancel()': (f, c: NObj) =>
      c.get<SObject>('record').get('Id') ? viewOf(c.get('record')) : pageReference('/home/home.jsp'),
    'PageReference save()': (f, c: NObj, _a, site) => saveRecord(f, c.get('record'), site),
    'PageReference delete()': async (f, c: NObj, _a, site) => {
      await dml(f, 'delete', c.get('record'), { userMode: false, allOrNone: true }, site);
      return pageReference('/home/home.jsp');
    },
    // a record passed in by the caller is already loaded: Salesforce refuses to add fields to it
    'void addFields(List<String>)': (f) =>
      throwEx(f, 'SObjectException', 'You cannot call addFields when the data is being passed into the controller by the caller.'),
    'void reset()': () => null,
  },
});

/** A standard set controller over a list of records: pages of `pageSize` (default 20) and a selection. */
defineNative({
  name: 'ApexPages.StandardSetController',
  construct: (f, [records]) => {
    if (!(records instanceof ApexList)) throwNpe(f);
    const list = records as ApexList;
    const c = new NObj('ApexPages.StandardSetController');
    c.set('records', list.items.slice());
    c.set('type', list.elemType);
    c.set('selected', []);
    c.set('pageSize', 20);
    c.set('page', 1);
    return c;
  },
  methods: {
    'List<SObject> getRecords()': (f, c: NObj) => {
      const size = c.get<number>('pageSize');
      const start = (c.get<number>('page') - 1) * size;
      return new ApexList(c.get<unknown[]>('records').slice(start, start + size), c.get('type'));
    },
    'List<SObject> getSelected()': (f, c: NObj) => new ApexList(c.get<unknown[]>('selected').slice(), c.get('type')),
    'void setSelected(List<SObject>)': (f, c: NObj, [l]) => (c.set('selected', l instanceof ApexList ? l.items.slice() : []), null),
    'Integer getResultSize()': (f, c: NObj) => c.get<unknown[]>('records').length,
    'Integer getPageSize()': (f, c: NObj) => c.get('pageSize'),
    'void setPageSize(Integer)': (f, c: NObj, [n]) => (c.set('pageSize', Number(n)), c.set('page', 1), null),
    'Integer getPageNumber()': (f, c: NObj) => c.get('page'),
    'void setPageNumber(Integer)': (f, c: NObj, [n]) => (c.set('page', Number(n)), null),
    'Boolean getHasNext()': (f, c: NObj) => c.get<number>('page') * c.get<number>('pageSize') < c.get<unknown[]>('records').length,
    'Boolean getHasPrevious()': (f, c: NObj) => c.get<number>('page') > 1,
    'Boolean getCompleteResult()': () => true,
    'void next()': (f, c: NObj) => (c.set('page', c.get<number>('page') + 1), null),
    'void previous()': (f, c: NObj) => (c.set('page', Math.max(1, c.get<number>('page') - 1)), null),
    'void first()': (f, c: NObj) => (c.set('page', 1), null),
    'void last()': (f, c: NObj) => (
      c.set('page', Math.max(1, Math.ceil(c.get<unknown[]>('records').length / c.get<number>('pageSize')))),
      null
    ),
    'PageReference cancel()': () => pageReference('/home/home.jsp'),
  },
});
