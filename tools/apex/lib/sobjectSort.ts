/**
 * The default order of sObjects in `List.sort()` (Apex Developer Guide, "Sorting Lists of sObjects",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/langCon_apex_collections_lists_sorting_sobject.htm):
 * by the sObject type's label, then the Name field, then the standard fields in alphabetical order
 * (Id and Name aside), then the custom fields in alphabetical order; a field is compared with the
 * value order of `List.sort` (null first).
 */
import { ApexList, SObject } from '../run/values.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';

type Compare = (f: Frame, a: unknown, b: unknown, site: Site) => Promise<number>;

/** Field names (lower case) in the order they decide, over the fields either record holds. */
function sortFields(a: SObject, b: SObject): string[] {
  const names = new Set([...a.fields.keys(), ...b.fields.keys()].filter((k) => k !== 'id' && k !== 'name'));
  const standard = [...names].filter((k) => !k.endsWith('__c')).sort();
  const custom = [...names].filter((k) => k.endsWith('__c')).sort();
  return ['name', ...standard, ...custom];
}

export async function compareSObjects(f: Frame, a: SObject, b: SObject, site: Site, compare: Compare): Promise<number> {
  const byType = a.type.toLowerCase() < b.type.toLowerCase() ? -1 : a.type.toLowerCase() > b.type.toLowerCase() ? 1 : 0;
  if (byType !== 0) return byType;
  for (const k of sortFields(a, b)) {
    const x = a.fields.get(k)?.value ?? null;
    const y = b.fields.get(k)?.value ?? null;
    // a parent record or child list read through a relationship does not take part
    if (x instanceof SObject || y instanceof SObject || x instanceof ApexList || y instanceof ApexList) continue;
    const c = await compare(f, x, y, site);
    if (c !== 0) return c;
  }
  return 0;
}
