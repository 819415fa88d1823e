/**
 * `Database.update(records, dmlOptions)`: the DMLOptions' `optAllOrNone` defaults to false (Apex Reference,
 * "DMLOptions Class", https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_database_dmloptions.htm),
 * so unset or null lets the good rows save and reports the bad ones; only `true` throws. apex-rollup's
 * RollupSObjectUpdater passes `optAllOrNone = control.ShouldThrowOnSaveErrors__c`, null without a control.
 */
import { describe, expect, it } from 'vitest';
import { debugOf } from './helpers.ts';

describe('Database.DMLOptions.optAllOrNone', () => {
  it('unset or null allows partial success; true rolls back and throws', async () => {
    const out = await debugOf(`
      for (Boolean flag : new List<Boolean>{ null, false, true }) {
        Database.DMLOptions options = new Database.DMLOptions();
        if (flag != null) options.optAllOrNone = flag;
        try {
          List<Database.SaveResult> results = Database.insert(new List<Account>{ new Account(Name = 'ok'), new Account() }, options);
          System.debug(flag + ': ' + results[0].isSuccess() + ' ' + results[1].isSuccess());
        } catch (DmlException e) {
          System.debug(flag + ': threw ' + e.getDmlType(0));
        }
      }
      Database.DMLOptions nulled = new Database.DMLOptions();
      nulled.optAllOrNone = null;
      System.debug('nulled: ' + Database.update(new List<Account>{ new Account() }, nulled)[0].isSuccess());
    `);
    expect(out).toEqual(['null: true false', 'false: true false', 'true: threw REQUIRED_FIELD_MISSING', 'nulled: false']);
  });
});
