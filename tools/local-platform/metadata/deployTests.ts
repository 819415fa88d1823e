/**
 * Apex tests during a deploy (`--test-level RunSpecifiedTests|RunLocalTests|RunAllTestsInOrg`), run by the
 * local Apex runtime (tools/apex runTests). The deploy has already applied its components when this runs
 * (deployPackage.ts undoes them if the tests fail), so the tests see the permission sets, objects, custom
 * metadata and classes of the same deploy; the batch's classes are still laid over the stored ones so the
 * run never depends on that order. Coverage rules and their messages: 75% per deployed class with
 * RunSpecifiedTests, 75% across the org otherwise.
 */
import type { ApexHost, ApexClassSource } from '../../apex/host.ts';

export const TEST_RUNNING_LEVELS = ['RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg', 'RunRelevantTests'];

export interface RunTestResult {
  numFailures: number;
  numTestsRun: number;
  totalTime: number;
  successes: unknown[];
  failures: unknown[];
  codeCoverage: unknown[];
  codeCoverageWarnings: unknown[];
}

export interface DeployTestOutcome {
  runTestResult: RunTestResult;
  /** Failing tests or coverage below the requirement. */
  failed: boolean;
}

/** The host as the runtime sees it, with this deploy's classes in place of the stored ones. */
function hostWithClasses(host: ApexHost, batch: ApexClassSource[]): ApexHost {
  return new Proxy(host, {
    get(target, prop, receiver) {
      if (prop === 'listClasses') {
        return async () => {
          const byName = new Map((await target.listClasses()).map((c) => [c.name.toLowerCase(), c]));
          for (const c of batch) byName.set(c.name.toLowerCase(), c);
          return [...byName.values()];
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export async function runDeployTests(
  host: ApexHost,
  batch: ApexClassSource[],
  testLevel: string,
  runTests: string[],
  batchTriggers: string[] = [],
): Promise<DeployTestOutcome> {
  const { runTests: run } = await import('../../apex/index.ts');
  const specified = testLevel === 'RunSpecifiedTests';
  const classNames = specified ? runTests.filter((t) => !t.includes('.')) : undefined;
  const methodNames = specified ? runTests.filter((t) => t.includes('.')) : undefined;
  const result = await run(hostWithClasses(host, batch), { classNames, methodNames: methodNames?.length ? methodNames : undefined });
  const successes = result.tests
    .filter((t) => t.outcome === 'Pass')
    .map((t) => ({ id: '', methodName: t.methodName, name: t.className, namespace: null, time: t.runTimeMs }));
  const failures = result.tests
    .filter((t) => t.outcome === 'Fail' || t.outcome === 'CompileFail')
    .map((t) => ({
      id: '',
      message: t.message ?? '',
      methodName: t.methodName,
      name: t.className,
      namespace: null,
      stackTrace: t.stackTrace ?? '',
      time: t.runTimeMs,
      type: 'Class',
    }));
  const codeCoverage = result.coverage.map((c) => ({
    id: '',
    locationsNotCovered: c.uncoveredLines.map((line) => ({ column: 0, line, numExecutions: 0, time: -1 })),
    name: c.className,
    namespace: null,
    numLocations: c.coveredLines.length + c.uncoveredLines.length,
    numLocationsNotCovered: c.uncoveredLines.length,
    type: c.kind ?? 'Class',
  }));
  const warnings: { message: string; name?: string; namespace: null }[] = [];
  if (specified) {
    const deployed = new Set(batch.map((c) => c.name.toLowerCase()));
    for (const c of result.coverage) {
      if (!deployed.has(c.className.toLowerCase())) continue;
      const pct = Math.floor(c.percent);
      if (pct < 75)
        warnings.push({
          message: `Test coverage of selected Apex Class is ${pct}%, at least 75% test coverage is required`,
          name: c.className,
          namespace: null,
        });
    }
  } else {
    const covered = result.coverage.reduce((n, c) => n + c.coveredLines.length, 0);
    const total = result.coverage.reduce((n, c) => n + c.coveredLines.length + c.uncoveredLines.length, 0);
    const pct = total === 0 ? 100 : Math.floor((covered / total) * 100);
    if (pct < 75)
      warnings.push({
        message: `Average test coverage across all Apex Classes and Triggers is ${pct}%, at least 75% test coverage is required.`,
        namespace: null,
      });
  }
  // Every deployed trigger needs some coverage (Salesforce's 1% rule for triggers).
  for (const name of batchTriggers) {
    const c = result.coverage.find((x) => x.kind === 'Trigger' && x.className.toLowerCase() === name.toLowerCase());
    if (!c || c.coveredLines.length === 0)
      warnings.push({
        message: 'Test coverage of selected Apex Trigger is 0%, at least 1% test coverage is required',
        name,
        namespace: null,
      });
  }
  return {
    runTestResult: {
      numFailures: failures.length,
      numTestsRun: result.testsRan,
      totalTime: result.totalTimeMs,
      successes,
      failures,
      codeCoverage,
      codeCoverageWarnings: warnings,
    },
    failed: failures.length > 0 || warnings.length > 0,
  };
}
