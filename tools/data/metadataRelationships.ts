import type { DatabaseSync } from 'node:sqlite';
import { isValidId, to18 } from './ids.ts';
import { findField, getObjectDef, isMetadataRelationship } from './schema.ts';

/**
 * A custom metadata record names the record a Metadata Relationship field points at by its qualified API
 * name (the `<value>` of a `.md-meta.xml` file; "When setting the value for relationship fields, use the
 * qualified API name of the related metadata, not the ID", Apex Reference, Metadata.CustomMetadataValue).
 * SOQL returns the related record's Id there and joins on it (`Rollup__r.DeveloperName`, a subquery
 * `(SELECT … FROM RollupOrderBys__r)` on the parent type). Writes of the platform keep the name (the related
 * record may come later in the same deploy); this pass turns each name into that record's Id once all
 * records are written. A name no record carries becomes null, and is returned so the caller can say so.
 */
export function linkMetadataRelationships(db: DatabaseSync, orgId: string): { sobject: string; field: string; value: string }[] {
  const unresolved: { sobject: string; field: string; value: string }[] = [];
  const types = db
    .prepare("SELECT DISTINCT sobject FROM records WHERE org_id = ? AND sobject LIKE '%\\_\\_mdt' ESCAPE '\\'")
    .all(orgId) as {
    sobject: string;
  }[];
  const idsOf = new Map<string, Map<string, string>>();
  const targetIds = (sobject: string) => {
    let byName = idsOf.get(sobject.toLowerCase());
    if (!byName) {
      byName = new Map();
      const rows = db.prepare('SELECT id, fields FROM records WHERE org_id = ? AND lower(sobject) = lower(?)').all(orgId, sobject) as {
        id: string;
        fields: string;
      }[];
      for (const r of rows) {
        const f = JSON.parse(r.fields) as Record<string, unknown>;
        for (const n of [f.QualifiedApiName, f.DeveloperName]) if (typeof n === 'string') byName.set(n.toLowerCase(), r.id);
        byName.set(`#${r.id}`, r.id);
      }
      idsOf.set(sobject.toLowerCase(), byName);
    }
    return byName;
  };
  for (const { sobject } of types) {
    const def = getObjectDef(db, orgId, 'scratch', sobject);
    const links = def?.fields.filter((fd) => isMetadataRelationship(def, fd)) ?? [];
    if (!def || links.length === 0) continue;
    const rows = db.prepare('SELECT id, fields FROM records WHERE org_id = ? AND sobject = ?').all(orgId, sobject) as {
      id: string;
      fields: string;
    }[];
    const update = db.prepare('UPDATE records SET fields = ? WHERE id = ?');
    for (const r of rows) {
      const fields = JSON.parse(r.fields) as Record<string, unknown>;
      let changed = false;
      for (const fd of links) {
        const name = findField(def, fd.name)!.name;
        const value = fields[name];
        if (typeof value !== 'string') continue;
        const targets = targetIds(fd.referenceTo!);
        // A name first (a DeveloperName may look like an Id), then an Id of a record of that type (already linked).
        const id = targets.get(value.toLowerCase()) ?? (isValidId(value) ? targets.get(`#${to18(value)}`) : undefined);
        if (id === value) continue;
        if (!id) unresolved.push({ sobject: def.name, field: name, value });
        fields[name] = id ?? null;
        changed = true;
      }
      if (changed) update.run(JSON.stringify(fields), r.id);
    }
  }
  return unresolved;
}
