import { it } from 'vitest';
import { run } from '/work/wt/h18/test/apex/helpers.ts';
it('x', async () => {
  for (const src of [
    `public enum Op { LESS_THAN, LESS_THAN_OR_EQUAL, GREATER }
    Op o = Op.LESS_THAN_OR_EQUAL; String r = 'none'; System.debug(o);
    switch on o { when LESS_THAN_OR_EQUAL { r = '<='; } }
    System.debug(r);`,
    `public enum Op { LESS_THAN, LESS_OR, GREATER }
    Op o = Op.LESS_OR; String r = 'none'; 
    switch on o { when LESS_OR { r = '<='; } }
    System.debug(r);`,
    `public enum Op { LESS_THAN, LESS_EQUAL, GREATER }
    Op o = Op.LESS_EQUAL; String r = 'none'; 
    switch on o { when LESS_EQUAL { r = '<='; } }
    System.debug(r);`,
    `public enum Op { LESS_THAN, GREATER }
    Op o = Op.GREATER; String r = 'none'; 
    switch on o { when GREATER { r = '<='; } }
    System.debug(r);`,
  ]) { const r = await run(src); console.log('=>', r.success, r.exceptionMessage, r.compileProblem, r.debug, r.exceptionStackTrace); }
});
