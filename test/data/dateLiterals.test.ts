/**
 * SOQL date literals (SOQL and SOSL Reference, "Date Formats and Date Literals"): the range each covers,
 * in UTC, weeks from Sunday, the fiscal year equal to the calendar year; and the in-memory host of
 * `apex-test` filtering Date and Datetime fields with them as the SQLite engine does.
 */
import { describe, expect, it } from 'vitest';
import { dateLiteralRange } from '../../tools/data/soql.ts';
import { debugOf } from '../apex/helpers.ts';

// Wednesday 2026-05-13, 15:00 UTC (second quarter)
const NOW = new Date(Date.UTC(2026, 4, 13, 15, 0, 0));
const range = (literal: string) => dateLiteralRange(literal, NOW).map((d) => d.toISOString().slice(0, 10));

describe('date literal ranges', () => {
  it('covers days, weeks, months, quarters and years, with and without N', () => {
    expect(range('YESTERDAY')).toEqual(['2026-05-12', '2026-05-13']);
    expect(range('LAST_90_DAYS')).toEqual(['2026-02-12', '2026-05-14']);
    expect(range('NEXT_90_DAYS')).toEqual(['2026-05-14', '2026-08-12']);
    expect(range('THIS_WEEK')).toEqual(['2026-05-10', '2026-05-17']);
    expect(range('LAST_WEEK')).toEqual(['2026-05-03', '2026-05-10']);
    expect(range('LAST_N_WEEKS:2')).toEqual(['2026-04-26', '2026-05-10']);
    expect(range('N_WEEKS_AGO:2')).toEqual(['2026-04-26', '2026-05-03']);
    expect(range('NEXT_N_MONTHS:2')).toEqual(['2026-06-01', '2026-08-01']);
    expect(range('LAST_N_MONTHS:2')).toEqual(['2026-03-01', '2026-05-01']);
    expect(range('THIS_QUARTER')).toEqual(['2026-04-01', '2026-07-01']);
    expect(range('LAST_QUARTER')).toEqual(['2026-01-01', '2026-04-01']);
    expect(range('NEXT_N_QUARTERS: 2')).toEqual(['2026-07-01', '2027-01-01']);
    expect(range('N_QUARTERS_AGO:1')).toEqual(['2026-01-01', '2026-04-01']);
    expect(range('LAST_N_YEARS:2')).toEqual(['2024-01-01', '2026-01-01']);
    expect(range('THIS_FISCAL_QUARTER')).toEqual(range('THIS_QUARTER'));
    expect(range('LAST_N_FISCAL_YEARS:1')).toEqual(['2025-01-01', '2026-01-01']);
    expect(() => range('LAST_N_WEEKS')).toThrow(/not supported/);
  });

  it('filter Date and Datetime fields in the in-memory host', async () => {
    const out = await debugOf(`ContactPointAddress p = new ContactPointAddress(Name = 'P');
insert p;
insert new List<ContactPointConsent>{
  new ContactPointConsent(Name = 'yesterday', CaptureDate = Datetime.newInstanceGmt(System.today().addDays(-1), Time.newInstance(10, 0, 0, 0)), ContactPointId = p.Id),
  new ContactPointConsent(Name = 'last year', CaptureDate = Datetime.newInstanceGmt(System.today().addYears(-1), Time.newInstance(10, 0, 0, 0)), ContactPointId = p.Id)
};
System.debug([SELECT Name FROM ContactPointConsent WHERE CaptureDate = YESTERDAY][0].Name);
System.debug([SELECT COUNT() FROM ContactPointConsent WHERE CaptureDate = LAST_N_DAYS:400]);
System.debug([SELECT COUNT() FROM ContactPointConsent WHERE CaptureDate < THIS_YEAR]);`);
    expect(out).toEqual(['yesterday', '2', '1']);
  });
});
