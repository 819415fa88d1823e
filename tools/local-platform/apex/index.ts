/**
 * The platform's Apex endpoints, backed by tools/apex:
 * - `/services/apexrest/*` → the org's @RestResource classes;
 * - `POST /services/Soap/s/<v>` executeAnonymous with the debug log in the DebuggingInfo header (what
 *   `sf apex run --file` calls, see @salesforce/apex-node executeService.js);
 * - `GET /services/data/v<v>/tooling/executeAnonymous/?anonymousBody=…` (Tooling REST);
 * - `POST /services/data/v<v>/tooling/runTestsSynchronous` (what `sf apex run test --synchronous` calls).
 * Asynchronous test runs (runTestsAsynchronous + ApexTestRunResult queries + streaming) are not
 * served here; the server answers them as not supported.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext, RouteHandler } from '../contracts.ts';
import { executeAnonymous, runApexRest, runTests, type ExecuteAnonymousResult, type TestRunResult } from '../../apex/index.ts';

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

const classId = (name: string) => '01p' + createHash('sha1').update(name.toLowerCase()).digest('hex').slice(0, 12).toUpperCase() + 'AAA';

/** Tooling runTestsSynchronous response (RunTestsResult). */
export function runTestsResultJson(r: TestRunResult): Record<string, unknown> {
  return {
    numTestsRun: r.testsRan,
    numFailures: r.failing,
    totalTime: r.totalTimeMs,
    apexLogId: null,
    successes: r.tests
      .filter((t) => t.outcome === 'Pass')
      .map((t) => ({ id: classId(t.className), methodName: t.methodName, name: t.className, namespace: null, seeAllData: false, time: t.runTimeMs })),
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

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') out[k] = v;
  return out;
}

async function apexRest(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, body: Buffer, url: URL): Promise<void> {
  const host = ctx.apexHost(ctx.userId!);
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  const out = await runApexRest(host, {
    method: req.method ?? 'GET',
    requestUri: decodeURIComponent(url.pathname.slice('/services/apexrest'.length)) || '/',
    params,
    headers: headersOf(req),
    body,
    remoteAddress: req.socket.remoteAddress ?? '127.0.0.1',
  });
  send(res, out.statusCode, out.body, out.headers);
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
    const m = /<(?:\w+:)?executeAnonymous\b[^>]*>[\s\S]*?<(?:\w+:)?apexcode>([\s\S]*?)<\/(?:\w+:)?apexcode>/.exec(xml);
    if (!m) {
      soapFault(res, 'INVALID_OPERATION', 'Only executeAnonymous is served by the local Apex SOAP API');
      return true;
    }
    const result = await executeAnonymous(ctx.apexHost(ctx.userId), xmlUnescape(m[1]));
    send(res, 200, executeAnonymousSoap(result), { 'Content-Type': 'text/xml;charset=UTF-8' });
    return true;
  }
  const tooling = /^\/services\/data\/v[\d.]+\/tooling\/(executeAnonymous|runTestsSynchronous)\/?$/.exec(path);
  if (tooling && ctx.userId) {
    const host = ctx.apexHost(ctx.userId);
    if (tooling[1] === 'executeAnonymous' && req.method === 'GET') {
      const source = url.searchParams.get('anonymousBody');
      if (source === null) {
        send(res, 400, JSON.stringify([{ errorCode: 'MISSING_ARGUMENT', message: 'anonymousBody: required parameter missing' }]), { 'Content-Type': JSON_CT });
        return true;
      }
      const r = await executeAnonymous(host, source);
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
      if (payload.classNames) classNames.push(...payload.classNames.split(',').map((s) => s.trim()).filter(Boolean));
      if (!classNames.length && !methodNames.length) {
        send(res, 400, JSON.stringify([{ errorCode: 'INVALID_INPUT', message: 'Name the test class (tests[].className) to run synchronously' }]), { 'Content-Type': JSON_CT });
        return true;
      }
      const r = await runTests(host, { classNames: classNames.length ? classNames : undefined, methodNames: methodNames.length ? methodNames : undefined });
      send(res, 200, JSON.stringify(runTestsResultJson(r)), { 'Content-Type': JSON_CT });
      return true;
    }
  }
  return false;
};
