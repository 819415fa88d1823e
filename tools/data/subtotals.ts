import type { Query } from '@jetstreamapp/soql-parser-js';

/**
 * GROUP BY ROLLUP and CUBE (SOQL and SOSL Reference, "GROUP BY ROLLUP" and "GROUP BY CUBE",
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/api/sforce_api_calls_soql_select_groupby_rollup.htm,
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/api/sforce_api_calls_soql_select_groupby_cube.htm):
 * besides a row per group, subtotal rows whose rolled-up fields read null (GROUPING(field) reads 1
 * there), and a grand total. ROLLUP(a, b) adds the subtotals of (a) and (); CUBE(a, b) those of every
 * combination. unverified: Salesforce's row order (here each subtotal follows its groups, the grand
 * total comes last), and whether a query that matched no rows returns a grand total row (here none).
 */
export function subtotalKind(name: string): 'ROLLUP' | 'CUBE' | undefined {
  const n = name.toUpperCase();
  return n === 'ROLLUP' || n === 'CUBE' ? n : undefined;
}

/** The grouping sets (indexes of the grouped fields) of a ROLLUP/CUBE query; undefined for a plain GROUP BY. */
export function groupingSets(q: Query, n: number): number[][] | undefined {
  const list = (Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy]) as { fn?: { functionName: string } }[];
  const kind = list.map((g) => g.fn && subtotalKind(g.fn.functionName)).find(Boolean);
  if (!kind) return undefined;
  const all = Array.from({ length: n }, (_v, i) => i);
  if (kind === 'ROLLUP') return all.map((_v, i) => all.slice(0, n - i)).concat([[]]);
  const sets: number[][] = [];
  for (let mask = (1 << n) - 1; mask >= 0; mask--) sets.push(all.filter((i) => mask & (1 << (n - 1 - i))));
  return sets;
}

/**
 * Groups in the order of their first row, a subtotal after the groups it sums: by each grouped field in
 * turn, the rank of its value's first appearance (among rows that share the fields before it), rolled-up last.
 */
export function orderSubtotals<B extends { set: Set<number>; first: number; values: unknown[] }>(buckets: B[], n: number): B[] {
  if (buckets.every((b) => b.set.size === n)) return buckets;
  const firstOf = new Map<string, number>();
  for (const b of buckets)
    for (let i = 1; i <= n; i++) {
      const k = JSON.stringify(b.values.slice(0, i));
      if (b.set.size === n && (!firstOf.has(k) || firstOf.get(k)! > b.first)) firstOf.set(k, b.first);
    }
  const rank = (b: B, i: number) => (b.set.has(i) ? (firstOf.get(JSON.stringify(b.values.slice(0, i + 1))) ?? b.first) : Infinity);
  return [...buckets].sort((x, y) => {
    for (let i = 0; i < n; i++) {
      const d = rank(x, i) - rank(y, i);
      if (d) return d;
    }
    return 0;
  });
}
