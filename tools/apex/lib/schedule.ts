/**
 * The Apex Scheduler: `System.schedule(jobName, cronExpression, schedulable)` (Apex Reference, "System Class";
 * Apex Developer Guide, "Apex Scheduler",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_scheduler.htm). It records a
 * CronJobDetail (Name, JobType 7), a CronTrigger (CronExpression, NextFireTime, State WAITING, TimesTriggered 0)
 * and an AsyncApexJob (ScheduledApex), and returns the CronTrigger Id. In a test the job runs at
 * Test.stopTest(), as the guide's "Testing the Apex Scheduler" shows; elsewhere it stays WAITING, since the
 * local platform has no clock that fires jobs (tools/apex/README.md, Known gaps). `System.abortJob` stops a
 * queued job or a scheduled one.
 */
import './asyncJobs.ts';
import { NObj } from './nativeValues.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexObject, stringValueOf } from '../run/values.ts';
import { callVirtual } from '../run/calls.ts';
import { throwEx, throwNpe } from '../run/exceptions.ts';
import { instanceOf, runtimeTypeName } from '../run/types.ts';
import { newRecordId } from '../run/recordIds.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';
import { CronError, nextFireTime, parseCron } from './cron.ts';
import { apexClassId, trackJob, writeJobRow } from './asyncJobs.ts';
import { heldInTest } from './async.ts';

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

async function writeRows(f: Frame, rows: Record<string, unknown>[]): Promise<void> {
  const host = f.tx.host;
  if (host.writeSystemRecords) await f.tx.hostCall(() => host.writeSystemRecords!(rows as never));
}

defineNative(
  { name: 'System.SchedulableContext', methods: { 'Id getTriggerId()': (f, c: NObj) => c.get('triggerId') } },
  'SchedulableContext',
);

const system = natives.get('system')!.statics!;
Object.assign(system, {
  schedule: async (f: Frame, [name, expression, job]: unknown[], site: Site) => {
    if (name === null || expression === null || job === null) throwNpe(f);
    if (!(job instanceof ApexObject) || !instanceOf(f, job, { name: 'Schedulable', args: [], array: 0 }, site))
      throwEx(f, 'TypeException', `${runtimeTypeName(job)} does not implement Schedulable`);
    const jobName = stringValueOf(name);
    const cronText = stringValueOf(expression);
    let next: number | undefined;
    try {
      next = nextFireTime(parseCron(cronText), Date.now());
    } catch (err) {
      if (err instanceof CronError) throwEx(f, 'StringException', err.message);
      throw err;
    }
    if (next === undefined) throwEx(f, 'AsyncException', 'Based on configured schedule, the given trigger will never fire.');
    const triggerId = await writeSchedule(f, jobName, cronText, next!);
    const jobId = newRecordId('707');
    const schedulable = job as ApexObject;
    const asyncJob = {
      id: jobId,
      quiddity: 'SCHEDULED',
      run: async (jf: Frame) => {
        const ctx = new NObj('System.SchedulableContext');
        ctx.set('triggerId', triggerId);
        // the test's run leaves the CronTrigger as it was: TimesTriggered 0, the same NextFireTime (apex-recipes'
        // ScheduledApexRecipes_Tests asserts both after Test.stopTest() and passes on Salesforce)
        await callVirtual(jf, schedulable, 'execute', [ctx], site);
      },
    };
    await trackJob(f, asyncJob, 'ScheduledApex', schedulable.cls, { CronTriggerId: triggerId });
    // only a test runs it (at Test.stopTest); a real org fires it at NextFireTime, which nothing here waits for
    if (f.tx.isTest) f.tx.asyncJobs.push({ ...asyncJob, held: heldInTest(f) });
    return triggerId;
  },
  abortjob: async (f: Frame, [id]: unknown[]) => {
    if (id === null) throwNpe(f);
    const text = stringValueOf(id);
    const jobs = await f.tx.hostCall(() =>
      f.tx.host.query('SELECT Id, CronTriggerId FROM AsyncApexJob WHERE Id = :text OR CronTriggerId = :text', {
        userMode: false,
        binds: { text },
      }),
    );
    const ids = new Set([text, ...jobs.map((j) => j.Id as string)]);
    for (let i = f.tx.asyncJobs.length - 1; i >= 0; i--) if (ids.has(f.tx.asyncJobs[i].id)) f.tx.asyncJobs.splice(i, 1);
    for (const j of jobs) {
      await writeJobRow(f, { Id: j.Id, Status: 'Aborted' });
      if (j.CronTriggerId) await deleteSchedule(f, j.CronTriggerId as string);
    }
    return null;
  },
});

