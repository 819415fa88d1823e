/**
 * Public entry points of the Apex runtime. The local platform calls these; everything else in
 * tools/apex is internal. Each call runs one Apex transaction against the org behind `host`.
 */
import type { ApexHost } from './host.ts';

export type { ApexHost } from './host.ts';

export interface ApexRestRequest {
  method: string;
  /** Path after /services/apexrest, e.g. `/AccountRetriever/latest` */
  requestUri: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  body: Buffer | string;
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
}

export interface RunTestsOptions {
  classNames?: string[];
  /** `Class.method` entries */
  methodNames?: string[];
}

export async function runApexRest(host: ApexHost, request: ApexRestRequest): Promise<ApexRestResponse> {
  void host;
  void request;
  throw new Error('not implemented yet');
}

export async function executeAnonymous(host: ApexHost, source: string): Promise<ExecuteAnonymousResult> {
  void host;
  void source;
  throw new Error('not implemented yet');
}

export async function runTests(host: ApexHost, options: RunTestsOptions = {}): Promise<TestRunResult> {
  void host;
  void options;
  throw new Error('not implemented yet');
}
