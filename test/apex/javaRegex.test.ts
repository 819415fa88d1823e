/**
 * Apex regular expressions are Java's (Pattern Class; java.util.regex.Pattern): what JavaScript spells
 * otherwise runs as Java does. Data-Fetcher (SalesforceLabs) strips comments with `(?s)/\*.*?\*\/`.
 */
import { describe, expect, it } from 'vitest';
import { debugOf, run } from './helpers.ts';

describe('Java regex syntax in Pattern, Matcher and String methods', () => {
  it('takes inline flags, quoting, possessive quantifiers, atomic groups, anchors and POSIX classes', async () => {
    const out = await debugOf(`
      System.debug('a /* x\\n y */ b'.replaceAll('(?s)/\\\\*.*?\\\\*/', ''));
      System.debug(Pattern.matches('(?i)hello', 'HeLLo'));
      System.debug('a.b a-b'.replaceAll('\\\\Qa.b\\\\E', 'X'));
      System.debug(Pattern.matches('a++b', 'aaab'));
      System.debug(Pattern.matches('(?>ab)c', 'abc'));
      System.debug(Pattern.matches('\\\\Aab\\\\z', 'ab'));
      System.debug('ab_1!?'.replaceAll('[\\\\p{Alpha}_]+', '#') + ' ' + 'x,y;z'.replaceAll('\\\\p{Punct}', ' '));
      Matcher m = Pattern.compile('(?m)^(\\\\w+)$').matcher('one\\ntwo');
      List<String> words = new List<String>();
      while (m.find()) words.add(m.group(1));
      System.debug(words);
      System.debug('A1b2'.split('(?i)[a-z]'));
    `);
    expect(out).toEqual(['a  b', 'true', 'X a-b', 'true', 'true', 'true', '#1!? x y z', '(one, two)', '(, 1, 2)']);
  });

  it('refuses a pattern that is wrong in Java too with StringException', async () => {
    const r = await run(`'abc'.replaceAll('(', 'x');`);
    expect(r.exceptionMessage).toMatch(/^System.StringException: Invalid regex: /);
  });
});
