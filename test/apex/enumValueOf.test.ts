/**
 * `E.valueOf(s)` of a name no constant has throws (Apex Reference, "Enum Methods",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_enum.htm:
 * "An exception is thrown if the input string doesn't match an enum value"), for user and system enums alike.
 * apex-rollup's RollupLogger reads its level with `LoggingLevel.valueOf(param)` in a try/catch and falls back
 * in the catch; a null answer left its level null and every log call failed.
 */
import { describe, expect, it } from 'vitest';
import { debugOf } from './helpers.ts';

describe('Enum.valueOf', () => {
  it('returns the constant it names and throws NoSuchElementException for any other name, or null', async () => {
    const out = await debugOf(
      `
      System.debug(System.LoggingLevel.valueOf('WARN'));
      System.debug(Season.valueOf('FALL'));
      for (String name : new List<String>{ 'Nope', null }) {
        try { System.debug(System.LoggingLevel.valueOf(name)); } catch (NoSuchElementException e) { System.debug(e.getMessage()); }
        try { System.debug(Season.valueOf(name)); } catch (NoSuchElementException e) { System.debug(e.getMessage()); }
      }
    `,
      { classes: [{ name: 'Season', body: 'public enum Season { WINTER, SPRING, SUMMER, FALL }' }] },
    );
    expect(out).toEqual([
      'WARN',
      'FALL',
      'No enum value found called Nope',
      'No enum value found called Nope',
      'No enum value found called null',
      'No enum value found called null',
    ]);
  });
});
