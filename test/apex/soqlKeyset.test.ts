/**
 * SOQL that a keyset (cursor) walk relies on, run on the in-memory org: NULLS FIRST/LAST in ORDER BY, and
 * Datetime comparisons between a stored value and a bound Datetime (stored `…+0000`, bound `…Z`).
 */
import { describe, expect, it } from 'vitest';
import { debugOf } from './helpers.ts';

const seed = `
  insert new List<Account>{ new Account(Name = 'A', Industry = 'Banking'), new Account(Name = 'B'), new Account(Name = 'C', Industry = 'Energy') };
`;

describe('SOQL ORDER BY … NULLS', () => {
  it('puts nulls where NULLS FIRST/LAST says, and by default first, DESC included (SOQL and SOSL Reference, "ORDER BY")', async () => {
    const out = await debugOf(`${seed}
      List<String> names = new List<String>();
      for (Account a : [SELECT Name FROM Account ORDER BY Industry ASC NULLS LAST]) names.add(a.Name);
      for (Account a : [SELECT Name FROM Account ORDER BY Industry DESC NULLS FIRST]) names.add(a.Name);
      for (Account a : [SELECT Name FROM Account ORDER BY Industry ASC]) names.add(a.Name);
      for (Account a : [SELECT Name FROM Account ORDER BY Industry DESC]) names.add(a.Name);
      System.debug(String.join(names, ','));`);
    expect(out).toEqual(['A,C,B,B,C,A,B,A,C,B,C,A']);
  });
});

describe('SOQL Datetime comparisons with binds', () => {
  it('finds a row by its own CreatedDate with =, and not with < or >', async () => {
    const out = await debugOf(`${seed}
      Datetime created = [SELECT CreatedDate FROM Account WHERE Name = 'A'].CreatedDate;
      System.debug([SELECT COUNT() FROM Account WHERE Name = 'A' AND CreatedDate = :created]);
      System.debug([SELECT COUNT() FROM Account WHERE Name = 'A' AND CreatedDate < :created]);
      System.debug([SELECT COUNT() FROM Account WHERE Name = 'A' AND CreatedDate > :created]);
      System.debug([SELECT COUNT() FROM Account WHERE Name = 'A' AND CreatedDate <= :created]);
      Datetime later = created.addSeconds(1);
      System.debug([SELECT COUNT() FROM Account WHERE Name = 'A' AND CreatedDate < :later]);`);
    expect(out).toEqual(['1', '0', '0', '1', '1']);
  });
});

describe('SOQL WHERE grouping', () => {
  it('groups by the parentheses as written', async () => {
    const out = await debugOf(`${seed}
      String v = 'Banking';
      System.debug([SELECT COUNT() FROM Account WHERE (Industry > :v OR (Industry = :v AND Name > 'Z') OR Industry = null)]);
      System.debug([SELECT COUNT() FROM Account WHERE (Industry = null OR Industry = :v) AND Name != 'A']);
      System.debug([SELECT COUNT() FROM Account WHERE Name = 'C' OR (Industry = :v AND Name != 'A')]);`);
    expect(out).toEqual(['2', '1', '1']);
  });
});
