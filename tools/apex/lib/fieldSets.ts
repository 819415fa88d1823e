/**
 * Field sets (Apex Reference, "FieldSet Class" and "FieldSetMember Class"): `Schema.SObjectType.X.fieldSets`
 * by name or through `getMap()`, each set's members in their declared order. The sets come from the
 * object's describe (the project's or the deployed metadata); a member's label, type and token are its
 * field's describe, read through lookups for a path such as `Account.Name`.
 */
import { CaseInsensitiveMap, displayType, fieldToken, findFieldOf, requireDescribe, sobjectTypeToken } from './schema.ts';
import { defineNative } from '../model/natives.ts';
import { NObj } from './nativeValues.ts';
import { ApexList } from '../run/values.ts';
import { unsupported } from '../run/exceptions.ts';
import type { TypeRef } from '../model/typeRef.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import type { FieldDescribe, FieldSetDescribe, SObjectDescribe } from '../host.ts';

const ref = (name: string): TypeRef => ({ name, args: [], array: 0 });
const get = (name: string) => (f: unknown, o: NObj) => o.get(name);

function fieldSet(d: SObjectDescribe, fs: FieldSetDescribe): NObj {
  const o = new NObj('Schema.FieldSet');
  o.set('__fs', fs);
  o.set('__d', d);
  o.set('name', fs.name);
  o.set('label', fs.label);
  o.set('description', fs.description);
  // unverified: the namespace of a field set outside any package (the Tooling API's FieldSet.NamespacePrefix is nillable)
  o.set('namespace', null);
  o.set('sobjectType', sobjectTypeToken(d.name));
  return o;
}

/** The field a member's path names: `Name`, or `Account.Owner.Name` through each lookup's relationship name. */
async function memberField(f: Frame, d: SObjectDescribe, path: string, site: Site): Promise<{ d: SObjectDescribe; fd?: FieldDescribe }> {
  const parts = path.split('.');
  let here = d;
  for (const rel of parts.slice(0, -1)) {
    const lookup = here.fields.find((x) => x.relationshipName?.toLowerCase() === rel.toLowerCase() && x.referenceTo.length);
    if (!lookup) return { d: here };
    here = await requireDescribe(f, lookup.referenceTo[0], site);
  }
  return { d: here, fd: findFieldOf(here, parts[parts.length - 1]) };
}

async function members(f: Frame, o: NObj, site: Site): Promise<ApexList> {
  const fs = o.get<FieldSetDescribe>('__fs');
  const d = o.get<SObjectDescribe>('__d');
  const out: NObj[] = [];
  for (const m of fs.fields) {
    const { d: owner, fd } = await memberField(f, d, m.field, site);
    const member = new NObj('Schema.FieldSetMember');
    member.set('fieldPath', m.field);
    member.set('required', m.required);
    member.set('__where', `${m.field} of field set ${fs.name} on ${d.name}`);
    if (fd) {
      member.set('label', fd.label);
      member.set('type', displayType(fd.type));
      // required by the field's own definition: no blank value, and none filled in on create
      member.set('dbRequired', !fd.nillable && !fd.defaultedOnCreate);
      member.set('sobjectField', fieldToken(owner.name, fd.name));
    }
    out.push(member);
  }
  return new ApexList(out, ref('Schema.FieldSetMember'));
}

/** A member whose field the local schema lacks answers its path and flag; the rest names what is missing. */
const described = (name: string) => (f: Frame, o: NObj, _a: unknown[], site: Site) =>
  o.fields.has('label') ? o.get(name) : unsupported(f, `the field ${o.get<string>('__where')} (not in the local org's schema)`, site);

function setsOf(o: NObj): FieldSetDescribe[] {
  return o.get<SObjectDescribe>('__d').fieldSets ?? [];
}

defineNative({
  name: 'Schema.FieldSets',
  methods: {
    getMap: (f, o: NObj) => {
      const m = new CaseInsensitiveMap({ name: 'String', args: [], array: 0 }, ref('Schema.FieldSet'));
      for (const fs of setsOf(o)) m.put(fs.name, fieldSet(o.get('__d'), fs));
      return m;
    },
  },
  // `fieldSets.Name`: Salesforce compiles only names of field sets the object has
  instanceMember: (f, o: NObj, name, site) => {
    const fs = setsOf(o).find((x) => x.name.toLowerCase() === name.toLowerCase());
    const d = o.get<SObjectDescribe>('__d');
    return fs ? fieldSet(d, fs) : unsupported(f, `field set ${name} of ${d.name} (not in the project's metadata)`, site);
  },
});

defineNative(
  {
    name: 'Schema.FieldSet',
    complete: true,
    methods: {
      'String getDescription()': get('description'),
      'List<Schema.FieldSetMember> getFields()': (f, o: NObj, _a, site) => members(f, o, site),
      'String getLabel()': get('label'),
      'String getName()': get('name'),
      'String getNamespace()': get('namespace'),
      'Schema.SObjectType getSObjectType()': get('sobjectType'),
    },
  },
  'FieldSet',
);

defineNative(
  {
    name: 'Schema.FieldSetMember',
    complete: true,
    methods: {
      'Boolean getDbRequired()': described('dbRequired'),
      'String getFieldPath()': get('fieldPath'),
      'String getLabel()': described('label'),
      'Boolean getRequired()': get('required'),
      'Schema.DisplayType getType()': described('type'),
      'Schema.SObjectField getSObjectField()': described('sobjectField'),
    },
  },
  'FieldSetMember',
);
