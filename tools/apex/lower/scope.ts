/** What lowering shares: statement result codes, sync-capable expressions, block scopes of locals. */
import { type ClassDef, type Ex, type St } from '../model/classModel.ts';
import { type Frame } from '../run/frame.ts';
import type { TypeRef } from '../model/typeRef.ts';

/** Builds an expression that also offers a synchronous evaluator (saves a microtask per node). */
export function syncEx(fn: (f: Frame) => unknown): Ex {
  const ex = (async (f: Frame) => fn(f)) as Ex;
  ex.sync = fn;
  return ex;
}

/** Runs a statement and awaits only when it did not finish synchronously. */
export async function runSt(st: St, f: Frame): Promise<number> {
  const r = st(f);
  return typeof r === 'number' ? r : await r;
}

export const NORMAL = 0,
  BREAK = 1,
  CONTINUE = 2,
  RETURN = 3;

export class Scope {
  scopes: Map<string, number>[] = [new Map()];
  nSlots = 0;
  slotTypes: (TypeRef | undefined)[] = [];
  constructor(
    readonly cls: ClassDef,
    readonly methodName: string,
    readonly isStatic: boolean,
  ) {}
  push(): void {
    this.scopes.push(new Map());
  }
  pop(): void {
    this.scopes.pop();
  }
  declare(name: string, type?: TypeRef): number {
    const slot = this.nSlots++;
    this.slotTypes[slot] = type;
    this.scopes[this.scopes.length - 1].set(name.toLowerCase(), slot);
    return slot;
  }
  lookup(name: string): number | undefined {
    const k = name.toLowerCase();
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i].get(k);
      if (s !== undefined) return s;
    }
    return undefined;
  }
}

export interface LValue {
  get: Ex;
  set: (f: Frame, v: unknown) => Promise<void>;
  syncGet?: (f: Frame) => unknown;
  syncSet?: (f: Frame, v: unknown) => void;
}
