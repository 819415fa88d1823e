/**
 * The platform's Apex endpoints, backed by tools/apex:
 * - `/services/apexrest/*` → the org's @RestResource classes;
 * - `POST /services/Soap/s/<v>` executeAnonymous with the debug log in the DebuggingInfo header (what
 *   `sf apex run --file` calls, see @salesforce/apex-node executeService.js);
 * - `GET /services/data/v<v>/tooling/executeAnonymous/?anonymousBody=…` (Tooling REST);
 * - `POST /services/data/v<v>/tooling/runTestsSynchronous` (what `sf apex run test --synchronous` calls).
 * - `POST …/tooling/runTestsAsynchronous` (what `sf apex run test` calls): the run completes before
 *   the answer and is kept in memory; tooling queries of ApexTestRunResult, ApexTestQueueItem,
 *   ApexTestResult, ApexCodeCoverage(Aggregate), ApexOrgWideCoverage and AsyncApexJob are answered
 *   from it (what `sf apex run test --wait`, `sf apex get test` and `--code-coverage` read).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext, RouteHandler } from '../http/contracts.ts';
import { hasUserPermission } from '../../data/access.ts';
import {
  executeAnonymous,
  runApexRest,
  runTests,
  type ApexHost,
  type ApexRestRequest,
  type ExecuteAnonymousResult,
  type TestRunResult,
} from '../../apex/index.ts';

const JSON_CT = 'application/json;charset=UTF-8';

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmlUnescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCharCode(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&amp;/g, '&');

function soapFault(res: ServerResponse, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/08/apex"><soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${xmlEscape(message)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
  send(res, 500, body, { 'Content-Type': 'text/xml;charset=UTF-8' });
}

const nilOr = (tag: string, v: string | number | undefined | null) =>
  v === undefined || v === null ? `<${tag} xsi:nil="true"/>` : `<${tag}>${xmlEscape(String(v))}</${tag}>`;

/** The SOAP envelope Salesforce returns for executeAnonymous. */
export function executeAnonymousSoap(r: ExecuteAnonymousResult): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/08/apex" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Header><DebuggingInfo><debugLog>${xmlEscape(r.debugLog)}</debugLog></DebuggingInfo></soapenv:Header>` +
    '<soapenv:Body><executeAnonymousResponse><result>' +
    `<column>${r.column}</column>` +
    nilOr('compileProblem', r.compileProblem) +
    `<compiled>${r.compiled}</compiled>` +
    nilOr('exceptionMessage', r.exceptionMessage) +
    nilOr('exceptionStackTrace', r.exceptionStackTrace) +
    `<line>${r.line}</line>` +
    `<success>${r.success}</success>` +
    '</result></executeAnonymousResponse></soapenv:Body></soapenv:Envelope>'
  );
}

/** Tooling REST executeAnonymous JSON (nulls where Salesforce sends null). */
export function executeAnonymousJson(r: ExecuteAnonymousResult): Record<string, unknown> {
  return {
    line: r.line,
    column: r.column,
    compiled: r.compiled,
    success: r.success,
    compileProblem: r.compileProblem ?? null,
    exceptionStackTrace: r.exceptionStackTrace ?? null,
    exceptionMessage: r.exceptionMessage ?? null,
  };
}

const hashId = (prefix: string, seed: string) => prefix + createHash('sha1').update(seed).digest('hex').slice(0, 12).toUpperCase() + 'AAA';
type ClassIdOf = (name: string) => string;
const madeUpClassId: ClassIdOf = (name) => hashId('01p', name.toLowerCase());

/** The ApexClass Id the Metadata module stored for `name`, so results join with ApexClass queries. */
function classIdResolver(ctx: RequestContext): (name: string) => string {
  return (name) => {
    try {
      const row = ctx.records.find(ctx.org.id, 'ApexClass', 'Name', name) as { Id?: string } | undefined;
      if (row?.Id) return row.Id;
    } catch {
      // no ApexClass object in this org's schema: fall back to a stable made-up Id
    }
    return hashId('01p', name.toLowerCase());
  };
}

