/**
 * A Lightning component's dynamic picklist (VisualEditor.DynamicPickList, DataRow, DynamicPickListRows,
 * DesignTimePageContext) built and read by a test class of our own, as LightningWebChartJS's tests do.
 */
import { describe, expect, it } from 'vitest';
import { failuresOf, runFixture } from './helpers.ts';

describe('VisualEditor namespace', () => {
  it('builds picklist rows in a DynamicPickList subclass and reads them back', async () => {
    const r = await runFixture('visualEditor');
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.map((t) => t.methodName)).toEqual(['rows']);
  });
});
