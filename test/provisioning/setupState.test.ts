/** The state file: a broken or foreign one is an error that names the file, its orgs and the fix, never a silent new pair. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadState, saveState, emptyState } from '../../tools/provisioning/setupState.ts';
import { ToolError } from '../../tools/core/ToolError.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'setup-state-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function refusal(text: string): Promise<ToolError> {
  const path = join(dir, `${Math.random()}.json`);
  await writeFile(path, text);
  const e = await loadState(path).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ToolError);
  const err = e as ToolError;
  expect(err.message).toContain(path);
  expect(err.actions.at(-1)).toBe(`Then delete ${path} (rm ${path}) and run setup:orgs again: it signs up a new pair of orgs.`);
  return err;
}

describe('loadState', () => {
  it('a missing file is an empty state; what saveState writes reads back', async () => {
    expect(await loadState(join(dir, 'none.json'))).toEqual(emptyState());
    const path = join(dir, 'ok.json');
    const state = {
      ...emptyState(),
      provider: { alias: 'b', username: 'b@x.test', orgId: '00D', instanceUrl: 'http://x', loginUrl: 'http://x' },
    };
    await saveState(path, state);
    expect(await loadState(path)).toEqual(state);
  });

  it('saves that run side by side (further source orgs) all land, the last one last', async () => {
    const path = join(dir, 'parallel.json');
    const states = [2, 3, 4, 5].map((n) => ({ ...emptyState(), integrationUsername: `integration${n}@b.test` }));
    await Promise.all(states.map((s) => saveState(path, s)));
    expect(await loadState(path)).toEqual(states.at(-1));
  });

  it('an unparsable file names the file and the fix', async () => {
    const e = await refusal('{"version": 1, "provider": {"username": "b@scratch.test"');
    expect(e.name).toBe('BrokenStateFile');
    expect(e.message).toMatch(/is not valid JSON/);
    expect(e.actions[0]).toBe(
      'Delete the scratch org it names if you no longer need it: npx sf org delete scratch --target-org b@scratch.test --no-prompt',
    );
  });

  it('a file of another shape names the orgs it lists instead of signing up a new pair silently', async () => {
    const e = await refusal(JSON.stringify({ version: 2, orgs: [{ username: 'old-b@scratch.test' }, { username: 'old-a@scratch.test' }] }));
    expect(e.name).toBe('UnknownStateFile');
    expect(e.message).toContain('(version 2, expected 1)');
    expect(e.actions.slice(0, 2).map((a) => a.split('--target-org ')[1])).toEqual([
      'old-b@scratch.test --no-prompt',
      'old-a@scratch.test --no-prompt',
    ]);
    await refusal('[]');
    await refusal(JSON.stringify({ version: 1, done: {}, provider: 'b' }));
  });
});