/** Tooling runTestsSynchronous response (RunTestsResult). */
export function runTestsResultJson(r: TestRunResult, classId: ClassIdOf = madeUpClassId): Record<string, unknown> {
  return {
    numTestsRun: r.testsRan,
    numFailures: r.failing,
    totalTime: r.totalTimeMs,
    apexLogId: null,
    successes: r.tests
      .filter((t) => t.outcome === 'Pass')
      .map((t) => ({
        id: classId(t.className),
        methodName: t.methodName,
        name: t.className,
        namespace: null,
        seeAllData: false,
        time: t.runTimeMs,
      })),
    failures: r.tests
      .filter((t) => t.outcome !== 'Pass')
      .map((t) => ({
        id: classId(t.className),
        methodName: t.methodName,
        name: t.className,
        namespace: null,
        seeAllData: false,
        time: t.runTimeMs,
        type: 'Class',
        message: t.message ?? '',
        stackTrace: t.stackTrace ?? '',
      })),
    codeCoverage: r.coverage.map((c) => ({
      id: classId(c.className),
      name: c.className,
      namespace: null,
      type: 'Class',
      numLocations: c.coveredLines.length + c.uncoveredLines.length,
      numLocationsNotCovered: c.uncoveredLines.length,
      locationsNotCovered: c.uncoveredLines.map((line) => ({ line, column: 0, numExecutions: 0, time: -1 })),
    })),
    codeCoverageWarnings: [],
    flowCoverage: [],
    flowCoverageWarnings: [],
  };
}

// ---------------------------------------------------------------- asynchronous test runs

type Rec = Record<string, unknown>;
interface StoredRun {
  jobId: string;
  runResult: Rec;
  queueItems: Rec[];
  testResults: Rec[];
  coverage: Rec[];
  classCoverage: Rec[];
  orgWide: number;
}
/** Test runs per org, kept in memory for the life of the platform process. */
const runsByOrg = new Map<string, Map<string, StoredRun>>();
let runSeq = 0;

function storeRun(ctx: RequestContext, r: TestRunResult, started: Date, classId: ClassIdOf): StoredRun {
  const seq = ++runSeq;
  const jobId = hashId('707', `${ctx.org.id}:${seq}:${Date.now()}`);
  const runResultId = hashId('05m', jobId);
  const classes = [...new Set(r.tests.map((t) => t.className))];
  const queueItems = classes.map((c) => ({
    attributes: { type: 'ApexTestQueueItem' },
    Id: hashId('709', jobId + c),
    Status: 'Completed',
    ApexClassId: classId(c),
    TestRunResultId: runResultId,
    ParentJobId: jobId,
  }));
  const qiOf = (c: string) => queueItems[classes.indexOf(c)].Id;
  const iso = (d: Date) => d.toISOString().replace('Z', '+0000');
  const testResults = r.tests.map((t) => ({
    attributes: { type: 'ApexTestResult' },
    Id: hashId('07M', jobId + t.className + t.methodName),
    QueueItemId: qiOf(t.className),
    StackTrace: t.stackTrace ?? null,
    Message: t.message ?? null,
    RunTime: t.runTimeMs,
    TestTimestamp: iso(started),
    AsyncApexJobId: jobId,
    MethodName: t.methodName,
    Outcome: t.outcome === 'Pass' ? 'Pass' : t.outcome === 'CompileFail' ? 'CompileFail' : 'Fail',
    ApexLogId: null,
    IsTestSetup: false,
    ApexClass: { attributes: { type: 'ApexClass' }, Id: classId(t.className), Name: t.className, NamespacePrefix: null },
  }));
  const coverage = r.coverage.map((c) => ({
    attributes: { type: 'ApexCodeCoverageAggregate' },
    ApexClassOrTriggerId: classId(c.className),
    ApexClassOrTrigger: { attributes: { type: 'Name' }, Id: classId(c.className), Name: c.className },
    NumLinesCovered: c.coveredLines.length,
    NumLinesUncovered: c.uncoveredLines.length,
    Coverage: { coveredLines: c.coveredLines, uncoveredLines: c.uncoveredLines },
  }));
  const classCoverage = r.coverage.flatMap((c) =>
    classes.map((tc) => ({
      attributes: { type: 'ApexCodeCoverage' },
      ApexTestClassId: classId(tc),
      ApexClassOrTriggerId: classId(c.className),
      ApexClassOrTrigger: { attributes: { type: 'Name' }, Id: classId(c.className), Name: c.className },
      TestMethodName: r.tests.find((t) => t.className === tc)?.methodName ?? null,
      NumLinesCovered: c.coveredLines.length,
      NumLinesUncovered: c.uncoveredLines.length,
      Coverage: { coveredLines: c.coveredLines, uncoveredLines: c.uncoveredLines },
    })),
  );
  let covered = 0;
  let total = 0;
  for (const c of r.coverage) {
    covered += c.coveredLines.length;
    total += c.coveredLines.length + c.uncoveredLines.length;
  }
  const run: StoredRun = {
    jobId,
    runResult: {
      attributes: { type: 'ApexTestRunResult' },
      Id: runResultId,
      AsyncApexJobId: jobId,
      Status: 'Completed',
      ClassesCompleted: classes.length,
      ClassesEnqueued: classes.length,
      MethodsEnqueued: r.testsRan,
      MethodsCompleted: r.testsRan,
      MethodsFailed: r.failing,
      StartTime: iso(started),
      EndTime: iso(new Date(started.getTime() + r.totalTimeMs)),
      TestTime: r.totalTimeMs,
      TestSetupTime: 0,
      UserId: ctx.userId ?? null,
    },
    queueItems,
    testResults,
    coverage,
    classCoverage,
    orgWide: total ? Math.round((covered / total) * 100) : 0,
  };
  let m = runsByOrg.get(ctx.org.id);
  if (!m) runsByOrg.set(ctx.org.id, (m = new Map()));
  m.set(jobId, run);
  return run;
}

