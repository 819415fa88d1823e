/**
 * What the runtime receives from the compiler: a program whose classes are lowered, and a way to get a
 * trigger's body compiled. The runtime (run/) holds only this interface; compiler.ts implements it, so
 * parsing, checking and lowering never run from inside run/.
 */
import type { ClassDef, MethodDef } from './classModel.ts';
import type { TypeTable } from './names.ts';

export type TriggerEvent =
  'before insert' | 'before update' | 'before delete' | 'after insert' | 'after update' | 'after delete' | 'after undelete';

export interface CompiledTrigger {
  name: string;
  /** Lower-case sObject type. */
  sobject: string;
  events: Set<TriggerEvent>;
  cls: ClassDef;
  main: MethodDef;
}

export interface RunnableProgram extends TypeTable {
  readonly classes: Map<string, ClassDef>;
  /** Apex class lookup from inside `from` (undefined for top level): model/names.ts's rules. */
  findClass(name: string, from?: ClassDef): ClassDef | undefined;
  /** All classes including inner ones. */
  allClasses(): Generator<ClassDef>;
  /** A trigger of the org, compiled once per source against this program; throws its CompileError. */
  trigger(name: string, source: string): CompiledTrigger;
  /** Every trigger compiled for this program so far (for coverage). */
  compiledTriggers(): CompiledTrigger[];
}
