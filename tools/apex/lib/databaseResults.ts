/**
 * `JSON.deserialize` into the DML result types (`Database.SaveResult`, `UpsertResult`, `DeleteResult`,
 * `UndeleteResult`, `EmptyRecycleBinResult`, `MergeResult`, `LeadConvertResult`, `Database.Error`, and
 * Approval's `LockResult`, `UnlockResult`, `ProcessResult`): their JSON keys are those `JSON.serialize`
 * writes for them (`id`, `success`, `created`, `errors`; an error's `message`, `statusCode`, `fields`),
 * which mocking and logging libraries use to make results without DML (Apex Reference, "SaveResult
 * Class", "EmptyRecycleBinResult Class", "MergeResult Class", "LeadConvertResult Class", "Error Class",
 * "Approval Namespace"). Results the local runtime never makes itself (no merge, lead conversion,
 * recycle-bin emptying or approval processes) exist only this way.
 */
import { ApexList } from '../run/values.ts';
import { defineNative, natives } from '../model/natives.ts';
import type { NObj } from './nativeValues.ts';

const RESULT = { id: 'Id', success: 'Boolean', errors: 'List<Database.Error>' };
const IDS = 'List<Id>';
const JSON_KEYS: Record<string, Record<string, string>> = {
  'database.saveresult': RESULT,
  'database.upsertresult': { ...RESULT, created: 'Boolean' },
  'database.deleteresult': RESULT,
  'database.undeleteresult': RESULT,
  'database.emptyrecyclebinresult': RESULT,
  'database.mergeresult': { ...RESULT, mergedRecordIds: IDS, updatedRelatedIds: IDS },
  'database.leadconvertresult': {
    accountId: 'Id',
    contactId: 'Id',
    leadId: 'Id',
    opportunityId: 'Id',
    relatedPersonAccountId: 'Id',
    success: 'Boolean',
    errors: 'List<Database.Error>',
  },
  'approval.lockresult': RESULT,
  'approval.unlockresult': RESULT,
  'approval.processresult': {
    entityId: 'Id',
    instanceId: 'Id',
    instanceStatus: 'String',
    actorIds: IDS,
    newWorkitemIds: IDS,
    success: 'Boolean',
    errors: 'List<Database.Error>',
  },
  'database.error': { message: 'String', statusCode: 'System.StatusCode', fields: 'List<String>' },
};

const getter = (key: string) => (_f: unknown, o: NObj) => o.get(key);
const list = (key: string) => (_f: unknown, o: NObj) => o.get(key) ?? new ApexList([]);
const common = { isSuccess: getter('success'), getErrors: list('errors') };
defineNative({ name: 'Database.EmptyRecycleBinResult', methods: { ...common, getId: getter('id') } });
defineNative({
  name: 'Database.MergeResult',
  methods: { ...common, getId: getter('id'), getMergedRecordIds: list('mergedRecordIds'), getUpdatedRelatedIds: list('updatedRelatedIds') },
});
defineNative({
  name: 'Database.LeadConvertResult',
  methods: {
    ...common,
    getAccountId: getter('accountId'),
    getContactId: getter('contactId'),
    getLeadId: getter('leadId'),
    getOpportunityId: getter('opportunityId'),
    getRelatedPersonAccountId: getter('relatedPersonAccountId'),
  },
});
for (const name of ['Approval.LockResult', 'Approval.UnlockResult']) defineNative({ name, methods: { ...common, getId: getter('id') } });
defineNative({
  name: 'Approval.ProcessResult',
  methods: {
    ...common,
    getEntityId: getter('entityId'),
    getInstanceId: getter('instanceId'),
    getInstanceStatus: getter('instanceStatus'),
    getActorIds: list('actorIds'),
    getNewWorkitemIds: list('newWorkitemIds'),
  },
});

for (const [name, keys] of Object.entries(JSON_KEYS)) {
  const nt = natives.get(name);
  if (nt && !nt.json) nt.json = keys;
}