const TEST_OBJECTS =
  /\bFROM\s+(ApexTestRunResult|ApexTestQueueItem|ApexTestResult|ApexCodeCoverageAggregate|ApexCodeCoverage|ApexOrgWideCoverage|AsyncApexJob)\b/i;

/** Tooling queries over test-run objects, answered from the runs this module stored. */
function testObjectQuery(ctx: RequestContext, soql: string): Rec[] | undefined {
  const m = TEST_OBJECTS.exec(soql);
  if (!m) return undefined;
  const runs = [...(runsByOrg.get(ctx.org.id)?.values() ?? [])];
  const ids = new Set([...soql.matchAll(/'([A-Za-z0-9]{15,18})'/g)].map((x) => x[1]));
  const pick = (rows: Rec[], ...fields: string[]) =>
    ids.size === 0
      ? rows
      : rows.filter((r) => fields.some((fl) => ids.has(String(r[fl] ?? (r as { ApexClassOrTrigger?: Rec }).ApexClassOrTrigger?.Id))));
  const latest = runs[runs.length - 1];
  switch (m[1].toLowerCase()) {
    case 'apextestrunresult':
      return pick(
        runs.map((r) => r.runResult),
        'AsyncApexJobId',
        'Id',
      );
    case 'apextestqueueitem':
      return pick(
        runs.flatMap((r) => r.queueItems),
        'ParentJobId',
        'Id',
      );
    case 'apextestresult':
      return pick(
        runs.flatMap((r) => r.testResults),
        'QueueItemId',
        'AsyncApexJobId',
        'Id',
      );
    case 'asyncapexjob':
      return pick(
        runs.map((r) => ({ attributes: { type: 'AsyncApexJob' }, Id: r.jobId, Status: 'Completed', JobType: 'TestRequest' })),
        'Id',
      );
    case 'apexcodecoverageaggregate':
      return pick(latest?.coverage ?? [], 'ApexClassOrTriggerId');
    case 'apexcodecoverage':
      return pick(latest?.classCoverage ?? [], 'ApexTestClassId', 'ApexClassOrTriggerId');
    case 'apexorgwidecoverage':
      return latest ? [{ attributes: { type: 'ApexOrgWideCoverage' }, PercentCovered: latest.orgWide }] : [];
  }
  return undefined;
}

