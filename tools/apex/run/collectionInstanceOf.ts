/**
 * `x instanceof List<String>` checks the element type the collection was made with (issue 18: a
 * `List<Date>` passed for `List<String>`). Collections are covariant here (`List<Account>` is a
 * `List<SObject>`, a `List<Id>` a `List<String>`, anything a `List<Object>`); an answer is "no" only where
 * both element types are known primitives, or two different sObject types, and neither fits the other,
 * or the collection was made with element type Object and the type asks for a narrower one.
 * A `List<SObject>` is an instance of every sObject list type, as it is assignable to each without a cast.
 */
import type { TypeRef } from '../model/typeRef.ts';
import { ApexList, ApexMap, ApexSet } from './values.ts';
import { isSObjectName } from '../model/sobjectNames.ts';

const PRIMITIVES = new Set(['string', 'id', 'integer', 'long', 'decimal', 'double', 'boolean', 'date', 'datetime', 'time', 'blob']);
const bare = (t: TypeRef) => t.name.toLowerCase().replace(/^(system|schema)\./, '');

function argFits(have: TypeRef | undefined, want: TypeRef): boolean {
  if (!have) return true;
  const h = bare(have);
  const w = bare(want);
  if (w === 'object' || h === w) return h !== w || elementArgsFit(have, want);
  // a collection made as List<Object> is no List<SObjectType>: Salesforce refuses that cast at run time
  // ("Invalid conversion from runtime type List<ANY> to List<String>"), so instanceof answers false
  if (h === 'object') return false;
  if (h === 'id' && w === 'string') return true;
  if (PRIMITIVES.has(h) && PRIMITIVES.has(w)) return false;
  const hs = isSObjectName(have.name);
  if (w === 'sobject') return hs || h === 'sobject' ? true : !PRIMITIVES.has(h);
  if (hs && isSObjectName(want.name)) return false;
  return true;
}

/** Nested collections: `List<List<String>>` against `List<List<Date>>`. */
function elementArgsFit(have: TypeRef, want: TypeRef): boolean {
  if (!want.args.length || have.args.length !== want.args.length) return true;
  return want.args.every((w, i) => argFits(have.args[i], w));
}

/** False when `v`'s element types certainly do not fit `t`'s type arguments. */
export function collectionArgsFit(v: unknown, t: TypeRef): boolean {
  if (!t.args.length) return true;
  // a list made as List<SObject> answers true for any List<Account>/List<Opportunity>: it may be assigned to
  // either without a cast (ipavlic/apex-lambda's CollectionTest.testListTyping passes on Salesforce)
  if (v instanceof ApexList && v.elemType && bare(v.elemType) === 'sobject' && isSObjectName(t.args[0].name)) return true;
  if (v instanceof ApexList || v instanceof ApexSet) return argFits(v.elemType, t.args[0]);
  if (v instanceof ApexMap) return argFits(v.keyType, t.args[0]) && (t.args.length < 2 || argFits(v.valueType, t.args[1]));
  return true;
}
