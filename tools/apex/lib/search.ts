/**
 * Dynamic SOSL: `Search.query` (a list of sObject lists), `Search.find` (`Search.SearchResults` of
 * `Search.SearchResult`) and `Test.setFixedSearchResults` (Apex Reference, "Search Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_System_Search.htm,
 * and "SearchResults Class"/"SearchResult Class"). The search itself runs in run/sosl.ts.
 */
import { NObj } from './nativeValues.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexList, EnumValue, type SObject, stringValueOf, TypeValue } from '../run/values.ts';
import { runSosl, setFixedSearchResults, soslQueriesUsed } from './sosl.ts';
import { throwNpe, unsupported } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';

const isUserMode = (mode: unknown) => mode instanceof EnumValue && mode.name === 'USER_MODE';

async function search(f: Frame, q: unknown, mode: unknown, site: Site): Promise<ApexList> {
  if (q === null || q === undefined) throwNpe(f);
  // dynamic SOSL binds nothing: its text is complete
  return runSosl(f, stringValueOf(q), {}, isUserMode(mode), site);
}

/** Search.SearchResults: the found records by object name (lower case). */
function searchResults(lists: ApexList): NObj {
  const r = new NObj('Search.SearchResults');
  const byType = new Map<string, NObj[]>();
  for (const l of lists.items as ApexList[]) {
    const name = (l.elemType?.name ?? 'SObject').toLowerCase();
    byType.set(
      name,
      l.items.map((so) => {
        const one = new NObj('Search.SearchResult');
        one.set('sobject', so);
        return one;
      }),
    );
  }
  r.set('byType', byType);
  return r;
}

defineNative(
  {
    name: 'Search',
    statics: {
      'List<List<SObject>> query(String, AccessLevel?)': (f, [q, mode], site) => search(f, q, mode, site),
      'Search.SearchResults find(String, AccessLevel?)': async (f, [q, mode], site) => searchResults(await search(f, q, mode, site)),
      suggest: (f, _a, site) => unsupported(f, 'Search.suggest', site),
    },
  },
  'System.Search',
);

defineNative({
  name: 'Search.SearchResults',
  methods: {
    // get(String objectName) | get(Schema.SObjectType)
    get: (f, r: NObj, [type]) => {
      const name = (type instanceof TypeValue ? type.display : stringValueOf(type)).toLowerCase();
      const items = r.get<Map<string, NObj[]>>('byType').get(name) ?? [];
      return new ApexList([...items], { name: 'Search.SearchResult', args: [], array: 0 });
    },
  },
});

defineNative({
  name: 'Search.SearchResult',
  methods: {
    'SObject getSObject()': (f, r: NObj) => r.get<SObject>('sobject'),
    // snippets and highlights come with WITH SNIPPET on Salesforce; a fixed test result has none
    getSnippet: () => null,
    getHighlight: () => null,
  },
});

/** Test.setFixedSearchResults(List<Id>): the records every later search of this test returns (before its WHERE and LIMIT). */
natives.get('test')!.statics!['setfixedsearchresults'] = (f, [ids]) => {
  const list = ids instanceof ApexList ? ids.items.map((x) => stringValueOf(x)) : [];
  setFixedSearchResults(f.tx, list);
  return null;
};

/** Limits.getSoslQueries: the searches of this transaction (the limit is 20). */
natives.get('limits')!.statics!['getsoslqueries'] = (f) => soslQueriesUsed(f.tx);
