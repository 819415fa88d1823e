/**
 * Schema.FieldSet and Schema.FieldSetMember (Apex Reference, "FieldSet Class" and "FieldSetMember Class"):
 * declared in full so code that names them (`Schema.FieldSet.class.getName()`, `List<Schema.FieldSet>`,
 * selectors that merge a field set's members into their field list) compiles and runs. The local schema
 * holds no field sets yet, so `fieldSets.getMap()` is empty and no value of these types is made today;
 * their members read what a future describe would put on them.
 */
import './schema.ts';
import { defineNative } from '../model/natives.ts';
import type { NObj } from './nativeValues.ts';

const get = (name: string) => (f: unknown, o: NObj) => o.get(name);

defineNative(
  {
    name: 'Schema.FieldSet',
    complete: true,
    methods: {
      'String getDescription()': get('description'),
      'List<Schema.FieldSetMember> getFields()': get('fields'),
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
      'Boolean getDbRequired()': get('dbRequired'),
      'String getFieldPath()': get('fieldPath'),
      'String getLabel()': get('label'),
      'Boolean getRequired()': get('required'),
      'Schema.DisplayType getType()': get('type'),
      'Schema.SObjectField getSObjectField()': get('sobjectField'),
    },
  },
  'FieldSetMember',
);
