/**
 * The compiler: parse → check → lower. It turns an org's class sources into the program the runtime
 * runs (model/program.ts's RunnableProgram), and compiles anonymous Apex and trigger bodies on request;
 * the runtime never parses, checks or lowers itself.
 */
// The system library fills model/natives.ts's registry when it loads; the checker reads the signatures there.
import './lib/index.ts';
import { Program } from './check/program.ts';
import { Lowering } from './lower/declarations.ts';
import { sourceHash } from './parse/parse.ts';
import { readTriggerHeader, triggerBodyText } from './parse/triggerSource.ts';
import { CompileError } from './errors.ts';
import type { ApexClassSource, ApexHost } from './host.ts';
import type { ClassDef, MethodDef } from './model/classModel.ts';
import type { CompiledTrigger, RunnableProgram } from './model/program.ts';

/** A checked program whose classes are lowered to closures: what the runtime runs. */
export class CompiledProgram extends Program implements RunnableProgram {
  constructor(sources: ApexClassSource[]) {
    super(sources);
    const bodies = new Map(sources.map((s) => [s.name + '.cls', s.body]));
    for (const c of [...this.classes.values()]) {
      try {
        new Lowering(c.fileName, bodies.get(c.fileName) ?? '', this.bindings).lowerClass(c);
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        this.errors.push(e);
        this.classes.delete(c.key);
      }
    }
  }

  /**
   * Compiled anonymous blocks of this program by source text: the same block run again (a tool's
   * anonymous-Apex view, `sf apex run` in a loop) skips parsing and checking, which took tens of
   * milliseconds. Its class is shared like the program's own; statics live per transaction.
   */
  private readonly anonymous = new Map<string, { cls: ClassDef; main: MethodDef }>();

  /** Anonymous Apex against this program: checked, then lowered; throws its first compile error. */
  compileAnonymous(source: string): { cls: ClassDef; main: MethodDef } {
    const hit = this.anonymous.get(source);
    if (hit) return hit;
    const { cls, main, bindings, errors } = this.checkBlock(source, 'AnonymousBlock');
    if (errors.length) throw errors[0];
    new Lowering('AnonymousBlock', source, bindings).lowerAnonymous(cls, main);
    if (this.anonymous.size >= 100) this.anonymous.delete(this.anonymous.keys().next().value!);
    this.anonymous.set(source, { cls, main });
    return { cls, main };
  }

  private readonly triggers = new Map<string, CompiledTrigger>();

  /**
   * Compiles a trigger; its body keeps the line and column it has in the `.trigger` file. Its body is
   * not held to the check phase here: the deploy that stored it did that.
   */
  trigger(name: string, source: string): CompiledTrigger {
    const key = sourceHash(name + '\u0000' + source);
    const hit = this.triggers.get(key);
    if (hit) return hit;
    const fileName = `${name}.trigger`;
    const parsed = readTriggerHeader(source);
    if ('error' in parsed) throw new CompileError(parsed.error.msg, fileName, parsed.error.line, parsed.error.column + 1);
    const { header } = parsed;
    const text = triggerBodyText(source, header);
    const { cls, main } = this.declareBlock(text, fileName, header.name, true);
    new Lowering(fileName, text).lowerAnonymous(cls, main);
    const t: CompiledTrigger = { name: header.name, sobject: header.sobject.toLowerCase(), events: new Set(header.events), cls, main };
    this.triggers.set(key, t);
    return t;
  }

  compiledTriggers(): CompiledTrigger[] {
    return [...this.triggers.values()];
  }
}

const programCache = new Map<string, CompiledProgram>();

/** Programs are cached by the hash of all their sources: deploys produce a new program. */
export function programFor(sources: ApexClassSource[]): CompiledProgram {
  const key = sourceHash(
    [...sources]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => s.name + '\u0000' + s.body)
      .join('\u0001'),
  );
  let p = programCache.get(key);
  if (!p) {
    p = new CompiledProgram(sources);
    if (programCache.size > 50) programCache.clear();
    programCache.set(key, p);
  }
  return p;
}

/** The host's deployed classes, compiled (cached by their sources). */
export async function loadProgram(host: ApexHost): Promise<CompiledProgram> {
  return programFor(await host.listClasses());
}
