/**
 * Public entry points of the Apex runtime. The local platform calls these; everything else in
 * tools/apex is internal. Each call runs Apex transactions against the org behind `host`.
 */
import type { ApexHost } from './host.ts';
import { runInTransaction, describeFailure, type ApexFailure } from './run/runtime.ts';
// Loaded here for their place in the evaluation order of the runtime's import cycle (names unused).
import './parse/parse.ts';
import { CompileError } from './errors.ts';
import { ClassDef, type MethodDef, type Site } from './model/classModel.ts';
import { loadProgram, programFor, type CompiledProgram as Program } from './compiler.ts';
import type { Coverage, Transaction } from './run/transaction.ts';
import { invoke, ensureStaticInit } from './run/calls.ts';
import { dml } from './run/dml.ts';
import { recordToSObject } from './run/data.ts';
import { ApexThrow } from './errors.ts';
import type { ApexClassSource, SObjectRecord } from './host.ts';
import { ApexList, type ApexMap, Blob } from './run/values.ts';
import { newRestRequest, newRestResponse } from './lib/web.ts';
import { serialize, parseJson, typed } from './lib/json.ts';
import type { NObj } from './lib/nativeValues.ts';

export type { ApexHost } from './host.ts';

export interface ApexRestRequest {
  method: string;
  /** Path after /services/apexrest, e.g. `/AccountRetriever/latest` */
  requestUri: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  body: Buffer | string;
  remoteAddress?: string;
}

export interface ApexRestResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface ExecuteAnonymousResult {
  compiled: boolean;
  compileProblem?: string;
  line: number;
  column: number;
  success: boolean;
  exceptionMessage?: string;
  exceptionStackTrace?: string;
  debugLog: string;
}

export interface TestMethodResult {
  className: string;
  methodName: string;
  outcome: 'Pass' | 'Fail' | 'Skip' | 'CompileFail';
  message?: string;
  stackTrace?: string;
  runTimeMs: number;
}

export interface ClassCoverage {
  className: string;
  /** Triggers are covered like classes (Salesforce's ApexTrigger coverage rows). */
  kind?: 'Class' | 'Trigger';
  coveredLines: number[];
  uncoveredLines: number[];
  /** 0..100 */
  percent: number;
}

export interface TestRunResult {
  outcome: 'Passed' | 'Failed';
  testsRan: number;
  passing: number;
  failing: number;
  skipped: number;
  totalTimeMs: number;
  tests: TestMethodResult[];
  coverage: ClassCoverage[];
  /** Classes and triggers that did not compile: their tests do not run, and the run fails. */
  compileErrors: { className: string; message: string; line: number; column: number }[];
  /** Names the local runtime does not know: the classes compile, and a run that reaches one fails. */
  compileWarnings: { className: string; message: string; line: number; column: number }[];
}

export interface RunTestsOptions {
  classNames?: string[];
  /** `Class.method` entries */
  methodNames?: string[];
}

const JSON_CT = 'application/json;charset=UTF-8';

function restError(status: number, errorCode: string, message: string): ApexRestResponse {
  return { statusCode: status, headers: { 'Content-Type': JSON_CT }, body: JSON.stringify([{ errorCode, message }]) };
}

function failureText(f: ApexFailure): string {
  return f.stackTrace ? `${f.message}\n\n${f.stackTrace}` : f.message;
}

/** Apex REST urlMapping match: exact first, then the longest wildcard pattern; case-sensitive. */
export function matchUrlMapping(mappings: { pattern: string; cls: ClassDef }[], uri: string): ClassDef | undefined {
  const exact = mappings.find((m) => m.pattern === uri);
  if (exact) return exact.cls;
  let best: { len: number; cls: ClassDef } | undefined;
  for (const m of mappings) {
    if (!m.pattern.includes('*')) continue;
    const rx = new RegExp(
      '^' +
        m.pattern
          .split('*')
          .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*') +
        '$',
    );
    const alt = m.pattern.endsWith('/*') ? m.pattern.slice(0, -2) : undefined;
    if (rx.test(uri) || alt === uri) {
      const len = m.pattern.length;
      if (!best || len > best.len) best = { len, cls: m.cls };
    }
  }
  return best?.cls;
}

const VERBS: Record<string, string> = { GET: 'httpget', POST: 'httppost', PUT: 'httpput', PATCH: 'httppatch', DELETE: 'httpdelete' };

/**
 * Compiles a set of classes ahead of use: programs are cached by their sources (per thread), so an
 * org's first transaction on a fresh Apex worker does not pay for parsing and checking them.
 */
export function compileClasses(classes: ApexClassSource[]): void {
  programFor(classes);
}

