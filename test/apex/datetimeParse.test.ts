/**
 * `Datetime.parse(s)` reads the user's locale format, what `Datetime.format()` writes (Apex Reference, "Datetime
 * Class", https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_datetime.htm:
 * "Constructs a Datetime from the given String in the local time zone and in the format of the user locale",
 * example `Datetime.parse('10/14/2011 11:46 AM')`). The local user is en_US in GMT.
 */
import { describe, expect, it } from 'vitest';
import { debugOf, run } from './helpers.ts';

describe('Datetime.parse', () => {
  it("reads en_US 'M/d/yyyy h:mm a', so parse(format()) round-trips to the minute", async () => {
    const out = await debugOf(`
      System.debug(Datetime.parse('10/14/2011 11:46 AM').formatGmt('yyyy-MM-dd HH:mm:ss'));
      System.debug(Datetime.parse('1/2/2020 12:05 AM').formatGmt('yyyy-MM-dd HH:mm'));
      System.debug(Datetime.parse('1/2/2020 12:05 PM').formatGmt('yyyy-MM-dd HH:mm'));
      Datetime nowish = Datetime.newInstanceGmt(2026, 12, 7, 23, 13, 42);
      System.debug(Datetime.parse(nowish.format()) == nowish.addSeconds(-nowish.second()));
    `);
    expect(out).toEqual(['2011-10-14 11:46:00', '2020-01-02 00:05', '2020-01-02 12:05', 'true']);
  });

  it('refuses text in no date format with TypeException', async () => {
    const r = await run(`Datetime.parse('13/45/2020 25:00 XM');`);
    expect(r.exceptionMessage).toBe('System.TypeException: Invalid date/time: 13/45/2020 25:00 XM');
  });
});
