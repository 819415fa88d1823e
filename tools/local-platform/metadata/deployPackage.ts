/**
 * The deploy: read the zip, validate every component against this deploy and the org, then apply all of
 * them in one SQLite transaction, or none (rollbackOnError, the CLI's default). `checkOnly` (the CLI's
 * --dry-run) validates and reports without applying. With a test level the components are applied first,
 * the tests run against that state (as inside Salesforce's deploy transaction) and the apply is undone
 * (applyWithUndo.ts) if they fail or the deploy is checkOnly. The result has the DeployResult shape of the
 * Metadata API so `sf project deploy start` prints it as it prints Salesforce's.
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { OrgInfo, RecordStore } from '../http/contracts.ts';
import { orgKind, tx } from '../../data/store.ts';
import { getObjectDef } from '../../data/schema.ts';
import { linkMetadataRelationships } from '../../data/metadataRelationships.ts';
import type { SchemaOracle } from '../../apex/check/checker.ts';
import { PackageError, readDeployZip, type DeployComponent, type DeployPackage } from './readDeployZip.ts';
import { parentOfChildType } from './metadataRegistry.ts';
import type { Problem } from './metadataXml.ts';
import type { DeployEnv, Handler, Prepared, StoredComponent } from './types/handler.ts';
import { handlerFor, afterApply } from './handlers.ts';
import { getStoredComponent, deleteStoredComponent } from './componentStore.ts';
import { recordSourceMembers } from './sourceTracking.ts';
import { checkApexTypes } from './types/apexClass.ts';
import { listApexClasses as listApexClassesFromStore } from './lookups.ts';
import { runDeployTests, TEST_RUNNING_LEVELS, type RunTestResult } from './deployTests.ts';
import { applyWithUndo, keepApply, undoApply, type UndoLog } from './applyWithUndo.ts';
import type { ApexHost } from '../../apex/host.ts';

export interface DeployOptions {
  checkOnly?: boolean;
  rollbackOnError?: boolean;
  ignoreWarnings?: boolean;
  testLevel?: string;
  runTests?: string[];
  purgeOnDelete?: boolean;
  singlePackage?: boolean;
  allowMissingFiles?: boolean;
}

export interface DeployMessage {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  lineNumber?: number;
  problem?: string;
  problemType?: 'Error' | 'Warning';
  success: boolean;
}

export interface DeployResult {
  id: string;
  checkOnly: boolean;
  completedDate: string;
  createdBy: string;
  createdByName: string;
  createdDate: string;
  details: {
    componentSuccesses: DeployMessage[];
    componentFailures: DeployMessage[];
    runTestResult: RunTestResult;
  };
  done: boolean;
  errorMessage?: string;
  errorStatusCode?: string;
  ignoreWarnings: boolean;
  lastModifiedDate: string;
  numberComponentErrors: number;
  numberComponentsDeployed: number;
  numberComponentsTotal: number;
  numberTestErrors: number;
  numberTestsCompleted: number;
  numberTestsTotal: number;
  rollbackOnError: boolean;
  runTestsEnabled: boolean;
  startDate: string;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';
  success: boolean;
  testLevel?: string;
}

export interface DeployCaller {
  db: DatabaseSync;
  org: OrgInfo;
  records: RecordStore;
  userId?: string;
  userName?: string;
  /** The Apex runtime's window on the org, for test levels that run tests. */
  apexHost?: () => ApexHost;
}

/** Salesforce-shaped Id with a key prefix (0Af = deploy request, 09S = retrieve request). */
export function newAsyncId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = prefix + '000';
  for (const b of randomBytes(12)) s += alphabet[b % alphabet.length];
  return s.slice(0, 18);
}

/**
 * One deploy at a time per org, as Salesforce queues them: a deploy that runs tests keeps its components
 * applied while the tests run and may undo them afterwards, which must not interleave with another deploy
 * of the same org (its undo would put back rows the other wrote).
 */
const orgQueues = new Map<string, Promise<unknown>>();

export async function deployZip(
  caller: DeployCaller,
  zip: Buffer,
  options: DeployOptions = {},
  id = newAsyncId('0Af'),
): Promise<DeployResult> {
  const orgId = caller.org.id;
  const previous = orgQueues.get(orgId) ?? Promise.resolve();
  const run = previous.then(
    () => deployNow(caller, zip, options, id),
    () => deployNow(caller, zip, options, id),
  );
  const settled = run.catch(() => undefined);
  orgQueues.set(orgId, settled);
  void settled.then(() => {
    if (orgQueues.get(orgId) === settled) orgQueues.delete(orgId);
  });
  return run;
}

