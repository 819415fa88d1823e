/**
 * `Trigger` context variables and `System.TriggerOperation`. Inside a trigger (and anything it
 * calls) they describe the innermost firing; elsewhere isExecuting is false and the lists are null,
 * which is what trigger-handler frameworks test for.
 */
import type { Frame } from '../run/frame.ts';
import type { TriggerContext } from '../run/triggers.ts';
import { defineEnum } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';

export const TRIGGER_OPERATION = defineEnum(
  'System.TriggerOperation',
  ['BEFORE_INSERT', 'BEFORE_UPDATE', 'BEFORE_DELETE', 'AFTER_INSERT', 'AFTER_UPDATE', 'AFTER_DELETE', 'AFTER_UNDELETE'],
  'TriggerOperation',
);

const current = (f: Frame): TriggerContext | undefined => f.tx.triggerStack[f.tx.triggerStack.length - 1];
const is = (test: (c: TriggerContext) => boolean) => ({
  get: (f: Frame) => {
    const c = current(f);
    return c ? test(c) : false;
  },
});

defineNative(
  {
    name: 'Trigger',
    props: {
      new: { get: (f) => current(f)?.newList ?? null },
      old: { get: (f) => current(f)?.oldList ?? null },
      newMap: { get: (f) => current(f)?.newMap ?? null },
      oldMap: { get: (f) => current(f)?.oldMap ?? null },
      isExecuting: { get: (f) => f.tx.triggerStack.length > 0 },
      isBefore: is((c) => c.event.startsWith('before')),
      isAfter: is((c) => c.event.startsWith('after')),
      isInsert: is((c) => c.event.endsWith(' insert')),
      isUpdate: is((c) => c.event.endsWith(' update')),
      isDelete: is((c) => c.event.endsWith(' delete')),
      isUndelete: is((c) => c.event.endsWith(' undelete')),
      size: {
        get: (f) => {
          const c = current(f);
          return c ? (c.newList ?? c.oldList)!.items.length : 0;
        },
      },
      operationType: {
        get: (f) => {
          const c = current(f);
          return c ? (TRIGGER_OPERATION.get(c.event.replace(' ', '_')) ?? null) : null;
        },
      },
    },
  },
  'System.Trigger',
);
