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

describe('reads through a null sObject member of an object', () => {
  const classes = [
    {
      name: 'Holder',
      body: `public class Holder {
        public Contact tc;
        public Holder other;
        public Contact prop { get; set; }
        public String viaThis() { return this.tc.LastName; }
        public String bare() { return tc.LastName; }
      }`,
    },
  ];

  it('evaluate to null for other fields than Id, through a dot (r.tc.Name, this.tc.Name, a property)', async () => {
    const out = await debugOf(
      `Holder r = new Holder();\nSystem.debug(r.tc.FirstName);\nSystem.debug(r.tc.Account.Name);\nSystem.debug(r.prop.LastName);\nSystem.debug(r.viaThis());`,
      { classes },
    );
    expect(out).toEqual(['null', 'null', 'null', 'null']);
  });

  it('still throw for the Id, a bare member name, a member of a class type, a local and a method call', async () => {
    for (const src of [
      'Holder r = new Holder();\nId x = r.tc.Id;',
      'Holder r = new Holder();\nString x = r.bare();',
      'Holder r = new Holder();\nContact x = r.other.tc;',
      'Contact c;\nString x = c.LastName;',
      'Holder r = new Holder();\nSystem.debug(r.tc.getSObjectType());',
    ])
      expect((await run(src, { classes })).exceptionMessage, src).toBe(NPE);
  });
});
