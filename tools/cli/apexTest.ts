/**
 * `npm run apex-test [-- --json] [--junit FILE] [--class-names A,B] [--tests A.m,B.n] [--source-dir DIR]`:
 * runs the project's Apex tests on the local Apex runtime (an in-memory org on the platform's data engine) and prints sf-style results
 * with coverage per class. Exit code 1 when a test fails.
 */
import { parseFlags } from './flags.ts';
import { runMain } from './runMain.ts';
import { writeFileSync } from 'node:fs';
import { ToolError } from '../core/ToolError.ts';
import { runTests } from '../apex/index.ts';
import { projectOrg } from '../local-platform/apex/projectOrg.ts';
import { testRunHuman, testRunJson, testRunJunit } from '../apex/testFormatters.ts';

const USAGE = 'Usage: npm run apex-test -- [--json] [--junit FILE] [--class-names A,B] [--tests Class.method,...] [--source-dir force-app]';

async function main(argv: string[]): Promise<number> {
  const args = parseFlags(USAGE, {
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      junit: { type: 'string' },
      'class-names': { type: 'string', short: 'n' },
      tests: { type: 'string', short: 't' },
      'source-dir': { type: 'string', short: 'd', multiple: true },
    },
  }).values;
  const dirs = args['source-dir']?.length ? args['source-dir'] : ['force-app'];
  const { host, classes } = projectOrg(dirs);
  if (!classes.length)
    throw new ToolError(`No Apex classes found under ${dirs.join(', ')}.`, 'NoApexClasses', [
      'Pass --source-dir pointing at a package directory holding .cls files (any folder depth)',
    ]);
  const split = (s?: string) =>
    s
      ? s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : undefined;
  const result = await runTests(host, { classNames: split(args['class-names']), methodNames: split(args.tests) });
  const meta = { orgId: host.orgId, username: host.user.username };
  if (args.junit) writeFileSync(args.junit, testRunJunit(result));
  if (args.json)
    process.stdout.write(
      JSON.stringify({ status: result.outcome === 'Passed' ? 0 : 100, result: testRunJson(result, meta) }, null, 2) + '\n',
    );
  else process.stdout.write(testRunHuman(result, meta));
  return result.outcome === 'Passed' ? 0 : 1;
}

runMain(main);
