/**
 * `JSON.deserialize` into the DML result types (`Database.SaveResult`, `UpsertResult`, `DeleteResult`,
 * `UndeleteResult`, `Database.Error`): their JSON keys are those `JSON.serialize` writes for them
 * (`id`, `success`, `created`, `errors`; an error's `message`, `statusCode`, `fields`), which mocking
 * libraries use to make results without DML (Apex Reference, "SaveResult Class", "Error Class").
 */
import { natives } from '../model/natives.ts';

const RESULT = { id: 'Id', success: 'Boolean', errors: 'List<Database.Error>' };
const JSON_KEYS: Record<string, Record<string, string>> = {
  'database.saveresult': RESULT,
  'database.upsertresult': { ...RESULT, created: 'Boolean' },
  'database.deleteresult': RESULT,
  'database.undeleteresult': RESULT,
  'database.error': { message: 'String', statusCode: 'System.StatusCode', fields: 'List<String>' },
};

for (const [name, keys] of Object.entries(JSON_KEYS)) {
  const nt = natives.get(name);
  if (nt && !nt.json) nt.json = keys;
}
