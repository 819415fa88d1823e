/** Type references as written in Apex source; every phase reads them. */
/** A resolved or unresolved type reference such as `Map<String, List<Account>>`. */
export interface TypeRef {
  name: string; // as written, dotted, e.g. 'Map', 'Auth.JWT', 'Outer.Inner'
  args: TypeRef[];
  array: number; // String[] → 1
}

export function typeRefToString(t: TypeRef | undefined): string {
  if (!t) return 'Object';
  let s = t.name;
  if (t.args.length) s += '<' + t.args.map(typeRefToString).join(',') + '>';
  for (let i = 0; i < t.array; i++) s = 'List<' + s + '>';
  return s;
}
