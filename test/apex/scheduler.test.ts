/**
 * The Apex Scheduler and AsyncApexJob rows, checked by a test class of our own (test/apex/scheduler) run as
 * `npm run apex-test` runs it, and the cron expressions' next fire times (Apex Developer Guide, "Apex Scheduler",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_scheduler.htm).
 */
import { describe, expect, it } from 'vitest';
import { CronError, nextFireTime, parseCron } from '../../tools/apex/lib/cron.ts';
import { runFixture, failuresOf } from './helpers.ts';

const at = (expr: string, after: string) => {
  const next = nextFireTime(parseCron(expr), Date.parse(after));
  return next === undefined ? undefined : new Date(next).toISOString();
};

describe('System.schedule and AsyncApexJob rows', () => {
  it('record CronTrigger, CronJobDetail and AsyncApexJob, run at Test.stopTest, refuse duplicates and bad expressions', async () => {
    const r = await runFixture('scheduler');
    expect(r.compileErrors).toEqual([]);
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.length).toBe(4);
  }, 60_000);
});

describe('cron expressions', () => {
  it('give the next fire time after an instant (the guide examples)', () => {
    expect(at('0 0 2 * * ?', '2026-12-07T23:13:00Z')).toBe('2026-12-08T02:00:00.000Z');
    expect(at('0 0 13 * * ?', '2026-12-07T12:00:00Z')).toBe('2026-12-07T13:00:00.000Z');
    expect(at('0 0 22 ? * 6L', '2026-12-07T00:00:00Z')).toBe('2026-12-25T22:00:00.000Z'); // last Friday
    expect(at('0 0 10 ? * MON-FRI', '2026-12-05T11:00:00Z')).toBe('2026-12-07T10:00:00.000Z'); // Saturday → Monday
    expect(at('0 0 20 * * ? 2010', '2026-12-05T11:00:00Z')).toBeUndefined();
    expect(at('0 0 8 ? * 2#1', '2026-12-08T00:00:00Z')).toBe('2027-01-04T08:00:00.000Z'); // first Monday
    expect(at('0 30 9 15W * ?', '2026-08-01T00:00:00Z')).toBe('2026-08-14T09:30:00.000Z'); // the 15th is a Saturday
    expect(at('0 0 0 L * ?', '2027-02-02T00:00:00Z')).toBe('2027-02-28T00:00:00.000Z');
    expect(at('0 */15 * * * ?', '2026-12-07T10:07:00Z')).toBe('2026-12-07T10:15:00.000Z');
  });

  it('refuse an expression of the wrong shape', () => {
    expect(() => parseCron('0 0 0 0 0')).toThrow(new CronError('Unexpected end of expression.'));
    expect(() => parseCron('0 0 2 * * *')).toThrow(/day-of-week AND a day-of-month/);
    expect(() => parseCron('0 0 25 * * ?')).toThrow(/Hours values must be between 0 and 23/);
  });
});