async function deployNow(caller: DeployCaller, zip: Buffer, options: DeployOptions, id: string): Promise<DeployResult> {
  const started = new Date();
  const checkOnly = !!options.checkOnly;
  const rollbackOnError = options.rollbackOnError !== false;
  const testLevel = options.testLevel ?? 'NoTestRun';
  const base = (): DeployResult => ({
    id,
    checkOnly,
    completedDate: new Date().toISOString(),
    createdBy: caller.userId ?? '',
    createdByName: caller.userName ?? '',
    createdDate: started.toISOString(),
    details: {
      componentSuccesses: [],
      componentFailures: [],
      runTestResult: {
        numFailures: 0,
        numTestsRun: 0,
        totalTime: 0,
        successes: [],
        failures: [],
        codeCoverage: [],
        codeCoverageWarnings: [],
      },
    },
    done: true,
    ignoreWarnings: !!options.ignoreWarnings,
    lastModifiedDate: new Date().toISOString(),
    numberComponentErrors: 0,
    numberComponentsDeployed: 0,
    numberComponentsTotal: 0,
    numberTestErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    rollbackOnError,
    runTestsEnabled: testLevel !== 'NoTestRun',
    startDate: started.toISOString(),
    status: 'Failed',
    success: false,
    testLevel,
  });

  let pkg: DeployPackage;
  try {
    pkg = await readDeployZip(zip);
  } catch (e) {
    if (!(e instanceof PackageError)) throw e;
    return { ...base(), errorMessage: e.message, errorStatusCode: 'UNKNOWN_EXCEPTION' };
  }

  const stamp = started.toISOString();
  const msg = (c: { type: string; fullName: string; fileName: string }, extra: Partial<DeployMessage>): DeployMessage => ({
    changed: false,
    componentType: c.type,
    created: false,
    createdDate: stamp,
    deleted: false,
    fileName: c.fileName,
    fullName: c.fullName,
    success: true,
    ...extra,
  });

  const failures: DeployMessage[] = [];
  // Members named in package.xml must be in the zip (Salesforce's own wording).
  const inZip = new Map(pkg.components.map((c) => [`${c.type}#${c.fullName}`, c]));
  const selected: DeployComponent[] = [];
  for (const c of pkg.components) {
    const members = pkg.manifest.get(c.type);
    if (members && (members.includes('*') || members.includes(c.fullName))) {
      selected.push(c);
      continue;
    }
    // Only child members named (CustomField: Obj.Field__c, as a tracked deploy of one changed field sends):
    // they are merged into the object the org already has, as Salesforce does.
    const childOnly =
      c.type === 'CustomObject' &&
      [...pkg.manifest].some(
        ([t, ms]) => parentOfChildType(t)?.parent === 'CustomObject' && ms.some((m) => m.split('.')[0] === c.fullName),
      );
    if (childOnly) selected.push(mergeIntoStoredObject(caller.db, caller.org.id, c));
  }
  for (const [type, members] of pkg.manifest) {
    for (const member of members) {
      if (member === '*') continue;
      const parent = parentOfChildType(type);
      const found = parent ? inZip.has(`${parent.parent}#${member.split('.')[0]}`) : inZip.has(`${type}#${member}`);
      if (!found && !pkg.destructive.has(type)) {
        failures.push(
          msg(
            { type, fullName: member, fileName: 'package.xml' },
            {
              success: false,
              problemType: 'Error',
              problem: `An object '${member}' of type ${type} was named in package.xml, but was not found in zipped directory`,
            },
          ),
        );
      }
    }
  }

  const batch = new Map(selected.map((c) => [`${c.type}#${c.fullName}`, c]));
  const storedCache = new Map<string, StoredComponent | undefined>();
  const env: DeployEnv = {
    db: caller.db,
    org: caller.org,
    now: started.getTime(),
    batch,
    stored: (type, fullName) => {
      const k = `${type}#${fullName}`;
      if (!storedCache.has(k)) storedCache.set(k, getStoredComponent(caller.db, caller.org.id, type, fullName));
      return storedCache.get(k);
    },
    exists: (type, fullName) => batch.has(`${type}#${fullName}`) || !!env.stored(type, fullName),
  };

  const prepared: { c: DeployComponent; p: Prepared }[] = [];
  for (const c of selected) {
    const handler: Handler = handlerFor(c.type);
    let p: Prepared;
    try {
      p = await handler(c, env);
    } catch (e) {
      p = { problems: [{ problem: `An unexpected error occurred while validating this component: ${(e as Error).message}` }] };
    }
    const errors = p.problems.filter((x) => x.problemType !== 'Warning');
    for (const problem of errors) failures.push(toFailure(c, problem, stamp));
    prepared.push({ c, p });
  }

  // The compile phase over the org's classes as this deploy leaves them, and this deploy's triggers.
  const apexOk = prepared.filter(({ c, p }) => c.type === 'ApexClass' && p.problems.length === 0);
  const triggersOk = prepared.filter(({ c, p }) => c.type === 'ApexTrigger' && p.problems.length === 0);
  if (apexOk.length > 0 || triggersOk.length > 0) {
    const storedClasses = listApexClassesFromStore(caller.db, caller.org.id);
    const source = ({ c }: { c: DeployComponent }) => ({
      name: c.fullName,
      body: c.files.get(c.fileName)!.toString('utf8'),
      fileName: c.fileName,
    });
    const typeProblems = await checkApexTypes(
      apexOk.map(source),
      storedClasses,
      schemaOracle(caller.db, caller.org.id, selected),
      triggersOk.map(source),
    );
    for (const { name, type, problem } of typeProblems) {
      const entry = [...apexOk, ...triggersOk].find(({ c }) => c.type === type && c.fullName === name)!;
      entry.p.problems.push(problem);
      if (problem.problemType !== 'Warning') failures.push(toFailure(entry.c, problem, stamp));
    }
  }

  const good = prepared.filter(({ p }) => p.problems.every((x) => x.problemType === 'Warning'));
  const deletions: { type: string; fullName: string }[] = [];
  for (const [type, members] of pkg.destructive) for (const m of members) deletions.push({ type, fullName: m });

  const result = base();
  result.numberComponentsTotal = selected.length + deletions.length;
  result.details.componentFailures = failures;
  result.numberComponentErrors = failures.length;

  const runTests = failures.length === 0 && TEST_RUNNING_LEVELS.includes(testLevel);
  if (runTests && !caller.apexHost) {
    return {
      ...result,
      errorMessage: `Test level ${testLevel} needs the Apex runtime, which this platform was started without; deploy with --test-level NoTestRun.`,
      errorStatusCode: 'UNKNOWN_EXCEPTION',
    };
  }
  const applyAll = failures.length === 0 || !rollbackOnError;
  // What each component becomes, judged against the org as it was before this deploy writes anything.
  const successes: DeployMessage[] = [];
  if (applyAll) {
    for (const { c, p } of good) {
      const before = env.stored(c.type, c.fullName);
      const files = p.files ?? c.files;
      const changed = !!before && !sameFiles(before.files, files);
      // What the local runtime does not know deploys with a warning naming it (tools/apex/README.md).
      const warnings = p.problems.filter((x) => x.problemType === 'Warning');
      const warning = warnings.length
        ? {
            problemType: 'Warning' as const,
            problem: warnings.map((w) => (w.lineNumber ? `${w.problem} at line ${w.lineNumber}` : w.problem)).join('\n'),
          }
        : {};
      successes.push(msg(c, { created: !before, changed, ...warning }));
    }
    for (const d of deletions) {
      const exists = !!env.stored(d.type, d.fullName);
      successes.push(
        msg(
          { ...d, fileName: `${d.type}/${d.fullName}` },
          exists ? { deleted: true } : { problemType: 'Warning', problem: `No ${d.type} named: ${d.fullName} found` },
        ),
      );
    }
    const createdBefore = new Map(good.map(({ c }) => [`${c.type}#${c.fullName}`, !env.stored(c.type, c.fullName)]));
    const apply = () => {
      for (const { c, p } of good) {
        writeComponent(caller.db, caller.org.id, c, p, env.now);
        p.apply?.(caller.db, caller.records);
        afterApply(c, p, caller.db, caller.org.id);
      }
      for (const d of deletions) deleteStoredComponent(caller.db, caller.records, caller.org.id, d.type, d.fullName);
      // Custom metadata records name related records by DeveloperName, maybe one later in this deploy: link them now.
      if (good.some(({ c }) => c.type === 'CustomMetadata')) linkMetadataRelationships(caller.db, caller.org.id);
      if (caller.org.kind === 'scratch') {
        const members = good.flatMap(({ c, p }) => {
          const created = createdBefore.get(`${c.type}#${c.fullName}`)!;
          return [{ type: c.type, name: c.fullName, created }, ...childMembers(c, p).map((m) => ({ ...m, created }))];
        });
        for (const d of deletions)
          members.push({ type: d.type, name: d.fullName, created: false, deleted: true } as (typeof members)[number]);
        recordSourceMembers(caller.db, caller.org.id, members, caller.userId);
      }
    };
    const saveFailed = (e: unknown): DeployResult => ({
      ...result,
      errorMessage: `The deploy could not be saved: ${(e as Error).message}`,
      errorStatusCode: 'UNKNOWN_EXCEPTION',
    });
    if (runTests) {
      // Tests run against the org as this deploy leaves it (every component, not only the classes), as
      // on Salesforce; the deploy is undone if they fail or if it is only a validation (checkOnly).
      let undo: UndoLog;
      try {
        undo = applyWithUndo(caller.db, id, apply);
      } catch (e) {
        return saveFailed(e);
      }
      let outcome: Awaited<ReturnType<typeof runDeployTests>>;
      try {
        const batchClasses = good
          .filter(({ c }) => c.type === 'ApexClass')
          .map(({ c }) => ({ name: c.fullName, body: c.files.get(c.fileName)!.toString('utf8') }));
        const batchTriggers = good.filter(({ c }) => c.type === 'ApexTrigger').map(({ c }) => c.fullName);
        outcome = await runDeployTests(caller.apexHost!(), batchClasses, testLevel, options.runTests ?? [], batchTriggers);
      } catch (e) {
        undoApply(caller.db, undo);
        throw e;
      }
      if (outcome.failed || checkOnly) undoApply(caller.db, undo);
      else keepApply(caller.db, undo);
      result.details.runTestResult = outcome.runTestResult;
      result.numberTestsTotal = outcome.runTestResult.numTestsRun;
      result.numberTestsCompleted = outcome.runTestResult.numTestsRun - outcome.runTestResult.numFailures;
      result.numberTestErrors = outcome.runTestResult.numFailures;
      if (outcome.failed) {
        result.completedDate = new Date().toISOString();
        result.lastModifiedDate = result.completedDate;
        return result; // status Failed, success false: everything undone
      }
    } else if (!checkOnly) {
      try {
        tx(caller.db, apply);
      } catch (e) {
        return saveFailed(e);
      }
    }
  }
  // Salesforce lists package.xml among the successes.
  if (failures.length === 0) successes.push(msg({ type: '', fullName: 'package.xml', fileName: 'package.xml' }, { changed: true }));
  result.details.componentSuccesses = successes;
  result.numberComponentsDeployed = applyAll ? good.length + deletions.length : 0;
  result.success = failures.length === 0;
  result.status = failures.length === 0 ? 'Succeeded' : applyAll && good.length > 0 ? 'SucceededPartial' : 'Failed';
  result.completedDate = new Date().toISOString();
  result.lastModifiedDate = result.completedDate;
  return result;
}

