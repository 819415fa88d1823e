/**
 * Apex triggers on the in-memory org: which DML fires which event, the Trigger context variables,
 * before-trigger changes being saved, addError failing rows, read-only records after the save,
 * recursion, and undelete from the recycle bin.
 */
import { describe, expect, it } from 'vitest';
import { debugOf, run } from './helpers.ts';

const trig = (name: string, body: string, status?: 'Inactive') => ({ name, body, status });

const contextTrigger = trig(
  'AccountContext',
  `trigger AccountContext on Account (before insert, after insert, before update, after update, before delete, after delete, after undelete) {
    System.debug(Trigger.operationType + ' size=' + Trigger.size + ' before=' + Trigger.isBefore + ' insert=' + Trigger.isInsert
      + ' new=' + (Trigger.new == null ? 'null' : String.valueOf(Trigger.new.size())) + ' newMap=' + (Trigger.newMap == null ? 'null' : 'map')
      + ' old=' + (Trigger.old == null ? 'null' : Trigger.old[0].get('Name')));
    if (Trigger.isBefore && (Trigger.isInsert || Trigger.isUpdate)) {
      for (Account a : Trigger.new) a.Description = 'set by trigger';
    }
  }`,
);

describe('trigger events and context variables', () => {
  it('fires before/after insert, update, delete and undelete with the right context', async () => {
    const out = await debugOf(
      `System.debug('outside ' + Trigger.isExecuting + ' ' + Trigger.new);
      Account a = new Account(Name = 'Acme');
      insert a;
      System.debug('caller copy: ' + a.Description + ' id set: ' + (a.Id != null));
      System.debug('saved: ' + [SELECT Description FROM Account WHERE Id = :a.Id].Description);
      a.Name = 'Acme 2';
      update a;
      delete a;
      undelete a;
      System.debug([SELECT COUNT() FROM Account]);`,
      { triggers: [contextTrigger] },
    );
    expect(out).toEqual([
      'outside false null',
      'BEFORE_INSERT size=1 before=true insert=true new=1 newMap=null old=null',
      'AFTER_INSERT size=1 before=false insert=true new=1 newMap=map old=null',
      'caller copy: null id set: true',
      'saved: set by trigger',
      'BEFORE_UPDATE size=1 before=true insert=false new=1 newMap=map old=Acme',
      'AFTER_UPDATE size=1 before=false insert=false new=1 newMap=map old=Acme',
      'BEFORE_DELETE size=1 before=true insert=false new=null newMap=null old=Acme 2',
      'AFTER_DELETE size=1 before=false insert=false new=null newMap=null old=Acme 2',
      'AFTER_UNDELETE size=1 before=false insert=false new=1 newMap=map old=null',
      '1',
    ]);
  });

  it('gives Trigger.new the whole record on update, and chunks 200 records per firing', async () => {
    const out = await debugOf(
      `List<Account> accs = new List<Account>();
      for (Integer i = 0; i < 250; i++) accs.add(new Account(Name = 'A' + i, Industry = 'Energy'));
      insert accs;
      update new Account(Id = accs[0].Id, Name = 'Renamed');`,
      {
        triggers: [
          trig(
            'Sizes',
            `trigger Sizes on Account (before insert, before update) {
            if (Trigger.isInsert) System.debug('chunk ' + Trigger.size);
            else System.debug(Trigger.new[0].Name + ' ' + Trigger.new[0].Industry + ' was ' + Trigger.oldMap.get(Trigger.new[0].Id).get('Name'));
          }`,
          ),
        ],
      },
    );
    expect(out).toEqual(['chunk 200', 'chunk 50', 'Renamed Energy was A0']);
  });

  it('lets code a trigger calls see Trigger.isExecuting, and skips inactive triggers', async () => {
    const out = await debugOf(`insert new Contact(LastName = 'Zed');`, {
      classes: [
        {
          name: 'Handler',
          body:
            "public class Handler { public static void run() { System.debug('handler " +
            "' + Trigger.isExecuting + ' ' + Trigger.isAfter);" +
            ' } }',
        },
      ],
      triggers: [
        trig('ContactAfter', 'trigger ContactAfter on Contact (after insert) { Handler.run(); }'),
        trig('Off', "trigger Off on Contact (after insert) { System.debug('never'); }", 'Inactive'),
      ],
    });
    expect(out).toEqual(['handler true true']);
  });
});

