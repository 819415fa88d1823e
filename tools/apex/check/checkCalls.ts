/**
 * The check phase's calls: which methods a name may mean (declared, inherited, native), visibility, and
 * overload resolution by static types, Salesforce's errors when no overload fits or two fit equally.
 */
import { type ClassDef, type MethodDef, signatureOf } from '../model/classModel.ts';
import type { Call, Expr, MethodCall, Pos } from '../parse/ast.ts';
import { natives, type Signature } from '../model/natives.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { fitDistance, illegalAssignment, resolveStatic, surelyFits, typeText, type SType } from './staticTypes.ts';
import { CheckerBase, type Ty, type Ctx, EXCEPTION_METHODS, OBJECT_METHODS, USER_OBJECT_METHODS } from './checkContext.ts';

export abstract class CallChecker extends CheckerBase {
  protected visible(owner: ClassDef, modifiers: string[], annotations: { name: string }[], from: ClassDef): boolean {
    if (owner.kind === 'interface' || owner.builtin || modifiers.some((m) => m === 'public' || m === 'global' || m === 'webservice'))
      return true;
    const top = (c: ClassDef) => {
      let t = c;
      while (t.outer) t = t.outer;
      return t;
    };
    if (top(owner) === top(from)) return true;
    if (annotations.some((a) => a.name === 'testvisible') && top(from).isTest) return true;
    if (modifiers.includes('protected')) for (let c: ClassDef | undefined = from; c; c = c.outer) if (c.isSubclassOf(owner)) return true;
    return false;
  }

  protected unqualifiedCall(mc: Call, ctx: Ctx): Ty {
    const head = mc.name;
    const args = mc.args.map((x) => this.expr(x, ctx));
    const name = head.name;
    const key = name.toLowerCase();
    // An inner class's method does not hide an outer class's overload the arguments fit: Salesforce
    // compiles `isRollup(operation)` inside an inner class that declares only `isRollup()` (DLRS's
    // LREngine), and the runtime searches outward the same way (run/calls.ts, callUnqualified).
    const scopes: { scope: ClassDef; cands: MethodDef[] }[] = [];
    for (let scope: ClassDef | undefined = ctx.cls; scope; scope = scope.outer) {
      const cands = this.methodsNamed(scope, key);
      if (cands.length) scopes.push({ scope, cands });
    }
    const fitting = scopes.find((s) =>
      this.closest(
        s.cands.filter((m) => m.params.length === args.length),
        args,
      ),
    );
    const chosen = fitting ?? scopes[0];
    if (chosen) {
      const { scope, cands } = chosen;
      const best = this.bind(cands, args, name, scope, mc, mc);
      // A static member (or anonymous Apex) calling an instance method of its own class by name.
      if (best && !best.isStatic && ctx.isStatic && scope === ctx.cls && !this.isAnonymous(ctx.cls))
        this.fail(`Non static method cannot be referenced from a static context: ${this.signatureText(best)}`, head);
      return this.callResult(best, cands, args);
    }
    if (!this.knowsAllMethods(ctx.cls)) return undefined;
    for (let scope: ClassDef | undefined = ctx.cls; scope; scope = scope.outer)
      if (scope.isException && (EXCEPTION_METHODS.has(key) || USER_OBJECT_METHODS.has(key))) return undefined;
    if (USER_OBJECT_METHODS.has(key)) return undefined;
    this.fail(
      `Method does not exist or incorrect signature: void ${name}(${args.map(typeText).join(', ')}) from the type ${ctx.cls.fullName}`,
      head,
    );
  }

  protected callOn(cls: ClassDef, name: string, args: Ty[], n: MethodCall, isStatic: boolean, ctx: Ctx): Ty {
    const key = name.toLowerCase();
    const at = n.name;
    if (cls.kind === 'enum' && (key === 'values' || key === 'valueof' || key === 'name' || key === 'ordinal')) return undefined;
    if (cls.builtin) return undefined;
    const named = this.methodsNamed(cls, key);
    const cands = named.filter((m) => !isStatic || m.isStatic);
    if (!cands.length && named.length) {
      const best = this.bind(named, args, name, cls, n, at);
      if (best) this.fail(`Non static method cannot be referenced from a static context: ${this.signatureText(best)}`, at);
      return undefined;
    }
    if (cands.length) {
      const best = this.bind(cands, args, name, cls, n, at);
      if (best && !this.visible(best.cls, best.modifiers, best.annotations, ctx.cls))
        this.fail(`Method is not visible: ${this.signatureText(best)}`, at);
      if (best && best.isStatic && !isStatic)
        this.fail(`Static method cannot be referenced from a non static context: ${this.signatureText(best)}`, at);
      return this.callResult(best, cands, args);
    }
    if (!this.knowsAllMethods(cls) || cls.isException || USER_OBJECT_METHODS.has(key)) return undefined;
    if (cls.kind === 'interface' || cls.modifiers.includes('abstract')) return undefined;
    this.fail(
      `Method does not exist or incorrect signature: void ${name}(${args.map(typeText).join(', ')}) from the type ${cls.fullName}`,
      at,
    );
  }