function toFailure(c: DeployComponent, p: Problem, stamp: string): DeployMessage {
  return {
    changed: false,
    componentType: c.type,
    created: false,
    createdDate: stamp,
    deleted: false,
    fileName: p.fileName ?? c.fileName,
    fullName: c.fullName,
    success: false,
    problemType: 'Error',
    problem: p.problem,
    ...(p.lineNumber !== undefined ? { lineNumber: p.lineNumber } : {}),
    ...(p.columnNumber !== undefined ? { columnNumber: p.columnNumber } : {}),
  };
}

function sameFiles(stored: Record<string, string>, files: Map<string, Buffer>): boolean {
  if (Object.keys(stored).length !== files.size) return false;
  for (const [k, v] of files) if (stored[k] !== v.toString('base64')) return false;
  return true;
}

/** Upserts the component; an unchanged redeploy keeps updated_at (what the propagation delay counts from). */
function writeComponent(db: DatabaseSync, orgId: string, c: DeployComponent, p: Prepared, now: number): void {
  const files: Record<string, string> = {};
  for (const [k, v] of p.files ?? c.files) files[k] = v.toString('base64');
  db.prepare(
    `INSERT INTO md_components (org_id, type, full_name, files, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (org_id, type, full_name) DO UPDATE SET files = excluded.files, data = excluded.data, updated_at = excluded.updated_at
     WHERE md_components.files != excluded.files OR md_components.data != excluded.data`,
  ).run(orgId, c.type, c.fullName, JSON.stringify(files), JSON.stringify(p.data ?? {}), now, now);
}

