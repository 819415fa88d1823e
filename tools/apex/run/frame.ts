/** One activation of a method: its locals (slots resolved at compile time), `this`, and the transaction. */
import type { ClassDef, MethodDef } from '../model/classModel.ts';
import type { ApexObject } from './values.ts';
import type { Transaction } from './transaction.ts';

export class Frame {
  locals: unknown[];
  ret: unknown = null;
  constructor(
    readonly tx: Transaction,
    readonly cls: ClassDef,
    readonly self: ApexObject | null,
    nSlots: number,
    readonly method?: MethodDef,
  ) {
    this.locals = new Array(nSlots).fill(null);
  }
}
