/**
 * The in-memory org (tools/local-platform/apex/memoryOrg.ts): the platform's data engine on `:memory:`
 * with the platform's ApexHost, as the Apex tests and `npm run apex-test` use it.
 */
import { describe, expect, it } from 'vitest';
import { executeAnonymous, runTests } from '../../../tools/apex/index.ts';
import type { HttpCallout } from '../../../tools/apex/host.ts';
import { readField } from '../../../tools/apex/projectObjects.ts';
import { createMemoryOrg } from '../../../tools/local-platform/apex/memoryOrg.ts';
import { debugMessages } from '../../apex/helpers.ts';

const cls = (name: string, body: string) => ({ name, body });

describe('in-memory org', () => {
  it('runs test methods on the SQLite engine, each rolled back: DML, SOQL, aggregates', async () => {
    const org = createMemoryOrg({
      classes: [
        cls(
          'T',
          `@IsTest private class T {
          @IsTest static void writes() {
            insert new List<Account>{ new Account(Name = 'a', Industry = 'Banking'), new Account(Name = 'b', Industry = 'Banking') };
            AggregateResult[] r = [SELECT Industry, COUNT(Id) n FROM Account GROUP BY Industry];
            Assert.areEqual(2, (Integer) r[0].get('n'));
          }
          @IsTest static void seesNothingOfTheOther() { Assert.areEqual(0, [SELECT COUNT() FROM Account]); }
          @IsTest static void runsAsTheAdmin() { Assert.areEqual(1, [SELECT COUNT() FROM User WHERE Id = :UserInfo.getUserId()]); }
        }`,
        ),
      ],
    });
    const r = await runTests(org.host);
    expect(r.tests.filter((t) => t.outcome !== 'Pass').map((t) => `${t.methodName}: ${t.message}`)).toEqual([]);
    expect(r.testsRan).toBe(3);
    // the org's own rows stay; nothing of the tests does
    expect(org.db.prepare("SELECT COUNT(*) AS n FROM records WHERE org_id = ? AND sobject = 'Account'").get(org.org.id)).toEqual({ n: 0 });
  });

  it('serves the project: custom objects and their child relationships, labels, cache partitions', async () => {
    const parent = readField(
      '<CustomField><fullName>Box__c</fullName><type>Lookup</type><referenceTo>Account</referenceTo><relationshipName>Things</relationshipName><label>Box</label></CustomField>',
    );
    const org = createMemoryOrg({
      objects: [
        { name: 'Thing__c', custom: true, fields: [{ name: 'Name', type: 'string' }, parent, { name: 'Size__c', type: 'double' }] },
      ],
      labels: { Greeting: 'Hello' },
      cachePartitions: { Main: 1 },
    });
    const a = await executeAnonymous(
      org.host,
      `Account acc = new Account(Name = 'x'); insert acc;
       insert new Thing__c(Name = 't', Box__c = acc.Id, Size__c = 2);
       Account back = [SELECT Name, (SELECT Size__c FROM Things__r) FROM Account WHERE Id = :acc.Id];
       System.debug(back.Things__r.size() + ' ' + back.Things__r[0].Size__c);
       System.debug(System.Label.Greeting);
       Cache.OrgPartition p = Cache.Org.getPartition('local.Main'); p.put('k1', 1); p.put('k2', 2);
       System.debug(p.getKeys());`,
    );
    expect(a.compileProblem ?? a.exceptionMessage).toBeUndefined();
    expect(debugMessages(a.debugLog)).toEqual(['1 2', 'Hello', '{k1, k2}']);
    // another in-memory org does not see this one's objects
    const other = createMemoryOrg();
    const b = await executeAnonymous(other.host, `System.debug([SELECT COUNT() FROM Thing__c]);`);
    expect(b.success).toBe(false);
  });

  it('answers callouts through the handler, not the network', async () => {
    const seen: HttpCallout[] = [];
    const org = createMemoryOrg({
      callout: async (req) => {
        seen.push(req);
        return { statusCode: 200, status: 'OK', headers: {}, body: Buffer.from('pong') };
      },
    });
    const a = await executeAnonymous(
      org.host,
      `HttpRequest q = new HttpRequest(); q.setEndpoint('https://example.invalid/ping'); q.setMethod('GET'); System.debug(new Http().send(q).getBody());`,
    );
    expect(debugMessages(a.debugLog)).toEqual(['pong']);
    expect(seen.map((s) => s.endpoint)).toEqual(['https://example.invalid/ping']);
  });
});