/**
 * Members Salesforce tracks beside the component itself: each custom field (`Object.Field`) and each file of
 * an LWC or Aura bundle (`LightningComponentResource` / `AuraDefinition`, named `bundle/file`) — the keys
 * the CLI's source tracking polls for after a deploy.
 */
function childMembers(c: DeployComponent, p: Prepared): { type: string; name: string }[] {
  if (c.type === 'CustomObject') {
    const fields = (p.data as { fields?: { name: string }[] } | undefined)?.fields ?? [];
    return fields.filter((f) => f.name).map((f) => ({ type: 'CustomField', name: `${c.fullName}.${f.name}` }));
  }
  const resourceType =
    c.type === 'LightningComponentBundle' ? 'LightningComponentResource' : c.type === 'AuraDefinitionBundle' ? 'AuraDefinition' : undefined;
  if (!resourceType) return [];
  return [...(p.files ?? c.files).keys()].map((path) => ({ type: resourceType, name: path.split('/').slice(1).join('/') }));
}

/**
 * An object file that carries only some children (fields, list views…): those children replace the stored
 * ones with the same fullName and the rest of the stored object stays.
 */
function mergeIntoStoredObject(db: DatabaseSync, orgId: string, c: DeployComponent): DeployComponent {
  const stored = getStoredComponent(db, orgId, 'CustomObject', c.fullName);
  const xmlPath = c.xmlFileName;
  if (!stored || !xmlPath) return c;
  const storedPath = Object.keys(stored.files).find((p) => p.endsWith('.object')) ?? Object.keys(stored.files)[0]!;
  const base = Buffer.from(stored.files[storedPath]!, 'base64').toString('utf8');
  const incoming = c.files.get(xmlPath)!.toString('utf8');
  const blocks = (xml: string) => [
    ...xml.matchAll(/<(fields|listViews|validationRules|recordTypes|webLinks|fieldSets|compactLayouts|businessProcesses)>[\s\S]*?<\/\1>/g),
  ];
  const nameOf = (block: string) => /<fullName>([^<]*)<\/fullName>/.exec(block)?.[1] ?? '';
  const replaced = new Map(blocks(incoming).map((m) => [`${m[1]}#${nameOf(m[0])}`, m[0]]));
  let merged = base.replace(
    /<(fields|listViews|validationRules|recordTypes|webLinks|fieldSets|compactLayouts|businessProcesses)>[\s\S]*?<\/\1>/g,
    (block, tag: string) => {
      const key = `${tag}#${nameOf(block)}`;
      const next = replaced.get(key);
      replaced.delete(key);
      return next ?? block;
    },
  );
  if (replaced.size > 0) merged = merged.replace(/(<\/CustomObject>\s*)$/, `${[...replaced.values()].join('\n')}\n$1`);
  const files = new Map(c.files);
  files.set(xmlPath, Buffer.from(merged, 'utf8'));
  return { ...c, files };
}