  /** Methods named `key` in the class, its superclasses and (for abstract/interface types) interfaces. */
  protected methodsNamed(cls: ClassDef, key: string): MethodDef[] {
    const out: MethodDef[] = [];
    const seen = new Set<ClassDef>();
    const walk = (c: ClassDef | undefined) => {
      if (!c || seen.has(c)) return;
      seen.add(c);
      out.push(...(c.methods.get(key) ?? []));
      walk(c.superClass);
      for (const i of c.interfaces) walk(i);
    };
    walk(cls);
    return out;
  }

  protected knowsAllMethods(cls: ClassDef): boolean {
    const seen = new Set<ClassDef>();
    const known = (c: ClassDef | undefined): boolean => {
      if (!c || seen.has(c)) return true;
      seen.add(c);
      if (c.superRef && !c.superClass) return false;
      if (c.interfaceRefs.length !== c.interfaces.length) return false;
      return known(c.superClass) && c.interfaces.every(known);
    };
    for (let s: ClassDef | undefined = cls; s; s = s.outer) if (!known(s)) return false;
    return true;
  }

  /** Overload resolution by static types: the most specific fit wins; no fit, or two unrelated ones, is Salesforce's error. */
  protected bind(cands: MethodDef[], args: Ty[], name: string, owner: ClassDef, siteNode: Expr, at: Pos): MethodDef | undefined {
    const byArity = cands.filter((m) => m.params.length === args.length);
    const best = this.closest(byArity, args, name, at);
    if (!best) {
      if ((byArity.length && args.some((a) => !a)) || !this.knowsAllMethods(owner)) return undefined;
      this.fail(
        `Method does not exist or incorrect signature: void ${name}(${args.map(typeText).join(', ')}) from the type ${owner.fullName}`,
        at,
      );
    }
    if (byArity.length > 1) this.bindings.set(siteNode, signatureOf(best));
    return best;
  }

  /**
   * The type of a call: the chosen overload's return type, unless an argument of unknown type left the
   * choice open between overloads that return different types (`toMap(String, SObjectField)` and
   * `toMap(SObjectField, SObjectField)` called with field tokens the checker cannot type): then unknown,
   * so that no assignment of the result is refused on a guess.
   */
  protected callResult(best: MethodDef | undefined, cands: MethodDef[], args: Ty[]): Ty {
    if (!best || args.every((a) => !!a)) return this.returnOf(best);
    const ret = (m: MethodDef) => (m.returnType ? typeText({ ref: m.returnType }).toLowerCase() : 'void');
    const open = cands.filter(
      (m) =>
        m.params.length === args.length && m.params.every((p, i) => fitDistance(args[i], resolveStatic(this.program, p.type, m.cls)) >= 0),
    );
    return open.every((m) => ret(m) === ret(best)) ? this.returnOf(best) : undefined;
  }

  protected returnOf(m: MethodDef | undefined): Ty {
    return m?.returnType && m.returnType.name.toLowerCase() !== 'void' ? resolveStatic(this.program, m.returnType, m.cls) : undefined;
  }

  /** `void C.m(String, Integer)`, as Salesforce names a method in its messages. */
  protected signatureText(m: MethodDef): string {
    const ret = m.returnType ? typeText({ ref: m.returnType }) : 'void';
    return `${ret} ${m.cls.fullName}.${m.name}(${m.params.map((p) => typeText({ ref: p.type })).join(', ')})`;
  }

  /** Anonymous Apex and trigger bodies: their statements run as one static block. */
  protected isAnonymous(cls: ClassDef): boolean {
    return cls.fileName === 'AnonymousBlock' || cls.trigger;
  }

