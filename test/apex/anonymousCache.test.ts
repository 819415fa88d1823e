/** The same anonymous block run again reuses its compiled form: each run still starts from fresh statics and its own debug log. */
import { describe, expect, it } from 'vitest';
import { executeAnonymous } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';

describe('anonymous Apex compiled once per source', () => {
  it('runs twice with fresh statics each time', async () => {
    const host = createMemoryOrg({ classes: [{ name: 'Counter', body: 'public class Counter { public static Integer n = 0; }' }] }).host;
    const source =
      "Counter.n++;\nSystem.assertEquals(1, Counter.n, 'statics start fresh in each transaction');\nSystem.debug('n=' + Counter.n);";
    for (let i = 0; i < 2; i++) {
      const r = await executeAnonymous(host, source);
      expect(r.exceptionMessage, `run ${i + 1}`).toBeUndefined();
      expect(r.success).toBe(true);
      expect(r.debugLog.match(/USER_DEBUG/g)).toHaveLength(1);
    }
  });

  it('a block that does not compile fails each time with its problem', async () => {
    const host = createMemoryOrg({ classes: [] }).host;
    for (let i = 0; i < 2; i++) expect((await executeAnonymous(host, 'Integer x = ;')).compiled).toBe(false);
  });
});
