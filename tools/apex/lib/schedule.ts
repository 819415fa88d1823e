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
import { trackJob, writeJobRow } from './asyncJobs.ts';

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
    const taken = await f.tx.hostCall(() =>
      f.tx.host.query('SELECT Id FROM CronJobDetail WHERE Name = :jobName', { userMode: false, binds: { jobName } }),
    );
    if (taken.length) throwEx(f, 'AsyncException', `The Apex job named "${jobName}" is already scheduled for execution.`);
    const detailId = newRecordId('0Ys');
    const triggerId = newRecordId('08e');
    const now = Date.now();
    await writeRows(f, [
      { attributes: { type: 'CronJobDetail' }, Id: detailId, Name: jobName, JobType: '7' },
      {
        attributes: { type: 'CronTrigger' },
        Id: triggerId,
        CronExpression: cronText,
        CronJobDetailId: detailId,
        NextFireTime: iso(next),
        State: 'WAITING',
        StartTime: iso(now),
        TimesTriggered: 0,
        TimeZoneSidKey: 'GMT',
      },
    ]);
    const jobId = newRecordId('707');
    const schedulable = job as ApexObject;
    const asyncJob = {
      id: jobId,
      quiddity: 'SCHEDULED',
      run: async (jf: Frame) => {
        const ctx = new NObj('System.SchedulableContext');
        ctx.set('triggerId', triggerId);
        await callVirtual(jf, schedulable, 'execute', [ctx], site);
        const fired = Date.now();
        const after = nextFireTime(parseCron(cronText), fired);
        await writeRows(jf, [
          {
            attributes: { type: 'CronTrigger' },
            Id: triggerId,
            TimesTriggered: 1,
            PreviousFireTime: iso(fired),
            NextFireTime: after === undefined ? null : iso(after),
            State: after === undefined ? 'COMPLETE' : 'WAITING',
          },
        ]);
      },
    };
    await trackJob(f, asyncJob, 'ScheduledApex', schedulable.cls, { CronTriggerId: triggerId });
    // only a test runs it (at Test.stopTest); a real org fires it at NextFireTime, which nothing here waits for
    if (f.tx.isTest) f.tx.asyncJobs.push(asyncJob);
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
      if (j.CronTriggerId) await writeRows(f, [{ attributes: { type: 'CronTrigger' }, Id: j.CronTriggerId, State: 'DELETED' }]);
    }
    return null;
  },
});
