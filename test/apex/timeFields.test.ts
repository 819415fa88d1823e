/**
 * Time fields of the schema (ContactPointAddress.BestTimeToContactStartTime, Field Reference): Apex writes a
 * Time, SOQL reads it back as a Time, and ORDER BY sorts by time of day (apex-rollup's MIN/MAX of a Time).
 */
import { describe, expect, it } from 'vitest';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';
import { debugOf, run } from './helpers.ts';

describe('Time fields', () => {
  it('insert, query back as Time, order by time of day', async () => {
    const org = projectOrg([]);
    const debug = await debugOf(
      `insert new List<ContactPointAddress>{
         new ContactPointAddress(Name = 'Late', BestTimeToContactStartTime = Time.newInstance(17, 30, 0, 0)),
         new ContactPointAddress(Name = 'Early', BestTimeToContactStartTime = Time.newInstance(8, 5, 9, 250))
       };
       List<ContactPointAddress> rows = [SELECT Name, BestTimeToContactStartTime FROM ContactPointAddress ORDER BY BestTimeToContactStartTime];
       Time t = rows[0].BestTimeToContactStartTime;
       System.debug(rows[0].Name + ' ' + t.hour() + ':' + t.minute() + ':' + t.second() + '.' + t.millisecond());
       System.debug(rows[1].Name + ' ' + rows[1].BestTimeToContactStartTime);
       System.debug(rows[1].BestTimeToContactStartTime > t);`,
      { host: org.host },
    );
    expect(debug).toEqual(['Early 8:5:9.250', 'Late 17:30:00.000Z', 'true']);
  });

  // Salesforce refuses already at put() (Illegal assignment from Date to Time); locally the insert refuses it
  it('refuses a value that is not a time', async () => {
    const org = projectOrg([]);
    const r = await run(
      `ContactPointAddress cpa = new ContactPointAddress(Name = 'Bad');
       cpa.put('BestTimeToContactStartTime', Date.newInstance(2020, 1, 1));
       insert cpa;`,
      { host: org.host },
    );
    expect(r.success).toBe(false);
    expect(r.exceptionMessage).toContain('BestTimeToContactStartTime: value not of required type');
  });
});