  /**
   * The overload for the arguments' static types: among those that fit, the one whose parameters all
   * fit every other's (String over Object for null). Two that fit and neither fits the other
   * (`f(String)` and `f(Boolean)` called with null) are ambiguous; where a type is unknown, the
   * closest fit wins instead.
   */
  protected closest(cands: MethodDef[], args: Ty[], name?: string, at?: Pos): MethodDef | undefined {
    const params = (m: MethodDef) => m.params.map((p) => resolveStatic(this.program, p.type, m.cls));
    const fits: { m: MethodDef; score: number; ps: Ty[] }[] = [];
    for (const m of cands) {
      const ps = params(m);
      let score = 0;
      for (let i = 0; i < args.length && score >= 0; i++) {
        const d = fitDistance(args[i], ps[i]);
        score = d < 0 ? -1 : score + d;
      }
      if (score >= 0) fits.push({ m, score, ps });
    }
    if (fits.length <= 1) return fits[0]?.m;
    // a fits b: every parameter of a may be passed where b's is expected.
    const fitsInto = (a: Ty[], b: Ty[]) => a.every((p, i) => !illegalAssignment(p, b[i]));
    const maximal = fits.filter((a) => !fits.some((b) => b !== a && fitsInto(b.ps, a.ps) && !fitsInto(a.ps, b.ps)));
    const known = maximal.every((x) => x.ps.every((p, i) => surelyFits(args[i], p)));
    const unrelated =
      maximal.length > 1 && maximal.every((a) => maximal.every((b) => a === b || (!fitsInto(a.ps, b.ps) && !fitsInto(b.ps, a.ps))));
    if (known && unrelated && name && at) this.fail(`Ambiguous method signature: void ${name}(${args.map(typeText).join(', ')})`, at);
    return (maximal.length ? maximal : fits).reduce((x, y) => (y.score < x.score ? y : x)).m;
  }

  /**
   * A call on a system type: its declared signatures choose the overload and give the return type,
   * with the type variables T, K and V bound to the receiver's arguments (`List<String>.get` is a
   * String). On a type declared `complete`, a member it lacks, or arguments no signature takes, is
   * Salesforce's compile error; on another type an undeclared member is only warned about.
   */
  protected nativeCall(recv: SType, name: string, args: Ty[], isStatic: boolean, at: Pos): Ty {
    const nt = natives.get(recv.ref.name.toLowerCase());
    if (!nt) return undefined;
    const key = name.toLowerCase();
    const side = isStatic ? 'statics' : 'methods';
    const sigs: Signature[] = nt.signatures?.[side].get(key) ?? [];
    const typeName = typeText(recv);
    if (!sigs.length) {
      if (nt.bare?.[side].has(key) || (!isStatic && OBJECT_METHODS.has(key))) return undefined;
      if (!nt.complete) {
        // An instance call runs on the value's own type, which may be a subtype (Cache.OrgPartition for a
        // Cache.Partition, a ListIterator for an Iterator): warn only when no system type has the method.
        const anywhere = !isStatic && [...natives.values()].some((t) => t.methods?.[key]);
        if (!nt[side]?.[key] && !anywhere) this.warn(`${nt.name}.${name}`, at);
        return undefined;
      }
      const other = nt.signatures?.[isStatic ? 'methods' : 'statics'].get(key)?.find((x) => x.params.length === args.length);
      if (other) {
        const sig = `${typeText({ ref: other.returns })} ${typeName.replace(/<.*$/, '')}.${other.name}(${other.params.map((p) => typeText({ ref: p })).join(', ')})`;
        this.fail(
          isStatic
            ? `Non static method cannot be referenced from a static context: ${sig}`
            : `Static method cannot be referenced from a non static context: ${sig}`,
          at,
        );
      }
      this.fail(
        `Method does not exist or incorrect signature: void ${name}(${args.map(typeText).join(', ')}) from the type ${typeName}`,
        at,
      );
    }
    const vars = this.typeVars(recv);
    const bound = (r: TypeRef): TypeRef | undefined => {
      if (/^[TKV]$/.test(r.name)) return vars.get(r.name);
      const a = r.args.map(bound);
      return a.every((x) => !!x) ? { ...r, args: a as TypeRef[] } : undefined;
    };
    const st = (r: TypeRef): Ty => {
      const b = bound(r);
      return b ? resolveStatic(this.program, b, undefined) : undefined;
    };
    let best: { sig: Signature; score: number } | undefined;
    for (const sig of sigs.filter((x) => x.params.length === args.length)) {
      let score = 0;
      for (let i = 0; i < args.length && score >= 0; i++) {
        const d = fitDistance(args[i], st(sig.params[i]));
        score = d < 0 ? -1 : score + d;
      }
      if (score >= 0 && (!best || score < best.score)) best = { sig, score };
    }
    if (!best) {
      if (nt.complete && args.every((a) => !!a) && !OBJECT_METHODS.has(key))
        this.fail(
          `Method does not exist or incorrect signature: void ${name}(${args.map(typeText).join(', ')}) from the type ${typeName}`,
          at,
        );
      return undefined;
    }
    const ret = best.sig.returns;
    return ret.name.toLowerCase() === 'void' ? undefined : st(ret);
  }

  /** T of List<T> and Set<T>, K and V of Map<K, V>, from the receiver's static type. */
  protected typeVars(recv: SType): Map<string, TypeRef> {
    const n = recv.ref.name.toLowerCase().replace(/^system\./, '');
    const a = recv.ref.args;
    if ((n === 'list' || n === 'set') && a[0]) return new Map([['T', a[0]]]);
    if (n === 'map' && a.length === 2)
      return new Map([
        ['K', a[0]],
        ['V', a[1]],
      ]);
    return new Map();
  }
}