/**
 * The fields Apex in this deploy may name. Custom: those the org has (stored objects, custom fields on
 * standard objects) plus those of the CustomObjects deployed with it. Standard: the platform's list for
 * the object. Each object is looked up once per deploy: the checker asks for every field it meets.
 */
function schemaOracle(db: DatabaseSync, orgId: string, selected: DeployComponent[]): SchemaOracle {
  const kind = orgKind(db, orgId);
  const custom = new Map<string, Set<string> | undefined>();
  const standard = new Map<string, Set<string> | undefined>();
  const once = (cache: Map<string, Set<string> | undefined>, sobject: string, make: () => Set<string> | undefined) => {
    const key = sobject.toLowerCase();
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key);
  };
  return {
    customFields: (sobject) =>
      once(custom, sobject, () => {
        const def = getObjectDef(db, orgId, kind, sobject);
        const deployed = selected.find((c) => c.type === 'CustomObject' && c.fullName.toLowerCase() === sobject.toLowerCase());
        if (!def && !deployed) return undefined;
        const names = new Set((def?.fields ?? []).map((f) => f.name.toLowerCase()).filter((n) => n.endsWith('__c')));
        const xml = deployed?.files.get(deployed.fileName)?.toString('utf8') ?? '';
        for (const m of xml.matchAll(/<fields>\s*<fullName>([^<]+)<\/fullName>/g)) names.add(m[1].toLowerCase());
        return names;
      }),
    standardFields: (sobject) =>
      once(standard, sobject, () => {
        const def = getObjectDef(db, orgId, kind, sobject);
        // An open object takes any field, so its list says nothing of what is missing.
        return def && !def.open ? new Set(def.fields.map((f) => f.name.toLowerCase()).filter((n) => !n.endsWith('__c'))) : undefined;
      }),
  };
}
