/**
 * The workflow runner's GitHub semantics on a small workflow of its own: unset secrets and variables are '',
 * `||` / `&&` return values, status functions after a failure, $GITHUB_ENV between steps, uses: skipped.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvFile, runWorkflowJob } from '../../tools/ci/workflowRunner.ts';

let dir: string;
const WORKFLOW = `
name: t
on: push
jobs:
  main:
    runs-on: ubuntu-latest
    env:
      HAS_KEY: \${{ secrets.KEY != '' }}
    steps:
      - uses: actions/checkout@v4
      - name: expressions
        env:
          APP: \${{ vars.APP }}
          URL: \${{ vars.APP && 'http://localhost:1717/OauthRedirect' || '' }}
          HOST: \${{ secrets.HOST || 'https://login.salesforce.com' }}
        run: |
          echo "has=$HAS_KEY app=[$APP] url=[$URL] host=[$HOST] set=\${APP+yes}"
          echo "FROM_STEP=exported" >> "$GITHUB_ENV"
          test -d "$RUNNER_TEMP"
      - name: sees the export
        run: echo "from=$FROM_STEP"
      - name: quotes
        run: echo "\${{ format('a ''b'' ''c'' {0}', 'd') }}"
      - name: fails
        run: exit 3
      - name: skipped after a failure
        run: echo never
      - name: on failure
        if: failure()
        run: echo failure-ran
      - name: always
        if: always() && env.HAS_KEY == 'true'
        run: echo always-ran
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-'));
  await writeFile(join(dir, 'ci.yml'), WORKFLOW);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('runWorkflowJob', () => {
  it('evaluates with GitHub semantics and runs steps by their if:', async () => {
    const run = (secrets: Record<string, string>, vars: Record<string, string>) =>
      runWorkflowJob({
        workflowFile: join(dir, 'ci.yml'),
        job: 'main',
        workspace: dir,
        secrets,
        vars,
        runnerEnv: { PATH: process.env.PATH },
      });
    const unset = await run({}, {});
    expect(unset.conclusion).toBe('failure');
    const by = (name: string) => unset.steps.find((s) => s.name === name)!;
    expect(unset.steps[0]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('uses:') });
    // Unset: '' everywhere, and an env value of '' is still set (the defect 2 mechanism).
    expect(by('expressions').output).toContain('has=false app=[] url=[] host=[https://login.salesforce.com] set=yes');
    expect(by('sees the export').output).toContain('from=exported');
    // Each '' in a literal is one quote (the library alone unescapes only the first).
    expect(by('quotes').output).toContain("a 'b' 'c' d");
    expect(by('fails')).toMatchObject({ outcome: 'failure', exitCode: 3 });
    expect(by('skipped after a failure')).toMatchObject({ outcome: 'skipped' });
    expect(by('on failure').output).toContain('failure-ran');
    expect(by('always')).toMatchObject({ outcome: 'skipped' });

    const set = await run({ KEY: 'k', HOST: 'https://x.my.salesforce.com' }, { APP: 'PlatformCLI' });
    expect(set.steps.find((s) => s.name === 'expressions')!.output).toContain(
      'has=true app=[PlatformCLI] url=[http://localhost:1717/OauthRedirect] host=[https://x.my.salesforce.com]',
    );
    expect(set.steps.find((s) => s.name === 'on failure')!.outcome).toBe('success');
    expect(set.steps.find((s) => s.name === 'always')!.output).toContain('always-ran');
  });

  it('reads $GITHUB_ENV lines, multi-line values included', () => {
    expect(parseEnvFile('A=1\nB<<EOF\nx\ny\nEOF\nC=a=b\n')).toEqual({ A: '1', B: 'x\ny', C: 'a=b' });
  });

  it('refuses a workflow GitHub would refuse, with the parser message', async () => {
    await writeFile(join(dir, 'bad.yml'), 'on: push\njobs:\n  main:\n    runs-on: x\n    steps:\n      - run: echo\n        bogus: 1\n');
    await expect(runWorkflowJob({ workflowFile: join(dir, 'bad.yml'), job: 'main', workspace: dir })).rejects.toThrow(/bogus/);
  });
});
