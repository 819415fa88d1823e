/** What the benches share: the median of a sample, a JWT bearer assertion signed RS256, and an isolated setup. */
import { createSign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { projectRoot } from '../provisioning/sfCli.ts';

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A JWT bearer grant's assertion for `sub`, valid for 10 minutes. */
export function jwtAssertion(clientId: string, sub: string, aud: string, keyPem: string): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64({ alg: 'RS256' })}.${b64({ iss: clientId, sub, aud, exp: Math.floor(Date.now() / 1000) + 600 })}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(keyPem).toString('base64url')}`;
}

export const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');

/** A bench run's own world: sf's HOME, the platform's home and a random port, the tooling's work folder. */
export interface IsolatedSetup {
  env: { HOME: string; LOCAL_SF_HOME: string; LOCAL_SF_PORT: string; ORG_A_TO_B_WORKDIR: string; SF_DISABLE_TELEMETRY: string } & Record<
    string,
    string
  >;
  /** Stops the platform this run started and deletes its folders. */
  teardown(): Promise<void>;
}

/** A fresh isolated setup below the system's temp folder (`prefix` names it); `extra` adds variables. */
export async function isolatedSetup(prefix: string, extra: Record<string, string> = {}): Promise<IsolatedSetup> {
  const base = await mkdtemp(join(tmpdir(), prefix));
  const env = {
    HOME: join(base, 'home'),
    LOCAL_SF_HOME: join(base, 'platform'),
    LOCAL_SF_PORT: String(30_000 + Math.floor(Math.random() * 20_000)),
    ORG_A_TO_B_WORKDIR: join(base, 'work'),
    SF_DISABLE_TELEMETRY: 'true',
    ...extra,
  };
  return {
    env,
    async teardown() {
      await execa(tsx, [join(projectRoot, 'tools', 'cli', 'localOrgs.ts'), 'stop'], { cwd: projectRoot, env, reject: false });
      await rm(base, { recursive: true, force: true });
    },
  };
}