/** Runs the @RestResource method for one /services/apexrest request, as Salesforce answers it. */
export async function runApexRest(host: ApexHost, request: ApexRestRequest): Promise<ApexRestResponse> {
  const program = await loadProgram(host);
  const mappings: { pattern: string; cls: ClassDef }[] = [];
  for (const cls of program.classes.values()) {
    const a = cls.annotations.find((x) => x.name === 'restresource');
    const pattern = a?.params['urlmapping'];
    if (typeof pattern === 'string') mappings.push({ pattern, cls });
  }
  const cls = matchUrlMapping(mappings, request.requestUri);
  if (!cls) return restError(404, 'NOT_FOUND', 'Could not find a match for URL');
  if (host.canAccessClass && !(await host.canAccessClass(cls.name)))
    return restError(403, 'FORBIDDEN', `You do not have access to the Apex class named: ${cls.name}`);
  const verb = request.method.toUpperCase();
  const ann = VERBS[verb];
  let method: MethodDef | undefined;
  const allowed: string[] = [];
  for (const list of cls.methods.values())
    for (const m of list)
      for (const [v, a] of Object.entries(VERBS))
        if (m.annotations.some((x) => x.name === a)) {
          allowed.push(v);
          if (a === ann) method = m;
        }
  if (!method) return restError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${verb}' not allowed. Allowed are ${allowed.join(',')}`);
  const coverage: Coverage = new Map();
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  const m = method;
  const result = await runInTransaction(host, program, coverage, cls, { quiddity: 'REST' }, async (tx, frame) => {
    const req = newRestRequest();
    req.set('requestURI', request.requestUri);
    req.set('httpMethod', verb);
    req.set(
      'resourcePath',
      '/services/apexrest' + (cls.annotations.find((x) => x.name === 'restresource')!.params['urlmapping'] as string),
    );
    req.set('remoteAddress', request.remoteAddress ?? '127.0.0.1');
    req.set('requestBody', new Blob(body));
    for (const [k, v] of Object.entries(request.params)) req.get<ApexMap>('params').put(k, v);
    for (const [k, v] of Object.entries(request.headers)) req.get<ApexMap>('headers').put(k, v);
    const res = newRestResponse();
    tx.cacheLocal.set('rest.request', req);
    tx.cacheLocal.set('rest.response', res);
    const site: Site = { file: cls.fileName, line: m.line, col: 1, cls };
    const args: unknown[] = [];
    if (m.params.length) {
      const json = body.length ? parseJson(frame, body.toString('utf8')) : {};
      const obj = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, never>) : {};
      const lower = new Map(Object.entries(obj).map(([k, v]) => [k.toLowerCase(), v]));
      for (const p of m.params) args.push(typed(frame, lower.get(p.name.toLowerCase()) ?? null, p.type, site, false));
    }
    await ensureStaticInit(frame, cls);
    const value = await invoke(frame, m, null, args, site);
    return { value, res, frame, site };
  });
  if (!result.ok) {
    if (result.failure.kind === 'exception' || result.failure.kind === 'unsupported' || result.failure.kind === 'internal')
      return restError(500, 'APEX_ERROR', failureText(result.failure));
    return restError(500, 'APEX_ERROR', result.failure.message);
  }
  const { value, res, frame, site } = result.value;
  const headers: Record<string, string> = {};
  for (const [k, v] of res.get<ApexMap>('headers').map.values()) headers[String(k)] = String(v);
  const status = res.get<number | null>('statusCode') ?? 200;
  let out = '';
  const rb = res.get<Blob | null>('responseBody');
  if (m.returnType) {
    out = value === null ? '' : serialize(frame, value, { suppressNulls: true, dropAllNulls: true }, site);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = JSON_CT;
  } else if (rb) out = rb.buf.toString('utf8');
  return { statusCode: status, headers, body: out };
}

function debugLogText(source: string, tx: Transaction | undefined, failure?: ApexFailure): string {
  const start = tx?.startedAt ?? Date.now();
  const at = (ms: number) => `${new Date(ms).toISOString().slice(11, 23)} (${(ms - start) * 1_000_000})`;
  const end = Date.now();
  const lines = ['65.0 APEX_CODE,DEBUG;APEX_PROFILING,INFO;CALLOUT,INFO;DB,INFO;SYSTEM,DEBUG;VALIDATION,INFO;WORKFLOW,INFO'];
  for (const l of source.split(/\r?\n/)) lines.push('Execute Anonymous: ' + l);
  lines.push(`${at(start)}|EXECUTION_STARTED`, `${at(start)}|CODE_UNIT_STARTED|[EXTERNAL]|execute_anonymous_apex`);
  if (tx) lines.push(...tx.debugLines);
  if (failure) lines.push(`${at(end)}|FATAL_ERROR|${failure.message}`);
  lines.push(`${at(end)}|CODE_UNIT_FINISHED|execute_anonymous_apex`, `${at(end)}|EXECUTION_FINISHED`);
  return lines.join('\n') + '\n';
}

