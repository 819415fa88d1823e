/** Throwing Apex exceptions from the runtime, and catching them. */
import { ApexObject } from './values.ts';
import { ApexThrow, UnsupportedError } from '../errors.ts';
import { type Frame } from './frame.ts';
import type { Site } from '../model/classModel.ts';
import { exceptionClass } from '../model/exceptions.ts';

export function where(site: Site): string {
  return `${site.file}:${site.line}`;
}

export function unsupported(_f: Frame, what: string, site: Site): never {
  throw new UnsupportedError(what, where(site));
}

/** Builds a System (or namespaced) exception object with the current stack trace. */
export function makeEx(f: Frame, qualified: string, message: string | null, cause: ApexObject | null = null): ApexObject {
  const cls = exceptionClass(qualified);
  const ex = new ApexObject(cls);
  ex.fields.set('__message', message);
  ex.fields.set('__cause', cause);
  stampTrace(f, ex);
  return ex;
}

export function stampTrace(f: Frame, ex: ApexObject): void {
  ex.stackTrace = f.tx.stackTrace();
  const top = f.tx.stack[f.tx.stack.length - 1];
  ex.line = top?.line ?? 0;
  ex.column = top?.col ?? 0;
}

export function throwEx(f: Frame, qualified: string, message: string | null, cause: ApexObject | null = null): never {
  throw new ApexThrow(makeEx(f, qualified, message, cause));
}

/**
 * `E.valueOf(s)` where no constant of E is named s: "An exception is thrown if the input string doesn't match
 * an enum value" (Apex Reference, "Enum Methods"); its type and text as a real org gives them (field report:
 * https://github.com/octoberswimmer/aer-dist/issues/16).
 */
export function noEnumValue(f: Frame, name: unknown): never {
  throwEx(f, 'NoSuchElementException', `No enum value found called ${name === null || name === undefined ? 'null' : String(name)}`);
}

export function throwNpe(f: Frame, _site?: Site): never {
  throwEx(f, 'NullPointerException', 'Attempt to de-reference a null object');
}

export function throwValue(f: Frame, v: unknown, site: Site): never {
  if (v === null) throwNpe(f, site);
  if (!(v instanceof ApexObject) || !v.cls.isException) throwEx(f, 'TypeException', 'Only exceptions can be thrown');
  if (!v.stackTrace) stampTrace(f, v);
  throw new ApexThrow(v);
}

export function limitEx(f: Frame, message: string): never {
  throwEx(f, 'LimitException', message);
}

const UNCATCHABLE = new Set(['LimitException', 'AssertException']);

export function matchCatch<T extends { typeName: string }>(
  f: Frame,
  err: unknown,
  catches: T[],
  _site: Site,
): (T & { ex: ApexObject }) | undefined {
  if (!(err instanceof ApexThrow)) return undefined;
  const ex = err.ex;
  if (ex.cls.builtin && UNCATCHABLE.has(ex.cls.name)) return undefined;
  for (const c of catches) {
    const cls = f.tx.program.findClass(c.typeName, f.cls);
    if (cls && ex.cls.isSubclassOf(cls)) return { ...c, ex };
  }
  return undefined;
}
