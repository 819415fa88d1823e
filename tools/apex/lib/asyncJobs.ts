/**
 * AsyncApexJob rows for the async Apex a transaction queues: `System.enqueueJob` (JobType Queueable),
 * `Database.executeBatch` (BatchApex), an @future call (Future, with its MethodName) and `System.schedule`
 * (ScheduledApex, lib/schedule.ts). The row's Id is the job Id the call returns; its ApexClass is the job's
 * top-level class; its Status is Queued until the job runs (at Test.stopTest() in tests), then Processing and
 * Completed or Failed (SOAP API Developer Guide, "AsyncApexJob",
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_asyncapexjob.htm;
 * Apex Developer Guide, "Queueable Apex": "you can monitor the status of your job … by querying AsyncApexJob").
 * The host writes them as its own rows (ApexHost.writeSystemRecords); without it, no rows.
 */
import './async.ts';
import './finalizers.ts'; // wraps System.enqueueJob first; the wrapper here goes around it
import { natives } from '../model/natives.ts';
import { ApexObject } from '../run/values.ts';
import { asyncHooks } from '../run/calls.ts';
import { newRecordId } from '../run/recordIds.ts';
import type { Frame } from '../run/frame.ts';
import type { AsyncJob } from '../run/transaction.ts';
import type { ClassDef, MethodDef, Site } from '../model/classModel.ts';

type JobType = 'Queueable' | 'BatchApex' | 'Future' | 'ScheduledApex';

const nowIso = () => new Date().toISOString().replace('Z', '+0000');

/** The ApexClass row Id of a class (its top-level class: AsyncApexJob names no inner class). */
export async function apexClassId(f: Frame, cls: ClassDef): Promise<string | null> {
  const name = cls.fullName.split('.')[0];
  const rows = await f.tx.hostCall(() =>
    f.tx.host.query('SELECT Id FROM ApexClass WHERE Name = :name', { userMode: false, binds: { name } }),
  );
  return (rows[0]?.Id as string | undefined) ?? null;
}

export async function writeJobRow(f: Frame, fields: Record<string, unknown>): Promise<void> {
  const host = f.tx.host;
  if (!host.writeSystemRecords) return;
  await f.tx.hostCall(() => host.writeSystemRecords!([{ attributes: { type: 'AsyncApexJob' }, ...fields }]));
}

/** Records the queued job and follows it: Processing when it starts, Completed or Failed when it ends. */
export async function trackJob(
  f: Frame,
  job: AsyncJob,
  jobType: JobType,
  cls: ClassDef,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await writeJobRow(f, { Id: job.id, JobType: jobType, ApexClassId: await apexClassId(f, cls), Status: 'Queued', ...extra });
  const run = job.run;
  job.run = async (jf) => {
    await writeJobRow(jf, { Id: job.id, Status: 'Processing' });
    try {
      const v = await run(jf);
      await writeJobRow(jf, { Id: job.id, Status: 'Completed', CompletedDate: nowIso(), NumberOfErrors: 0 });
      return v;
    } catch (err) {
      await writeJobRow(jf, { Id: job.id, Status: 'Failed', CompletedDate: nowIso(), NumberOfErrors: 1 });
      throw err;
    }
  };
}

const lastJob = (f: Frame, id?: unknown): AsyncJob | undefined =>
  id === undefined ? f.tx.asyncJobs[f.tx.asyncJobs.length - 1] : f.tx.asyncJobs.find((j) => j.id === id);

const system = natives.get('system')!.statics!;
const enqueue = system['enqueuejob'];
system['enqueuejob'] = async (f: Frame, args: unknown[], site: Site) => {
  const id = await enqueue(f, args, site);
  const job = lastJob(f, id);
  if (job && args[0] instanceof ApexObject) await trackJob(f, job, 'Queueable', args[0].cls);
  return id;
};

const database = natives.get('database')!.statics!;
const executeBatch = database['executebatch'];
database['executebatch'] = async (f: Frame, args: unknown[], site: Site) => {
  const id = await executeBatch(f, args, site);
  const job = lastJob(f, id);
  if (job && args[0] instanceof ApexObject) {
    await trackJob(f, job, 'BatchApex', args[0].cls);
    await trackWorker(f, job, args[0].cls);
  }
  return id;
};

/**
 * A batch job's worker: a BatchApexWorker row (ParentJobId the batch job) that runs its execute() chunks
 * (JobType picklist, "AsyncApexJob" above). apex-rollup's tests, which pass on Salesforce, find one with Status
 * Completed after a one-chunk batch; unverified: whether Salesforce writes one per chunk (here one per job).
 */
async function trackWorker(f: Frame, job: AsyncJob, cls: ClassDef): Promise<void> {
  const workerId = newRecordId('707');
  const base = { Id: workerId, JobType: 'BatchApexWorker', ApexClassId: await apexClassId(f, cls), ParentJobId: job.id };
  await writeJobRow(f, { ...base, Status: 'Queued' });
  const run = job.run;
  job.run = async (jf) => {
    try {
      const v = await run(jf);
      await writeJobRow(jf, { Id: workerId, Status: 'Completed', CompletedDate: nowIso(), NumberOfErrors: 0 });
      return v;
    } catch (err) {
      await writeJobRow(jf, { Id: workerId, Status: 'Failed', CompletedDate: nowIso(), NumberOfErrors: 1 });
      throw err;
    }
  };
}

const future = asyncHooks.future;
if (future)
  asyncHooks.future = async (f: Frame, m: MethodDef, args: unknown[], site: Site) => {
    const before = f.tx.asyncJobs.length;
    const v = await future(f, m, args, site);
    const job = f.tx.asyncJobs.length > before ? lastJob(f) : undefined;
    if (job) await trackJob(f, job, 'Future', m.cls, { MethodName: m.name });
    return v;
  };
