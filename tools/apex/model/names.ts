/**
 * Apex name resolution, one set of rules for the check phase and the runtime (both call these
 * functions; neither keeps a copy). The rules are the Apex Developer Guide's:
 *
 * - "Type Resolution and System Namespace for Types"
 *   (https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_classes_namespace_type_resolution.htm):
 *   a type name is looked up among the types declared locally (the inner types of the current class,
 *   its superclasses and its outer classes, innermost first), then among top-level classes, then
 *   among system types; `T1.T2` is first an inner type T2 of a class T1, then a type T2 of namespace T1.
 * - "Namespace, Class, and Variable Name Precedence"
 *   (https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_classes_namespace_precedence.htm):
 *   in `name1.name2…nameN`, name1 is first a variable (a local, then a field), then a class whose
 *   static variable is name2, then a namespace whose class is name2 and whose static variable is name3.
 *   So a static property named like an inner type (`public static Filter Filter { get; }` beside
 *   `public interface Filter`) is the property in `Outer.Filter.with(…)`, and the type where a type is
 *   written (`Outer.Filter f`).
 * - "Naming Conventions" (same guide): a variable, a method and an inner class of one class may share a
 *   name; they live in separate namespaces, so which one a name means is decided by where it is used.
 *
 * Only types are imported: this module sits below the phases (issue 19's `model/` layer).
 */
import type { ClassDef, FieldDef } from './classModel.ts';

/** The types of one program: its top-level classes (lower-case keys) and the built-in classes it knows. */
export interface TypeTable {
  classes: Map<string, ClassDef>;
  builtin(lowerName: string): ClassDef | undefined;
}

/**
 * A class type named `name` (dotted or not, any case) as seen from inside `from` (undefined: top
 * level): inner types of `from`, of its superclasses, then of its outer classes and theirs, innermost
 * first; then top-level classes and their inner types; then the built-in classes (System exceptions).
 */
export function findType(table: TypeTable, name: string, from?: ClassDef): ClassDef | undefined {
  const parts = name.toLowerCase().split('.');
  for (let scope: ClassDef | undefined = from; scope; scope = scope.outer) {
    for (let s: ClassDef | undefined = scope; s; s = s.superClass) {
      if (s.key === parts[0] && parts.length > 1) {
        const r = walkInner(s, parts.slice(1));
        if (r) return r;
      }
      const hit = s.inner.get(parts[0]);
      if (hit) {
        const r = walkInner(hit, parts.slice(1));
        if (r) return r;
      }
      if (s.key === parts[0] && parts.length === 1) return s;
    }
  }
  const top = table.classes.get(parts[0]);
  if (top) return walkInner(top, parts.slice(1));
  return table.builtin(name.toLowerCase());
}

/** `Outer.Inner.Deeper`: each step an inner type of the type so far or of one of its superclasses. */
function walkInner(c: ClassDef, rest: string[]): ClassDef | undefined {
  let cur: ClassDef | undefined = c;
  for (const p of rest) {
    let next: ClassDef | undefined;
    for (let s: ClassDef | undefined = cur; s && !next; s = s.superClass) next = s.inner.get(p);
    cur = next;
    if (!cur) return undefined;
  }
  return cur;
}

/** A field a simple name reaches, and how. */
export interface FieldHit {
  field: FieldDef;
  /** The class that declares it. */
  owner: ClassDef;
  /**
   * An instance field named from a static context of its own class. Which error Salesforce gives
   * there is not known here, so the checker accepts it and the runtime goes on to types.
   */
  fromStatic?: boolean;
}

/**
 * The field a simple name means inside `cls`: a field of the class or its superclasses (instance ones
 * only in instance code), then static fields of the outer classes. An outer class's instance field is
 * not reachable from an inner class (Apex inner classes are like Java's static nested ones), so the
 * name goes on to mean a type there.
 */
export function fieldInScope(cls: ClassDef, name: string, isStatic: boolean): FieldHit | undefined {
  const key = name.toLowerCase();
  let fromStatic: FieldHit | undefined;
  for (let scope: ClassDef | undefined = cls; scope; scope = scope.outer) {
    for (let s: ClassDef | undefined = scope; s; s = s.superClass) {
      const field = s.fieldMap.get(key);
      if (!field) continue;
      if (field.isStatic) return { field, owner: s };
      if (scope === cls && !isStatic) return { field, owner: s };
      if (scope === cls && !fromStatic) fromStatic = { field, owner: s, fromStatic: true };
    }
  }
  return fromStatic;
}

/** Whether `name` is a static variable (or an enum constant) of a class, its superclasses included. */
export function hasStaticVariable(cls: ClassDef, name: string): boolean {
  const key = name.toLowerCase();
  if (cls.kind === 'enum' && cls.enumValues.some((v) => v.toLowerCase() === key)) return true;
  for (let s: ClassDef | undefined = cls; s; s = s.superClass) if (s.fieldMap.get(key)?.isStatic) return true;
  return false;
}

/** What a phase knows of the types a dotted name may start with. */
export interface TypeWorld<T> {
  /** A type or namespace named by the dotted prefix, seen from where the name is written. */
  type(name: string): T | undefined;
  /** Whether `name` is a static variable, enum constant or static property of type `t`. */
  hasStatic(t: T, name: string): boolean;
}

/**
 * The type a dotted name `parts` starts with, and how many parts it takes: the longest prefix that
 * names a type, except that a static variable of a type ends the type there (`Outer.Filter` is Outer's
 * static `Filter` when Outer has one, even if Outer also has an inner type `Filter`). Undefined when
 * no prefix names a type. Callers first try locals and fields (`fieldInScope`).
 */
export function typePrefix<T>(parts: string[], world: TypeWorld<T>): { type: T; consumed: number } | undefined {
  let best: { type: T; consumed: number } | undefined;
  for (let i = 1; i <= parts.length; i++) {
    if (best && best.consumed === i - 1 && world.hasStatic(best.type, parts[i - 1])) break;
    const t = world.type(parts.slice(0, i).join('.'));
    if (t !== undefined) best = { type: t, consumed: i };
  }
  return best;
}
