/**
 * The library's own run-time values: NObj (a system object with public fields) and system enums. They
 * build on run/'s values, so they live here, not beside the registry in model/natives.ts.
 */
import type { Frame } from '../run/frame.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexList, EnumValue, NativeObject } from '../run/values.ts';
import { noEnumValue } from '../run/exceptions.ts';

/** A system object with public fields (RestRequest, HttpResponse internals, Auth.JWT …). */
export class NObj extends NativeObject {
  fields = new Map<string, unknown>();
  constructor(readonly typeName: string) {
    super();
  }
  get<T = unknown>(k: string): T {
    return (this.fields.get(k.toLowerCase()) ?? null) as T;
  }
  set(k: string, v: unknown): void {
    this.fields.set(k.toLowerCase(), v);
  }
  /** String.valueOf uses the type's own toString when it has one (Schema.SObjectType → 'Account'). */
  toString(): string {
    const m = natives.get(this.typeName.toLowerCase())?.methods?.['tostring'];
    return m ? String(m(undefined as never, this, [], undefined as never)) : super.toString();
  }
}

/**
 * A system enum (Quiddity, Schema.DisplayType …): one EnumValue per constant, so `==`, Set and Map
 * compare them by identity as they do user enums; `values()` and `valueOf()` as on any enum.
 */
export function defineEnum(name: string, constants: string[], ...aliases: string[]): Map<string, EnumValue> {
  const byName = new Map(constants.map((c, i) => [c.toLowerCase(), new EnumValue(name, c, i)]));
  defineNative(
    {
      name,
      props: Object.fromEntries([...byName].map(([k, v]) => [k, { get: () => v }])),
      statics: {
        values: () => new ApexList([...byName.values()], { name, args: [], array: 0 }),
        valueOf: (f: Frame, args: unknown[]) =>
          (typeof args[0] === 'string' && byName.get(args[0].toLowerCase())) || noEnumValue(f, args[0]),
      },
      instanceOf: (v) => v instanceof EnumValue && v.enumType === name,
    },
    ...aliases,
  );
  return byName;
}
