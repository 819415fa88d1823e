/**
 * ApexTrigger (`triggers/Name.trigger` + `Name.trigger-meta.xml`): parsed with Salesforce's trigger
 * grammar, so a syntax error fails the deploy with its line and column; the trigger's name must
 * match its file, and a custom object it names must exist in the org or in the same deploy. Stored
 * components are what the local Apex runtime fires on DML (lookups.listApexTriggers); the ApexTrigger
 * sObject row makes `SELECT … FROM ApexTrigger` work.
 */
import type { Handler } from './handler.ts';
import { readApexSource, upsertUnlessUnknownType } from './apexClass.ts';
import { toSalesforceMessage } from '../../../apex/parse/syntaxErrors.ts';
import { readTriggerHeader } from '../../../apex/parse/triggerSource.ts';
import { getObjectDef } from '../../../data/schema.ts';

export const apexTrigger: Handler = (c, env) => {
  const { problems, body, apiVersion, status } = readApexSource(c, 'ApexTrigger', 'trigger');
  if (body === undefined) return { problems };
  const parsed = readTriggerHeader(body);
  if ('error' in parsed) {
    const e = parsed.error;
    problems.push({ problem: toSalesforceMessage(e.msg, e.token), fileName: c.fileName, lineNumber: e.line, columnNumber: e.column + 1 });
    return { problems };
  }
  const { header } = parsed;
  if (header.name.toLowerCase() !== c.fullName.toLowerCase()) {
    // Wording unverified, as for classes: Salesforce rejects a trigger whose name differs from its file name.
    problems.push({
      problem: `Invalid trigger name: ${header.name}, expected ${c.fullName}`,
      fileName: c.fileName,
      lineNumber: 1,
      columnNumber: 1,
    });
  }
  // Only custom objects are checked: the local schema lists a few standard objects, and a trigger on
  // any other standard object must still deploy. Message unverified (the compiler's "Invalid type").
  const custom = /__c$/i.test(header.sobject);
  if (custom && !env.exists('CustomObject', header.sobject) && !getObjectDef(env.db, env.org.id, env.org.kind, header.sobject)) {
    problems.push({
      problem: `Invalid type: ${header.sobject}`,
      fileName: c.fileName,
      lineNumber: 1,
      columnNumber: body.indexOf(header.sobject) - body.lastIndexOf('\n', body.indexOf(header.sobject)),
    });
  }
  const usage = (e: string) => header.events.includes(e as never);
  return {
    problems,
    data: { apiVersion, status, sobject: header.sobject, events: header.events },
    apply: (_db, records) => {
      upsertUnlessUnknownType(records, env.org.id, 'ApexTrigger', 'Name', {
        Name: c.fullName,
        Body: body,
        TableEnumOrId: header.sobject,
        ApiVersion: Number(apiVersion),
        Status: status,
        IsValid: true,
        UsageBeforeInsert: usage('before insert'),
        UsageAfterInsert: usage('after insert'),
        UsageBeforeUpdate: usage('before update'),
        UsageAfterUpdate: usage('after update'),
        UsageBeforeDelete: usage('before delete'),
        UsageAfterDelete: usage('after delete'),
        UsageAfterUndelete: usage('after undelete'),
        LengthWithoutComments: body.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').replace(/\s+/g, '').length,
        NamespacePrefix: null,
      });
    },
  };
};