/** Anonymous Apex as the Tooling/SOAP executeAnonymous calls return it. */
export async function executeAnonymous(host: ApexHost, source: string): Promise<ExecuteAnonymousResult> {
  const program = await loadProgram(host);
  let anon: { cls: ClassDef; main: MethodDef };
  try {
    anon = program.compileAnonymous(source);
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return { compiled: false, compileProblem: e.message, line: e.line, column: e.column, success: false, debugLog: '' };
  }
  const coverage: Coverage = new Map();
  const r = await runInTransaction(host, program, coverage, anon.cls, { quiddity: 'ANONYMOUS' }, async (tx, frame) => {
    await invoke(frame, anon.main, null, [], { file: 'AnonymousBlock', line: 1, col: 1, cls: anon.cls });
  });
  if (r.ok) return { compiled: true, line: -1, column: -1, success: true, debugLog: debugLogText(source, r.tx) };
  const fl = r.failure;
  if (fl.kind === 'compile')
    return { compiled: false, compileProblem: fl.message, line: fl.line, column: fl.column, success: false, debugLog: '' };
  return {
    compiled: true,
    line: fl.line,
    column: fl.column,
    success: false,
    exceptionMessage: fl.message,
    exceptionStackTrace: fl.stackTrace,
    debugLog: debugLogText(source, r.tx, fl),
  };
}

function isTestMethod(m: MethodDef): boolean {
  return m.annotations.some((a) => a.name === 'istest') || m.modifiers.includes('testmethod');
}

/** Runs @IsTest methods; each method gets its own transaction, rolled back afterwards. */
export async function runTests(host: ApexHost, options: RunTestsOptions = {}): Promise<TestRunResult> {
  const t0 = Date.now();
  const program = await loadProgram(host);
  const coverage: Coverage = new Map();
  const tests: TestMethodResult[] = [];
  const wantClasses = options.classNames?.map((c) => c.toLowerCase());
  const wantMethods = options.methodNames?.map((m) => m.toLowerCase());
  const located = (e: CompileError) => ({
    className: e.fileName.replace(/\.(cls|trigger)$/, ''),
    message: e.message,
    line: e.line,
    column: e.column,
  });
  const problems = { errors: [...program.errors], warnings: [...program.warnings] };
  for (const t of (await host.listTriggers?.()) ?? []) {
    const r = program.checkTrigger(t.name, t.body);
    problems.errors.push(...r.errors);
    problems.warnings.push(...r.warnings);
  }
  const compileErrors = problems.errors.map(located);
  // A class that does not compile is not deployed on Salesforce, so its tests never run; its errors
  // are reported apart and fail the run, and the summary counts test methods only.
  const broken = new Set(compileErrors.map((e) => e.className.toLowerCase()));
  const testClasses = [...program.classes.values()]
    .filter((c) => c.isTest && !broken.has(c.key))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const cls of testClasses) {
    if (wantClasses && !wantClasses.includes(cls.key) && !wantMethods?.some((m) => m.startsWith(cls.key + '.'))) continue;
    const methods = [...cls.methods.values()].flat();
    const setup = methods.filter((m) => m.annotations.some((a) => a.name === 'testsetup'));
    for (const m of methods.filter(isTestMethod).sort((a, b) => a.line - b.line)) {
      if (wantMethods && !wantClasses?.includes(cls.key) && !wantMethods.includes(cls.key + '.' + m.key)) continue;
      const start = Date.now();
      await host.begin();
      let failure: ApexFailure | undefined;
      // @IsTest(SeeAllData=true) sees the org's rows; other tests only the rows they insert.
      const seeAll = [cls.annotations, m.annotations].some((as) => as.some((a) => a.name === 'istest' && a.params['seealldata'] === true));
      const ids = seeAll ? undefined : new Set<string>();
      try {
        for (const s of setup) {
          const r = await runOne(host, program, coverage, cls, s, ids);
          if (!r.ok) {
            failure = r.failure;
            break;
          }
        }
        if (!failure) {
          const r = await runOne(host, program, coverage, cls, m, ids);
          if (!r.ok) failure = r.failure;
        }
      } catch (e) {
        failure = describeFailure(e);
      } finally {
        await host.rollback();
      }
      tests.push({
        className: cls.name,
        methodName: m.name,
        outcome: failure ? 'Fail' : 'Pass',
        message: failure?.message,
        stackTrace: failure?.stackTrace,
        runTimeMs: Date.now() - start,
      });
    }
  }
  const cov = computeCoverage(program, coverage);
  const failing = tests.filter((t) => t.outcome === 'Fail' || t.outcome === 'CompileFail').length;
  return {
    outcome: failing || compileErrors.length ? 'Failed' : 'Passed',
    testsRan: tests.length,
    passing: tests.filter((t) => t.outcome === 'Pass').length,
    failing,
    skipped: 0,
    totalTimeMs: Date.now() - t0,
    tests,
    coverage: cov,
    compileErrors,
    compileWarnings: problems.warnings.map(located),
  };
}

