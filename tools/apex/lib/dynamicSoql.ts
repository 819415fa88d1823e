/** Facts about a dynamic SOQL string (Database.query) the runtime needs before sending it to the host. */
export function compileDynamicSoql(soql: string): {
  soql: string;
  sobject: string;
  userMode: boolean;
  isCount: boolean;
  bindNames: string[];
} {
  const noStrings = soql.replace(/'(?:\\.|[^'\\])*'/g, "''");
  const bindNames = [...noStrings.matchAll(/:\s*([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  return {
    soql,
    sobject: topLevelFrom(noStrings) ?? 'SObject',
    userMode: /\bwith\s+user_mode\b/i.test(noStrings),
    isCount: /^\s*select\s+count\(\s*\)\s+from/i.test(noStrings),
    bindNames,
  };
}

/**
 * The queried object: the FROM outside parentheses. A child-relationship subquery in the field list
 * (`SELECT Id, (SELECT Id FROM Contacts) FROM Account`) has a FROM of its own that comes first.
 */
function topLevelFrom(soql: string): string | undefined {
  const re = /[()]|\bfrom\s+([A-Za-z0-9_]+)/gi;
  let depth = 0;
  for (let m = re.exec(soql); m; m = re.exec(soql)) {
    if (m[0] === '(') depth++;
    else if (m[0] === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) return m[1];
  }
  return undefined;
}