describe('addError and failures', () => {
  const guard = trig(
    'NoBadNames',
    `trigger NoBadNames on Account (before insert, before update) {
      for (Account a : Trigger.new) {
        if (a.Name == 'Bad') a.addError('Bad names are not allowed');
        if (a.Name == 'Worse') a.Name.addError('Worse is worse');
      }
    }`,
  );

  it('fails the statement with Salesforce DmlException text and rolls back the other rows', async () => {
    const r = await run(
      `try {
        insert new List<Account>{ new Account(Name = 'Good'), new Account(Name = 'Bad') };
      } catch (DmlException e) {
        System.debug(e.getMessage());
        System.debug(e.getNumDml() + ' ' + e.getDmlMessage(0) + ' ' + e.getDmlIndex(0) + ' ' + e.getDmlType(0));
      }
      System.debug([SELECT COUNT() FROM Account]);`,
      { triggers: [guard] },
    );
    expect(r.success, r.exceptionMessage).toBe(true);
    expect(r.debug).toEqual([
      'Insert failed. First exception on row 1; first error: FIELD_CUSTOM_VALIDATION_EXCEPTION, Bad names are not allowed: []',
      '1 Bad names are not allowed 1 FIELD_CUSTOM_VALIDATION_EXCEPTION',
      '0',
    ]);
  });

  it('reports rows apart with allOrNone=false, field-level errors with their field', async () => {
    const out = await debugOf(
      `List<Database.SaveResult> rs = Database.insert(new List<Account>{ new Account(Name = 'Good'), new Account(Name = 'Worse'), new Account(Name = 'Bad') }, false);
      for (Database.SaveResult r : rs) {
        if (r.isSuccess()) System.debug('ok ' + (r.getId() != null));
        else System.debug(r.getErrors()[0].getStatusCode() + ' ' + r.getErrors()[0].getMessage() + ' ' + r.getErrors()[0].getFields());
      }
      System.debug([SELECT Name FROM Account].size());`,
      { triggers: [guard] },
    );
    expect(out).toEqual([
      'ok true',
      'FIELD_CUSTOM_VALIDATION_EXCEPTION Worse is worse (Name)',
      'FIELD_CUSTOM_VALIDATION_EXCEPTION Bad names are not allowed ()',
      '1',
    ]);
  });

  it('wraps an exception a trigger does not catch, and refuses writes to Trigger.new after the save', async () => {
    const r = await run(`insert new Account(Name = 'X');`, {
      triggers: [trig('Writer', "trigger Writer on Account (after insert) {\n  Trigger.new[0].Name = 'late';\n}")],
    });
    expect(r.success).toBe(false);
    expect(r.exceptionMessage).toBe(
      'System.DmlException: Insert failed. First exception on row 0; first error: CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY, Writer: execution of AfterInsert\n\ncaused by: System.FinalException: Record is read-only\n\nTrigger.Writer: line 2, column 3: []',
    );
  });
});

describe('recursion', () => {
  it('fires again for DML in a trigger, stops on a static guard, and fails past depth 16 without one', async () => {
    const chain = (guarded: boolean) =>
      trig(
        'Chain',
        `trigger Chain on Contact (after insert) {
          ${guarded ? 'if (Guard.done) return; Guard.done = true;' : ''}
          Guard.count++;
          insert new Contact(LastName = 'again');
        }`,
      );
    const guardClass = {
      name: 'Guard',
      body: 'public class Guard { public static Boolean done = false; public static Integer count = 0; }',
    };
    const ok = await debugOf(`insert new Contact(LastName = 'first'); System.debug(Guard.count + ' ' + [SELECT COUNT() FROM Contact]);`, {
      classes: [guardClass],
      triggers: [chain(true)],
    });
    expect(ok).toEqual(['1 2']);
    const deep = await run(`insert new Contact(LastName = 'first');`, { classes: [guardClass], triggers: [chain(false)] });
    expect(deep.success).toBe(false);
    expect(deep.exceptionMessage).toContain('maximum trigger depth exceeded');
  });
});

describe('DML relationships by external Id', () => {
  it('sets the foreign key from a parent named by an external Id, inserted earlier in the same statement', async () => {
    const out = await debugOf(`
      Contact c = new Contact(LastName = 'Kid');
      c.Account = new Account(AccountNumber = 'EXT-1');
      List<SObject> rows = new List<SObject>{ new Account(Name = 'Parent', AccountNumber = 'EXT-1'), c };
      insert rows;
      System.debug([SELECT Account.Name FROM Contact WHERE Id = :c.Id].Account.Name);
      Contact orphan = new Contact(LastName = 'Orphan');
      orphan.Account = new Account(AccountNumber = 'NOPE');
      Database.SaveResult r = Database.insert(orphan, false);
      System.debug(r.getErrors()[0].getStatusCode() + ': ' + r.getErrors()[0].getMessage());`);
    expect(out).toEqual(['Parent', 'INVALID_FIELD: Foreign key external ID: NOPE not found for field AccountNumber in entity Account']);
  });
});

describe('undelete and the recycle bin', () => {
  it('keeps deleted rows for ALL ROWS, brings them back, and refuses a row that is not deleted', async () => {
    const out = await debugOf(`
      Account a = new Account(Name = 'Bin');
      insert a;
      delete a;
      System.debug([SELECT COUNT() FROM Account] + ' ' + [SELECT IsDeleted FROM Account WHERE Id = :a.Id ALL ROWS].IsDeleted);
      Database.UndeleteResult ur = Database.undelete(a.Id);
      System.debug(ur.isSuccess() + ' ' + [SELECT IsDeleted FROM Account WHERE Id = :a.Id].IsDeleted);
      try {
        undelete a;
      } catch (DmlException e) {
        System.debug(e.getMessage().replace(a.Id, '<id>'));
      }`);
    expect(out).toEqual([
      '0 true',
      'true false',
      'Undelete failed. First exception on row 0 with id <id>; first error: UNDELETE_FAILED, Entity is not in the recycle bin: []',
    ]);
  });
});
