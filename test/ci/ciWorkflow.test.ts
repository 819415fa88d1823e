/**
 * The shape of .github/workflows/ci.yml's scratch-orgs job that the e2e run (scratchOrgsWorkflow.e2e.test.ts)
 * cannot see: one run at a time per repository, and the Dev Hub key removed only by the job's last step.
 */
import { join } from 'node:path';
import { isBasicExpression, isString } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { loadJob } from '../../tools/ci/workflowRunner.ts';

const WORKFLOW = join(import.meta.dirname, '..', '..', '.github', 'workflows', 'ci.yml');

describe('the scratch-orgs job', () => {
  it('runs in one repository-wide concurrency group (every run shares the Dev Hub allocations)', async () => {
    const { job } = await loadJob(WORKFLOW, 'scratch-orgs');
    const concurrency = job.concurrency as unknown as
      { find(key: string): { value?: string; expression?: string } | undefined } | undefined;
    const group = concurrency?.find('group');
    expect(group?.value, 'a literal group: one per branch would let two runs hold orgs at once').toBe('scratch-orgs');
  });

  it('removes the Dev Hub key in its last step, which always runs, and in no step before', async () => {
    const { job } = await loadJob(WORKFLOW, 'scratch-orgs');
    const runs = job.steps.map((s) =>
      'run' in s && s.run ? (isString(s.run) ? s.run.value : isBasicExpression(s.run) ? s.run.expression : '') : '',
    );
    const last = job.steps.at(-1)!;
    expect(runs.at(-1)).toContain('rm -f "$RUNNER_TEMP/devhub.key"');
    expect((last as { if?: { expression: string } }).if?.expression).toBe('always()');
    expect(runs.slice(0, -1).filter((r) => /\brm\b[^\n]*(key|\$key)/.test(r))).toEqual([]);
  });
});
