/**
 * `+` of String-typed sObject fields holding null concatenates 'null', as for String variables
 * (apex-rollup: `meta.RollupOperation__c + meta.CalcItemWhereClause__c` is 'nullnull' on Salesforce).
 */
import { describe, expect, it } from 'vitest';
import { debugOf, run } from './helpers.ts';

describe('+ of null String fields', () => {
  it('concatenates text, text area and picklist fields holding null as "null"', async () => {
    const debug = await debugOf(
      `Account a = new Account();
       String s = a.Name + a.Description;
       System.debug(s);
       System.debug(a.Industry + a.Site + '!');
       a.Name = 'Acme';
       System.debug(a.Name + a.Description);`,
    );
    expect(debug).toEqual(['nullnull', 'nullnull!', 'Acmenull']);
  });

  it('still throws for null number fields (their static type is not String)', async () => {
    const r = await run(
      `Account a = new Account();
       Decimal d = a.AnnualRevenue + a.AnnualRevenue;`,
    );
    expect(r.success).toBe(false);
    expect(r.exceptionMessage).toContain('NullPointerException');
  });
});