/** Which tests a runTests* payload names (tests[], classNames, classids, testLevel). */
async function selection(ctx: RequestContext, payload: Rec): Promise<{ classNames?: string[]; methodNames?: string[] } | string> {
  const classNames: string[] = [];
  const methodNames: string[] = [];
  const nameOfId = (id: string): string | undefined => {
    try {
      const row = ctx.records.find(ctx.org.id, 'ApexClass', 'Id', id) as { Name?: string } | undefined;
      if (row?.Name) return row.Name;
    } catch {
      // fall through to the made-up Ids
    }
    return undefined;
  };
  const host = ctx.apexHost(ctx.userId!);
  const all = (await host.listClasses()).map((c) => c.name);
  const byId = (id: string) => nameOfId(id) ?? all.find((n) => hashId('01p', n.toLowerCase()).slice(0, 15) === id.slice(0, 15));
  for (const t of (payload.tests as { className?: string; classId?: string; testMethods?: string[] }[] | undefined) ?? []) {
    const name = t.className ?? (t.classId ? byId(t.classId) : undefined);
    if (!name) return `No Apex class with Id ${t.classId}`;
    if (t.testMethods?.length) for (const m of t.testMethods) methodNames.push(`${name}.${m}`);
    else classNames.push(name);
  }
  if (typeof payload.classNames === 'string')
    classNames.push(
      ...payload.classNames
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );
  if (typeof payload.classids === 'string')
    for (const id of payload.classids
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const name = byId(id);
      if (!name) return `No Apex class with Id ${id}`;
      classNames.push(name);
    }
  if (classNames.length || methodNames.length)
    return { classNames: classNames.length ? classNames : undefined, methodNames: methodNames.length ? methodNames : undefined };
  const level = String(payload.testLevel ?? '');
  if (/^(RunLocalTests|RunAllTestsInOrg)$/.test(level)) return {};
  return 'Name the tests to run (tests, classNames, classids or testLevel RunLocalTests)';
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') out[k] = v;
  return out;
}

async function apexRest(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, body: Buffer, url: URL): Promise<void> {
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  const request: ApexRestRequest = {
    method: req.method ?? 'GET',
    requestUri: decodeURIComponent(url.pathname.slice('/services/apexrest'.length)) || '/',
    params,
    headers: headersOf(req),
    body,
    remoteAddress: req.socket.remoteAddress ?? '127.0.0.1',
  };
  const out = await isolated(ctx, 'runApexRest', [request], (host) => runApexRest(host, request));
  send(res, out.statusCode, out.body, out.headers);
}

/** Runs an Apex entry point on a worker thread when the platform has them, else here. */
function isolated<T>(ctx: RequestContext, entry: string, args: unknown[], here: (host: ApexHost) => Promise<T>): Promise<T> {
  return ctx.runApex ? ctx.runApex<T>(entry, ctx.userId!, args) : here(ctx.apexHost(ctx.userId!));
}

/**
 * Anonymous Apex and Apex tests need "Author Apex" (Modify All Data implies it here). Salesforce's
 * Apex guide allows "restricted access" to anonymous Apex through the API without it; what that
 * restriction is, and the error text, are unverified, so the local platform refuses outright.
 */
const AUTHOR_APEX_MESSAGE = 'INSUFFICIENT_ACCESS: executing anonymous Apex or Apex tests requires the Author Apex permission';
function canAuthorApex(ctx: RequestContext): boolean {
  return !!ctx.userId && hasUserPermission(ctx.db, ctx.org.id, ctx.userId, 'AuthorApex', 'ModifyAllData');
}

