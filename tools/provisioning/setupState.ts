/**
 * The state file that makes `setup:orgs` resumable: each step records what it produced, so a re-run
 * skips finished steps and continues from the one that failed. Written atomically; holds no secret.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';

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
  /** The JWT audience this source org accepted (its connection's Audience__c), found as for Default. */
  audience?: { value: string; refused: Array<{ audience: string; answer: string }> };
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

/**
 * The state of a work folder. A file that is not JSON, or not of the shape this version writes, is an
 * error that names the file and the orgs it lists: carrying on with an empty state would sign up a new
 * pair of orgs and leave the old pair active.
 */
export async function loadState(path: string): Promise<SetupState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ToolError(`The setup state file ${path} is not valid JSON: ${(error as Error).message}.`, 'BrokenStateFile', [
      ...deleteCommands(text),
      `Then delete ${path} (rm ${path}) and run setup:orgs again: it signs up a new pair of orgs.`,
    ]);
  }
  if (!isSetupState(parsed)) {
    const version = parsed && typeof parsed === 'object' ? (parsed as { version?: unknown }).version : undefined;
    throw new ToolError(
      `The setup state file ${path} is not of the shape this version writes (version ${JSON.stringify(version ?? null)}, expected 1).`,
      'UnknownStateFile',
      [...deleteCommands(text), `Then delete ${path} (rm ${path}) and run setup:orgs again: it signs up a new pair of orgs.`],
    );
  }
  return parsed;
}

function isSetupState(v: unknown): v is SetupState {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const s = v as Record<string, unknown>;
  const org = (o: unknown) =>
    o === undefined ||
    (!!o && typeof o === 'object' && typeof (o as OrgRef).username === 'string' && typeof (o as OrgRef).alias === 'string');
  return s.version === 1 && !!s.done && typeof s.done === 'object' && org(s.provider) && org(s.consumer);
}

/** The scratch orgs a state file names (any "username" that looks like one), with the command that deletes each. */
function deleteCommands(text: string): string[] {
  const names = new Set([...text.matchAll(/"username"\s*:\s*"([^"@\s]+@[^"\s]+)"/g)].map((m) => m[1]!));
  return [...names].map(
    (u) => `Delete the scratch org it names if you no longer need it: npx sf org delete scratch --target-org ${u} --no-prompt`,
  );
}

/** Writes in progress per state file: steps that run side by side (further source orgs) save one after another. */
const writing = new Map<string, Promise<void>>();

export function saveState(path: string, state: SetupState): Promise<void> {
  const text = `${JSON.stringify(state, null, 2)}\n`;
  // Two saves sharing one temp file raced: the second rename found it gone (ENOENT) and failed setup.
  const next = (writing.get(path) ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.tmp-${process.pid}`;
      await writeFile(temp, text, { mode: 0o600 });
      await rename(temp, path);
    });
  writing.set(path, next);
  return next;
}
