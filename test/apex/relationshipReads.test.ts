/**
 * Reading through an sObject relationship that holds null gives null, not a NullPointerException; writing
 * through it, or calling a method on the null, still throws (Apex Developer Guide, "Accessing sObject
 * Fields Through Relationships",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/langCon_apex_SObjects_field_relationships.htm).
 */
import { describe, expect, it } from 'vitest';
import { debugOf, run } from './helpers.ts';

const NPE = 'System.NullPointerException: Attempt to de-reference a null object';

describe('reads through a null relationship', () => {
  it('evaluate to null along the whole chain, from a local and after ?.', async () => {
    const out = await debugOf(`
      Contact c = new Contact(LastName = 'K');
      System.debug(c.Account.Name);
      System.debug(c.Account.Owner.Name);
      System.debug(c.Account.Id != null);
      Account a = null;
      System.debug(a?.Owner.Name);
    `);
    expect(out).toEqual(['null', 'null', 'false', 'null']);
  });

  it('still throw when written, when a method is called on the null, and when the record itself is null', async () => {
    expect((await run(`Contact c = new Contact();\nc.Account.Name = 'x';`)).exceptionMessage).toBe(NPE);
    expect((await run(`Contact c = new Contact();\nSystem.debug(c.Account.Name.length());`)).exceptionMessage).toBe(NPE);
    expect((await run(`Contact c = null;\nSystem.debug(c.Account.Name);`)).exceptionMessage).toBe(NPE);
  });
});

describe('inline queries after a character outside the BMP', () => {
  it('send the query as written (the parser counts code points, not UTF-16 units)', async () => {
    const out = await debugOf(
      `// rocket 🚀 and 😀 before the query\ninsert new Account(Name = 'Acme');\nAccount a = [SELECT Name FROM Account];\nSystem.debug(a.Name);`,
    );
    expect(out).toEqual(['Acme']);
  });
});