export const apexRoutes: RouteHandler = async (ctx, req, res, body) => {
  const url = new URL(req.url ?? '/', 'http://local');
  const path = url.pathname;
  if (path === '/services/apexrest' || path.startsWith('/services/apexrest/')) {
    if (!ctx.userId) return false; // the server answers INVALID_SESSION_ID
    await apexRest(ctx, req, res, body, url);
    return true;
  }
  if (/^\/services\/Soap\/s\/[\d.]+(\/.*)?$/.test(path) && req.method === 'POST') {
    const xml = body.toString('utf8');
    if (!ctx.userId) {
      soapFault(res, 'INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session');
      return true;
    }
    if (!canAuthorApex(ctx)) {
      soapFault(res, 'INSUFFICIENT_ACCESS', AUTHOR_APEX_MESSAGE);
      return true;
    }
    const m = /<(?:\w+:)?executeAnonymous\b[^>]*>[\s\S]*?<(?:\w+:)?apexcode>([\s\S]*?)<\/(?:\w+:)?apexcode>/.exec(xml);
    if (!m) {
      soapFault(res, 'INVALID_OPERATION', 'Only executeAnonymous is served by the local Apex SOAP API');
      return true;
    }
    const code = xmlUnescape(m[1]);
    const result = await isolated(ctx, 'executeAnonymous', [code], (host) => executeAnonymous(host, code));
    send(res, 200, executeAnonymousSoap(result), { 'Content-Type': 'text/xml;charset=UTF-8' });
    return true;
  }
  if (/^\/services\/data\/v[\d.]+\/tooling\/query(All)?\/?$/.test(path) && req.method === 'GET' && ctx.userId) {
    const q = url.searchParams.get('q') ?? '';
    const rows = testObjectQuery(ctx, q);
    if (!rows) return false; // other objects: the platform's tooling query
    const type = TEST_OBJECTS.exec(q)![1];
    send(
      res,
      200,
      JSON.stringify({ size: rows.length, totalSize: rows.length, done: true, queryLocator: null, entityTypeName: type, records: rows }),
      { 'Content-Type': JSON_CT },
    );
    return true;
  }
  const tooling = /^\/services\/data\/v[\d.]+\/tooling\/(executeAnonymous|runTestsSynchronous|runTestsAsynchronous)\/?$/.exec(path);
  if (tooling && ctx.userId) {
    if (!canAuthorApex(ctx)) {
      send(
        res,
        403,
        JSON.stringify([{ errorCode: 'INSUFFICIENT_ACCESS', message: AUTHOR_APEX_MESSAGE.replace(/^INSUFFICIENT_ACCESS: /, '') }]),
        { 'Content-Type': JSON_CT },
      );
      return true;
    }
    const classId = classIdResolver(ctx);
    if (tooling[1] === 'runTestsAsynchronous' && req.method === 'POST') {
      let payload: Rec;
      try {
        payload = JSON.parse(body.toString('utf8') || '{}');
      } catch (e) {
        send(res, 400, JSON.stringify([{ errorCode: 'JSON_PARSER_ERROR', message: (e as Error).message }]), { 'Content-Type': JSON_CT });
        return true;
      }
      const sel = await selection(ctx, payload);
      if (typeof sel === 'string') {
        send(res, 400, JSON.stringify([{ errorCode: 'INVALID_INPUT', message: sel }]), { 'Content-Type': JSON_CT });
        return true;
      }
      // The run completes before the answer: polling clients see Status 'Completed' at once.
      const started = new Date();
      const r = await isolated(ctx, 'runTests', [sel], (h) => runTests(h, sel));
      const stored = storeRun(ctx, r, started, classId);
      send(res, 200, JSON.stringify(stored.jobId), { 'Content-Type': JSON_CT });
      return true;
    }
    if (tooling[1] === 'executeAnonymous' && req.method === 'GET') {
      const source = url.searchParams.get('anonymousBody');
      if (source === null) {
        send(res, 400, JSON.stringify([{ errorCode: 'MISSING_ARGUMENT', message: 'anonymousBody: required parameter missing' }]), {
          'Content-Type': JSON_CT,
        });
        return true;
      }
      const r = await isolated(ctx, 'executeAnonymous', [source], (h) => executeAnonymous(h, source));
      send(res, 200, JSON.stringify(executeAnonymousJson(r)), { 'Content-Type': JSON_CT });
      return true;
    }
    if (tooling[1] === 'runTestsSynchronous' && req.method === 'POST') {
      let payload: { tests?: { className?: string; testMethods?: string[] }[]; classNames?: string };
      try {
        payload = JSON.parse(body.toString('utf8') || '{}');
      } catch (e) {
        send(res, 400, JSON.stringify([{ errorCode: 'JSON_PARSER_ERROR', message: (e as Error).message }]), { 'Content-Type': JSON_CT });
        return true;
      }
      const classNames: string[] = [];
      const methodNames: string[] = [];
      for (const t of payload.tests ?? []) {
        if (!t.className) continue;
        if (t.testMethods?.length) for (const m of t.testMethods) methodNames.push(`${t.className}.${m}`);
        else classNames.push(t.className);
      }
      if (payload.classNames)
        classNames.push(
          ...payload.classNames
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        );
      if (!classNames.length && !methodNames.length) {
        send(
          res,
          400,
          JSON.stringify([{ errorCode: 'INVALID_INPUT', message: 'Name the test class (tests[].className) to run synchronously' }]),
          { 'Content-Type': JSON_CT },
        );
        return true;
      }
      const opts = { classNames: classNames.length ? classNames : undefined, methodNames: methodNames.length ? methodNames : undefined };
      const r = await isolated(ctx, 'runTests', [opts], (h) => runTests(h, opts));
      send(res, 200, JSON.stringify(runTestsResultJson(r, classId)), { 'Content-Type': JSON_CT });
      return true;
    }
  }
  return false;
};
