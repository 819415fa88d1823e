/**
 * The state file that makes `setup:orgs` resumable: each step records what it produced, so a re-run
 * skips finished steps and continues from the one that failed. Written atomically; holds no secret.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface OrgRef {
  alias: string;
  username: string;
  orgId: string;
  instanceUrl: string;
  /** B's My Domain URL: the token host, and the first JWT audience setup tries. */
  loginUrl: string;
}

/** A source org after the first (`--providers N`, or configure's further --provider-org). */
export interface ExtraProvider {
  org: OrgRef;
  app?: { kind: 'eca' | 'connected-app'; name: string; consumerKey: string };
  integrationUsername?: string;
}

export interface SetupState {
  version: 1;
  devHub?: { alias: string; local: boolean };
  provider?: OrgRef;
  consumer?: OrgRef;
  certificate?: { source: 'org' | 'local'; pem: string; fingerprintSha256: string; name: string };
  app?: { kind: 'eca' | 'connected-app'; name: string; consumerKey: string };
  integrationUsername?: string;
  auth?: 'apex-jwt' | 'named-credential';
  extraProviders?: ExtraProvider[];
  /** What `--objects` exposed (fields as the first source org has them) and A's connection records, in order. */
  remoteRecords?: { objects: { name: string; fields: string[] }[]; connections: string[] };
  /** Whether A got the token cache partition (tokenCache.ts), and why. */
  tokenCache?: { partition: boolean; detail: string };
  /** The JWT audience B accepted (Audience__c) and what B answered the candidates tried before it. */
  audience?: { value: string; refused: Array<{ audience: string; answer: string }> };
  done: Record<string, { at: string; ms: number }>;
}

/** Where a work folder keeps its state file. */
export function statePathIn(workDir: string): string {
  return join(workDir, 'setup-state.json');
}

export function emptyState(): SetupState {
  return { version: 1, done: {} };
}

export async function loadState(path: string): Promise<SetupState> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as SetupState;
    return parsed.version === 1 ? parsed : emptyState();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
}

export async function saveState(path: string, state: SetupState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}
