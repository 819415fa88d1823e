/**
 * System.UUID (Apex Reference, "UUID Class"): a random version 4 UUID, `fromString`, `equals`,
 * `hashCode`, `toString`. JSON writes one as its text (tools/local-platform/FIDELITY.md, "UUID in JSON").
 */
import { randomUUID } from 'node:crypto';
import { NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { throwEx, throwNpe } from '../run/exceptions.ts';
import { stringHash } from '../run/equality.ts';

// the 8-4-4-4-12 hexadecimal form the Apex Reference's examples use
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuid(text: string): NObj {
  const u = new NObj('System.UUID');
  u.set('v', text.toLowerCase());
  return u;
}

const text = (u: unknown): string | undefined => (u instanceof NObj && u.typeName === 'System.UUID' ? String(u.get('v')) : undefined);

defineNative(
  {
    name: 'System.UUID',
    statics: {
      'System.UUID randomUUID()': () => uuid(randomUUID()),
      'System.UUID fromString(String)': (f, [s]) => {
        if (s === null || s === undefined) throwNpe(f);
        if (!UUID_TEXT.test(String(s))) throwEx(f, 'IllegalArgumentException', `Invalid UUID string: ${String(s)}`); // unverified wording
        return uuid(String(s));
      },
    },
    methods: {
      'String toString()': (_f, u: NObj) => u.get('v'),
      'Boolean equals(Object)': (_f, u: NObj, [other]) => text(other) === u.get('v'),
      'Integer hashCode()': (_f, u: NObj) => stringHash(String(u.get('v'))),
    },
    jsonValue: (u) => text(u),
  },
  'UUID',
);