async function runOne(host: ApexHost, program: Program, coverage: Coverage, cls: ClassDef, m: MethodDef, testDataIds?: Set<string>) {
  return runInTransaction(host, program, coverage, cls, { isTest: true, manageTransaction: false, testDataIds }, async (tx, frame) => {
    await ensureStaticInit(frame, cls);
    await invoke(frame, m, null, [], { file: cls.fileName, line: m.line, col: 1, cls });
  });
}

/** Lines covered per top-level non-test class (inner classes count toward their file). */
export function computeCoverage(program: Program, coverage: Coverage): ClassCoverage[] {
  const out: ClassCoverage[] = [];
  for (const top of program.classes.values()) {
    if (top.isTest) continue;
    const exec = new Set<number>();
    const hit = new Set<number>();
    const walk = (c: ClassDef) => {
      for (const l of c.executableLines) exec.add(l);
      for (const l of coverage.get(c) ?? []) hit.add(l);
      for (const i of c.inner.values()) walk(i);
    };
    walk(top);
    if (exec.size) out.push(coverageRow(top.name, exec, hit));
  }
  for (const t of program.compiledTriggers()) {
    if (t.cls.executableLines.size)
      out.push({ ...coverageRow(t.name, t.cls.executableLines, coverage.get(t.cls) ?? new Set()), kind: 'Trigger' });
  }
  return out.sort((a, b) => a.className.localeCompare(b.className));
}

function coverageRow(className: string, exec: Set<number>, hit: Set<number>): ClassCoverage {
  const lines = [...exec].sort((a, b) => a - b);
  const covered = lines.filter((l) => hit.has(l));
  return {
    className,
    coveredLines: covered,
    uncoveredLines: lines.filter((l) => !hit.has(l)),
    percent: Math.round((covered.length / lines.length) * 100),
  };
}

export { ApexList };
export type { NObj };
export { runAuraAction, type AuraActionRequest, type AuraActionResult, type AuraErrorBody } from './aura.ts';

export interface ApiDmlOutcome {
  ok: boolean;
  id: string | null;
  /** The failed row's error (ok false): status code, message, fields, as the REST API answers it. */
  error?: { statusCode: string; message: string; fields: string[] };
}

/**
 * A record write from outside Apex (the REST API) as its own transaction through the runtime's DML,
 * so the org's triggers fire as they do for Salesforce's API writes. When the row fails (addError,
 * an exception in a trigger, the host's refusal), everything the triggers did is rolled back.
 */
export async function runApiDml(
  host: ApexHost,
  op: 'insert' | 'update' | 'delete' | 'undelete',
  record: SObjectRecord,
): Promise<ApiDmlOutcome> {
  const program = await loadProgram(host);
  const cls = new ClassDef('ApiRequest', 'ApiRequest');
  const site: Site = { file: 'ApiRequest', line: 1, col: 1, cls };
  let failedRow: ApiDmlOutcome['error'];
  const r = await runInTransaction(host, program, new Map(), cls, { quiddity: 'SYNCHRONOUS' }, async (tx, frame) => {
    const so = recordToSObject(record, record.attributes?.type ?? 'SObject', false);
    try {
      const [row] = await dml(frame, op, so, { userMode: false, allOrNone: true }, site);
      return row?.id ?? null;
    } catch (e) {
      const rows =
        e instanceof ApexThrow
          ? (e.ex.fields.get('__dmlrows') as { statusCode: string; message: string; fields: string[] }[] | undefined)
          : undefined;
      if (rows?.length) failedRow = { statusCode: rows[0].statusCode, message: rows[0].message, fields: rows[0].fields };
      throw e;
    }
  });
  if (r.ok) return { ok: true, id: r.value };
  return { ok: false, id: null, error: failedRow ?? { statusCode: 'UNKNOWN_EXCEPTION', message: r.failure.message, fields: [] } };
}
