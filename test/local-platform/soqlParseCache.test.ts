/** Parsed SOQL is cached by text (the parser costs tens of ms a call); each caller still gets its own tree. */
import { describe, expect, it } from 'vitest';
import { parseSoql } from '../../tools/data/soql.ts';

describe('parseSoql cache', () => {
  const text = 'SELECT Id, Name FROM Account WHERE Name != :skip ORDER BY CreatedDate DESC LIMIT 10';

  it('answers the same tree for the same text, a copy each time', () => {
    const first = parseSoql(text);
    first.sObject = 'Contact';
    (first.fields as unknown[]).length = 0;
    const second = parseSoql(text);
    expect(second.sObject).toBe('Account');
    expect(second.fields).toHaveLength(2);
    expect(parseSoql(text)).toEqual(second);
    expect(parseSoql(text)).not.toBe(second);
  });

  it('a malformed query fails each time with MALFORMED_QUERY (errors are not cached as trees)', () => {
    for (let i = 0; i < 2; i++) expect(() => parseSoql('SELECT FROM WHERE')).toThrow(/unexpected token in query/);
  });
});
