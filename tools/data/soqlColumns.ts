import type { DatabaseSync } from 'node:sqlite';
import { composeQuery, type Query } from '@jetstreamapp/soql-parser-js';
import { invalidField } from './errors.ts';
import { findChildRelationship, findField, findRelationship } from './schema.ts';
import { definitionLeaf, isDefinitionRelationship } from './definitionRelationships.ts';
import { objectDef, orgKind } from './store.ts';
import { normalisePath, parseSoql } from './soql.ts';

/** The `columns=true` answer of the query resource (the sf CLI reads it to lay out its table). */
export function soqlColumns(db: DatabaseSync, orgId: string, soql: string): Record<string, unknown> {
  const q = parseSoql(soql);
  const def = objectDef(db, orgId, q.sObject ?? '');
  const col = (name: string, joins: unknown[] = [], aggregate = false, display = name) => ({
    aggregate,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: name.endsWith('__c'),
    displayName: display,
    foreignKeyName: null,
    insertable: !aggregate,
    joinColumns: joins,
    numberType: aggregate,
    textType: !aggregate,
    updatable: !aggregate,
  });
  const columns: Record<string, unknown>[] = [];
  let expr = 0;
  const byRel = new Map<string, Record<string, unknown>>();
  for (const f of q.fields ?? []) {
    const fld = f as { type: string; field?: string; rawValue?: string; functionName?: string; alias?: string };
    if (fld.type === 'Field') {
      const fd = findField(def, fld.field!);
      if (!fd) throw invalidField(fld.field!, def.name, !def.custom);
      columns.push(col(fd.name));
    } else if (fld.type === 'FieldRelationship') {
      const parts = normalisePath(def, fld.rawValue!);
      // Nest join columns per relationship, as the real endpoint does.
      let current: Record<string, unknown> | undefined;
      let currentDef = def;
      for (let i = 0; i < parts.length - 1; i++) {
        const rel = findRelationship(currentDef, parts[i]);
        if (!rel) throw invalidField(parts[i], currentDef.name);
        const key = parts
          .slice(0, i + 1)
          .join('.')
          .toLowerCase();
        let node = byRel.get(key);
        if (!node) {
          node = col(rel.relationshipName!);
          byRel.set(key, node);
          if (current) (current.joinColumns as unknown[]).push(node);
          else columns.push(node);
        }
        current = node;
        if (isDefinitionRelationship(rel)) break;
        currentDef = objectDef(db, orgId, rel.referenceTo!);
      }
      const last = current && findRelationship(currentDef, parts[parts.length - 2] ?? '');
      if (last && isDefinitionRelationship(last)) {
        (current!.joinColumns as unknown[]).push(col(definitionLeaf(last, parts[parts.length - 1])));
        continue;
      }
      const leaf = findField(currentDef, parts[parts.length - 1]);
      if (!leaf) throw invalidField(parts[parts.length - 1], currentDef.name, !currentDef.custom);
      (current!.joinColumns as unknown[]).push(col(leaf.name));
    } else if (fld.type === 'FieldFunctionExpression') {
      columns.push(col(fld.alias ?? `expr${expr++}`, [], true, fld.rawValue ?? fld.functionName));
    } else if (fld.type === 'FieldSubquery') {
      const sub = (fld as unknown as { subquery: Query & { relationshipName: string } }).subquery;
      const rel = findChildRelationship(db, orgId, orgKind(db, orgId), def, sub.relationshipName);
      if (!rel) throw invalidField(sub.relationshipName, def.name);
      const { relationshipName: _r, ...rest } = sub;
      const child = soqlColumns(db, orgId, composeQuery({ ...rest, sObject: rel.childSObject } as Query)) as { columnMetadata: unknown[] };
      columns.push(col(rel.name, child.columnMetadata, true));
    }
  }
  return {
    columnMetadata: columns,
    entityName: def.name,
    groupBy: false,
    idSelected: columns.some((c) => c.columnName === 'Id'),
    keyPrefix: null,
  };
}
