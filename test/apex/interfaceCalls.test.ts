/**
 * Calls through a variable typed as a system interface reach the implementing class's method and compile
 * without a warning: `System.Comparator<T>.compare` (Apex Reference, "Comparator Interface"), `Comparable.compareTo`,
 * `Schedulable.execute(SchedulableContext)`. apex-rollup sorts with a `System.Comparator<String>` field.
 */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';

const SORTER = `public class LengthSorter implements System.Comparator<String> {
  public Integer compare(String a, String b) { return a.length() - b.length(); }
}`;
const TEST = `@IsTest
public class InterfaceCallsTest {
  @IsTest
  static void callsThroughTheInterfaceType() {
    System.Comparator<String> sorter = new LengthSorter();
    Assert.areEqual(2, sorter.compare('abc', 'a'), 'the class method runs');
    List<String> words = new List<String>{ 'ccc', 'a', 'bb' };
    words.sort(sorter);
    Assert.areEqual('a', words[0], 'sorted by length');
  }
}`;

describe('calls through system interface types', () => {
  it('Comparator.compare dispatches to the class and deploys without a warning', async () => {
    const { host } = createMemoryOrg({
      classes: [
        { name: 'LengthSorter', body: SORTER },
        { name: 'InterfaceCallsTest', body: TEST },
      ],
    });
    const r = await runTests(host);
    expect(r.compileErrors).toEqual([]);
    expect(r.compileWarnings).toEqual([]);
    expect(r.tests.map((t) => `${t.methodName}: ${t.outcome} ${t.message ?? ''}`.trim())).toEqual(['callsThroughTheInterfaceType: Pass']);
  });
});