/** The CronJobDetail and CronTrigger of a new schedule; a name already scheduled is refused. */
async function writeSchedule(f: Frame, jobName: string, cronText: string, next: number): Promise<string> {
  const taken = await f.tx.hostCall(() =>
    f.tx.host.query('SELECT Id FROM CronJobDetail WHERE Name = :jobName', { userMode: false, binds: { jobName } }),
  );
  if (taken.length) throwEx(f, 'AsyncException', `The Apex job named "${jobName}" is already scheduled for execution.`);
  const detailId = newRecordId('0Ys');
  const triggerId = newRecordId('08e');
  await writeRows(f, [
    { attributes: { type: 'CronJobDetail' }, Id: detailId, Name: jobName, JobType: '7' },
    {
      attributes: { type: 'CronTrigger' },
      Id: triggerId,
      CronExpression: cronText,
      CronJobDetailId: detailId,
      NextFireTime: iso(next),
      State: 'WAITING',
      StartTime: iso(Date.now()),
      TimesTriggered: 0,
      TimeZoneSidKey: 'GMT',
    },
  ]);
  return triggerId;
}

/**
 * `System.scheduleBatch(batchable, jobName, minutesFromNow, scopeSize?)`: a batch job that runs once, that many
 * minutes from now (Apex Reference, "System Class", scheduleBatch; Apex Developer Guide, "Using the
 * System.scheduleBatch Method", https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_batch_scheduleBatch.htm):
 * returns its CronTrigger Id. It does not run in a test, not even at Test.stopTest() (field reports:
 * https://salesforce.stackexchange.com/questions/36806), nor here outside tests (no clock fires jobs).
 * unverified: the CronExpression Salesforce writes for it (here the one instant, in GMT).
 */
system['schedulebatch'] = async (f: Frame, [batch, name, minutes, scope]: unknown[], site: Site) => {
  if (batch === null || name === null || minutes === null) throwNpe(f);
  if (!instanceOf(f, batch, { name: 'Database.Batchable', args: [], array: 0 }, site))
    throwEx(f, 'TypeException', `${runtimeTypeName(batch)} does not implement Database.Batchable`);
  // "minutesFromNow … must be greater than zero"; unverified: the exception Salesforce throws
  if (Number(minutes) < 1) throwEx(f, 'InvalidParameterValueException', `minutesFromNow must be greater than zero: ${minutes}`);
  const size = scope === undefined || scope === null ? 200 : Number(scope);
  if (size < 1 || size > 2000) throwEx(f, 'InvalidParameterValueException', `Batchable scope must be between 1 and 2000: ${size}`);
  const at = new Date(Math.ceil((Date.now() + Number(minutes) * 60_000) / 1000) * 1000);
  const cron = `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} ? ${at.getUTCFullYear()}`;
  const triggerId = await writeSchedule(f, stringValueOf(name), cron, at.getTime());
  await writeJobRow(f, {
    Id: newRecordId('707'),
    JobType: 'ScheduledApex',
    ApexClassId: await apexClassId(f, (batch as ApexObject).cls),
    Status: 'Queued',
    CronTriggerId: triggerId,
  });
  return triggerId;
};

/**
 * An aborted scheduled job leaves no CronTrigger (nor its CronJobDetail, so the name may be scheduled again):
 * beyond-the-cloud-dev/async-lib's AsyncTest, which passes on Salesforce, finds no CronTrigger of a job
 * that aborted itself (`System.abortJob(ctx.getTriggerId())`). Its AsyncApexJob row stays, Aborted.
 */
async function deleteSchedule(f: Frame, triggerId: string): Promise<void> {
  const rows = await f.tx.hostCall(() =>
    f.tx.host.query('SELECT Id, CronJobDetailId FROM CronTrigger WHERE Id = :triggerId', { userMode: false, binds: { triggerId } }),
  );
  const ids = rows.flatMap((r) => [r.Id as string, r.CronJobDetailId as string]).filter(Boolean);
  if (ids.length) await f.tx.hostCall(() => f.tx.host.delete(ids, { userMode: false }));
}
