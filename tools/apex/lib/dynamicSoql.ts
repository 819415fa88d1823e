/** Facts about a dynamic SOQL string (Database.query) the runtime needs before sending it to the host. */
export function compileDynamicSoql(soql: string): {
  soql: string;
  sobject: string;
  userMode: boolean;
  isCount: boolean;
  bindNames: string[];
} {
  const noStrings = soql.replace(/'(?:\\.|[^'\\])*'/g, "''");
  const from = /\bfrom\s+([A-Za-z0-9_]+)/i.exec(noStrings);
  const bindNames = [...noStrings.matchAll(/:\s*([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  return {
    soql,
    sobject: from ? from[1] : 'SObject',
    userMode: /\bwith\s+user_mode\b/i.test(noStrings),
    isCount: /^\s*select\s+count\(\s*\)\s+from/i.test(noStrings),
    bindNames,
  };
}
