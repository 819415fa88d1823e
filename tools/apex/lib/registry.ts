/**
 * Registry of system types implemented in TypeScript. Each entry lists static methods, static
 * properties, a constructor and instance methods; names are matched case-insensitively.
 */
import type { Frame } from '../run/frame.ts';
import type { Site } from '../lower/classModel.ts';
import { ApexList, EnumValue, NativeObject, type TypeRef } from '../run/values.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type NativeFn = (f: Frame, args: any[], site: Site) => unknown;
export type NativeMethod = (f: Frame, self: any, args: any[], site: Site) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface NativeType {
  /** Display name, e.g. 'HttpRequest', 'Auth.JWT'. */
  name: string;
  statics?: Record<string, NativeFn>;
  props?: Record<string, { get: (f: Frame) => unknown; set?: (f: Frame, v: unknown) => void }>;
  construct?: (f: Frame, args: unknown[], site: Site, type: TypeRef) => unknown;
  methods?: Record<string, NativeMethod>;
  /** Public instance fields (lower-case → display) for objects like RestRequest. */
  fields?: string[];
  instanceOf?: (v: unknown) => boolean;
}

export const natives = new Map<string, NativeType>();

/** Registers a type under its name and aliases (e.g. 'System.HttpRequest', 'HttpRequest'). */
export function defineNative(t: NativeType, ...aliases: string[]): NativeType {
  const lower = (o?: Record<string, unknown>) => {
    if (!o) return;
    for (const k of Object.keys(o))
      if (k !== k.toLowerCase()) {
        (o as Record<string, unknown>)[k.toLowerCase()] = o[k];
        delete (o as Record<string, unknown>)[k];
      }
  };
  lower(t.statics);
  lower(t.props);
  lower(t.methods);
  natives.set(t.name.toLowerCase(), t);
  for (const a of aliases) natives.set(a.toLowerCase(), t);
  if (!t.name.includes('.')) natives.set('system.' + t.name.toLowerCase(), t);
  return t;
}

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
        valueOf: (_f: Frame, args: unknown[]) => (typeof args[0] === 'string' ? byName.get(args[0].toLowerCase()) ?? null : null),
      },
      instanceOf: (v) => v instanceof EnumValue && v.enumType === name,
    },
    ...aliases,
  );
  return byName;
}
