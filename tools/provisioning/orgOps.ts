/**
 * The org operations provisioning needs, each one `sf` command. Same calls against the local platform
 * and real orgs; only the Dev Hub differs.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';
import { projectRoot, sf, type SfOptions } from './sfCli.ts';
import type { OrgRef } from './setupState.ts';

interface DisplayResult {
  username: string;
  id: string;
  instanceUrl: string;
  alias?: string;
}

/** Creates a scratch org from a definition file and returns how to reach it. */
export async function createScratchOrg(
  input: { devHub: string; definitionFile: string; alias: string; durationDays: number; waitMinutes: number },
  options: SfOptions,
): Promise<OrgRef> {
  await sf(
    [
      'org', 'create', 'scratch',
      '--target-dev-hub', input.devHub,
      '--definition-file', input.definitionFile,
      '--alias', input.alias,
      '--duration-days', String(input.durationDays),
      '--wait', String(input.waitMinutes),
    ],
    options,
  );
  const org = await displayOrg(input.alias, options);
  if (!org) throw new ToolError(`Scratch org ${input.alias} was created but sf cannot display it.`, 'ScratchOrgMissing');
  return org;
}

/** The org behind an alias, or undefined when it is gone (expired, deleted, logged out). */
export async function displayOrg(alias: string, options: SfOptions): Promise<OrgRef | undefined> {
  try {
    const result = await sf<DisplayResult>(['org', 'display', '--target-org', alias], options);
    return { alias, username: result.username, orgId: result.id, instanceUrl: result.instanceUrl, loginUrl: result.instanceUrl };
  } catch (error) {
    if (error instanceof ToolError) return undefined;
    throw error;
  }
}

export async function deleteScratchOrg(alias: string, options: SfOptions): Promise<void> {
  await sf(['org', 'delete', 'scratch', '--target-org', alias, '--no-prompt'], options);
}

/**
 * Deploys source folders together (one transaction in the org). They are copied into a throwaway
 * project first: rendered folders live outside force-app (and under the ignored .local), and sf
 * deploys only paths inside its project.
 */
export async function deploySource(alias: string, sourceDirs: string[], options: SfOptions): Promise<void> {
  const dir = await throwawayProject(sourceDirs.length);
  try {
    const args = ['project', 'deploy', 'start', '--target-org', alias, '--wait', '30', '--ignore-conflicts'];
    for (const [i, source] of sourceDirs.entries()) {
      await cp(source, join(dir, `pkg${i}`), { recursive: true });
      args.push('--source-dir', `pkg${i}`);
    }
    await sf(args, { ...options, cwd: dir });
  } catch (error) {
    throw describeDeployFailure(error, alias);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A temp SFDX project with this project's API version and .forceignore and `count` package folders. */
async function throwawayProject(count: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sfdx-'));
  const project = JSON.parse(await readFile(join(projectRoot, 'sfdx-project.json'), 'utf8')) as { sourceApiVersion: string };
  const packageDirectories = Array.from({ length: Math.max(count, 1) }, (_, i) => ({ path: `pkg${i}`, default: i === 0 }));
  await writeFile(join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories, sourceApiVersion: project.sourceApiVersion }));
  await cp(join(projectRoot, '.forceignore'), join(dir, '.forceignore')).catch(() => undefined);
  await mkdir(join(dir, 'pkg0'), { recursive: true });
  return dir;
}

function describeDeployFailure(error: unknown, alias: string): unknown {
  if (!(error instanceof ToolError)) return error;
  const result = (error as ToolError & { result?: { files?: Array<{ state: string; fullName: string; type: string; error?: string; filePath?: string; lineNumber?: number }>; details?: { componentFailures?: unknown } } }).result;
  const failures = (result?.files ?? []).filter((f) => f.state === 'Failed');
  if (failures.length === 0) return error;
  const lines = failures.map((f) => `${f.type} ${f.fullName}${f.lineNumber ? ` (line ${f.lineNumber})` : ''}: ${f.error ?? 'failed'}`);
  return new ToolError(`Deploy to ${alias} failed: ${lines.join('; ')}`, 'DeployFailed', [
    'Fix the components named above and run the command again; nothing of this deploy was saved.',
  ]);
}

/** Retrieves components in source format (in a throwaway project) and returns the files' contents by name. */
export async function retrieveComponent(alias: string, metadata: string, options: SfOptions): Promise<Map<string, Buffer>> {
  const dir = await throwawayProject(1);
  try {
    await sf(['project', 'retrieve', 'start', '--target-org', alias, '--metadata', metadata, '--output-dir', 'out'], { ...options, cwd: dir });
    const files = new Map<string, Buffer>();
    for (const entry of await readdir(join(dir, 'out'), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.set(entry.name, await readFile(join(entry.parentPath, entry.name)));
    }
    return files;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function query<T = Record<string, unknown>>(alias: string, soql: string, options: SfOptions): Promise<T[]> {
  const result = await sf<{ records: T[] }>(['data', 'query', '--target-org', alias, '--query', soql], options);
  return result.records;
}

export async function assignPermissionSet(alias: string, permissionSet: string, onBehalfOf: string | undefined, options: SfOptions): Promise<void> {
  const args = ['org', 'assign', 'permset', '--target-org', alias, '--name', permissionSet];
  if (onBehalfOf) args.push('--on-behalf-of', onBehalfOf);
  try {
    await sf(args, options);
  } catch (error) {
    // Re-assigning fails with "Duplicate PermissionSetAssignment"; the goal state already holds.
    if (error instanceof ToolError && /duplicate/i.test(`${error.message} ${JSON.stringify((error as { result?: unknown }).result ?? '')}`)) return;
    throw error;
  }
}

export async function importTree(alias: string, file: string, options: SfOptions): Promise<void> {
  await sf(['data', 'import', 'tree', '--target-org', alias, '--files', file], options);
}

export async function createRecord(alias: string, sobject: string, values: Record<string, string>, options: SfOptions): Promise<string> {
  const pairs = Object.entries(values).map(([k, v]) => `${k}='${v.replace(/'/g, "\\'")}'`);
  const result = await sf<{ id: string }>(['data', 'create', 'record', '--target-org', alias, '--sobject', sobject, '--values', pairs.join(' ')], options);
  return result.id;
}

export interface ApexRunResult {
  success: boolean;
  compiled: boolean;
  compileProblem?: string;
  exceptionMessage?: string;
  exceptionStackTrace?: string;
  logs?: string;
}

/** Runs anonymous Apex (from a temp file, so nothing goes on argv) and returns sf's result, failed or not. */
export async function runAnonymousApex(alias: string, code: string, options: SfOptions): Promise<ApexRunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'apex-'));
  const file = join(dir, 'run.apex');
  try {
    await writeFile(file, code);
    try {
      return await sf<ApexRunResult>(['apex', 'run', '--target-org', alias, '--file', file], options);
    } catch (error) {
      const result = (error as { result?: ApexRunResult }).result;
      if (result && typeof result === 'object' && 'success' in result) return result;
      throw error;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Lines a verify script printed with `System.debug(LoggingLevel.ERROR, '<marker> ' + …)`. */
export function debugValue(log: string | undefined, marker: string): string | undefined {
  if (!log) return undefined;
  for (const line of log.split('\n')) {
    const at = line.indexOf(`${marker} `);
    if (at >= 0 && /USER_DEBUG/.test(line)) return line.slice(at + marker.length + 1).trim();
  }
  return undefined;
}
