import { ApiError } from './errors.ts';
import type { FieldDef } from './schema.ts';

/**
 * A custom metadata type's Metadata Relationship to EntityDefinition, FieldDefinition or EntityParticle (a
 * field of the object its controlling field names: Salesforce Help, "Create a Relationship to a Field
 * Definition or Entity Particle") stores the object's or field's name (`Account`, `Amount__c`) and reads
 * the definition through `X__r` (`CalcItem__r.QualifiedApiName`).
 * The store has no rows for definitions: what SOQL can read through such a relationship is derived from
 * the name. Salesforce gives a custom object's or field's durable Id in the field itself (01I…, `Obj.00N…`)
 * where this platform keeps the name (tools/local-platform/FIDELITY.md).
 */
export const DEFINITION_TARGETS = /^(EntityDefinition|FieldDefinition|EntityParticle)$/i;

export function isDefinitionRelationship(fd: FieldDef): boolean {
  return fd.type !== 'reference' && DEFINITION_TARGETS.test(fd.referenceTo ?? '');
}

/** The fields of a definition read through the relationship, from its stored name. */
const FIELDS: Record<string, (name: string) => string> = {
  qualifiedapiname: (n) => n,
  developername: (n) => n.replace(/__(c|mdt|e)$/i, ''),
  label: (n) => n.replace(/__(c|mdt|e)$/i, '').replace(/_/g, ' '),
  masterlabel: (n) => n.replace(/__(c|mdt|e)$/i, '').replace(/_/g, ' '),
};
const CANONICAL: Record<string, string> = {
  qualifiedapiname: 'QualifiedApiName',
  developername: 'DeveloperName',
  label: 'Label',
  masterlabel: 'MasterLabel',
};

/** A field name stored as `Object.Field` (a FieldDefinition's full name) reads as its field part. */
const own = (value: string) => value.slice(value.lastIndexOf('.') + 1);

function leafOf(rel: FieldDef, leaf: string): string {
  const key = leaf.toLowerCase();
  if (!FIELDS[key])
    throw new ApiError(
      400,
      'INVALID_FIELD',
      `The local platform reads ${rel.referenceTo} through ${rel.relationshipName} by name only: ${Object.values(CANONICAL).join(', ')}; not ${leaf}.`,
    );
  return key;
}

/** The SQL of `Rel__r.Leaf` given the SQL of the stored name. */
export function definitionFieldSql(rel: FieldDef, valueSql: string, leaf: string): string {
  const key = leafOf(rel, leaf);
  // the field part of `Object.Field`, then the derived forms (SQLite: no regex; the suffixes are fixed)
  const name = `CASE WHEN instr(${valueSql}, '.') > 0 THEN substr(${valueSql}, instr(${valueSql}, '.') + 1) ELSE ${valueSql} END`;
  if (key === 'qualifiedapiname') return name;
  const bare = `CASE WHEN lower(substr(${name}, -3)) IN ('__c', '__e') THEN substr(${name}, 1, length(${name}) - 3) WHEN lower(substr(${name}, -5)) = '__mdt' THEN substr(${name}, 1, length(${name}) - 5) ELSE ${name} END`;
  return key === 'developername' ? bare : `replace(${bare}, '_', ' ')`;
}

/** The record `Rel__r` reads as in a result, with the leaves the query selected; null without a name. */
export function definitionRecord(rel: FieldDef, value: unknown, leaves: string[][]): Record<string, unknown> | null {
  if (typeof value !== 'string' || value === '') return null;
  const out: Record<string, unknown> = { attributes: { type: rel.referenceTo } };
  for (const path of leaves) {
    if (path.length !== 1)
      throw new ApiError(400, 'INVALID_FIELD', `${rel.relationshipName}.${path.join('.')}: too deep for the local platform`);
    const key = leafOf(rel, path[0]);
    out[CANONICAL[key]] = FIELDS[key](own(value));
  }
  return out;
}

/** The canonical spelling of a leaf read through the relationship. */
export function definitionLeaf(rel: FieldDef, leaf: string): string {
  return CANONICAL[leafOf(rel, leaf)];
}
