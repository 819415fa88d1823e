/**
 * `Formula.recalculateFormulas` computes the formula fields of records in memory from the project's field
 * metadata (Apex Reference, "Formula Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_System_Formula.htm), checked
 * by a test class of our own (test/apex/formulaRecalc) run as `npm run apex-test` runs it.
 */
import { describe, expect, it } from 'vitest';
import { runFixture } from './helpers.ts';

describe('Formula.recalculateFormulas', () => {
  it('fills text and number formula fields, blank numbers as zero where the field says so', async () => {
    const r = await runFixture('formulaRecalc');
    expect(r.compileErrors).toEqual([]);
    expect(r.tests.map((t) => `${t.methodName}: ${t.outcome} ${t.message ?? ''}`)).toEqual([
      'recalculatesTextAndNumberFormulasPositive: Pass ',
    ]);
  }, 60_000);
});
