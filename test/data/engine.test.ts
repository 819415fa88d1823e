/**
 * The data engine (tools/data) on its own: behaviours the Apex tests' old in-memory host had and the
 * store gained when the two engines became one, and the engine's statement and Id lookups.
 */
import { describe, expect, it } from 'vitest';
import { fieldPermission, hasObjectAccess } from '../../tools/data/access.ts';
import { getRecord } from '../../tools/data/records.ts';
import { childRelationships, getObjectDef } from '../../tools/data/schema.ts';
import { statement } from '../../tools/data/statements.ts';
import { insertRecord, openMemoryDatabase, tx } from '../../tools/data/store.ts';
import { to15 } from '../../tools/data/ids.ts';
import { readField } from '../../tools/apex/projectObjects.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';

describe('permission-set rows', () => {
  it('ObjectPermissions and FieldPermissions rows grant what they say to the assignees, and nothing before the assignment', () => {
    const { db, org } = createMemoryOrg();
    const w = (sobject: string, fields: Record<string, unknown>) => tx(db, () => insertRecord(db, org.id, sobject, fields));
    const profile = db
      .prepare(
        "SELECT id FROM records WHERE org_id = ? AND sobject = 'Profile' AND json_extract(fields,'$.Name') = 'Minimum Access - Salesforce'",
      )
      .get(org.id) as { id: string };
    const user = w('User', {
      Username: 'rows@example.test',
      LastName: 'Rows',
      Email: 'rows@example.test',
      Alias: 'rows',
      ProfileId: profile.id,
      TimeZoneSidKey: 'GMT',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
    });
    const ps = w('PermissionSet', { Name: 'ReadContacts', Label: 'Read Contacts' });
    w('ObjectPermissions', {
      ParentId: ps,
      SobjectType: 'Contact',
      PermissionsRead: true,
      PermissionsCreate: false,
      PermissionsEdit: false,
      PermissionsDelete: false,
    });
    w('FieldPermissions', { ParentId: ps, SobjectType: 'Contact', Field: 'Contact.Email', PermissionsRead: true, PermissionsEdit: false });
    expect(hasObjectAccess(db, org.id, user, 'Contact', 'read')).toBe(false);
    w('PermissionSetAssignment', { AssigneeId: user, PermissionSetId: ps });
    expect(hasObjectAccess(db, org.id, user, 'Contact', 'read')).toBe(true);
    expect(hasObjectAccess(db, org.id, user, 'Contact', 'create')).toBe(false);
    expect(fieldPermission(db, org.id, user, 'Contact', 'Email')).toEqual({ read: true, edit: false });
    expect(fieldPermission(db, org.id, user, 'Contact', 'Phone')).toEqual({ read: false, edit: false });
  });
});

describe('deployed objects', () => {
  const project = createMemoryOrg({
    objects: [
      {
        name: 'Project__c',
        custom: true,
        labelPlural: 'Projects',
        fields: [
          { name: 'Name', type: 'string', autoNumber: true },
          readField(
            '<CustomField><fullName>Budget__c</fullName><label>Budget</label><type>Currency</type><precision>12</precision><scale>2</scale></CustomField>',
          ),
          readField(
            '<CustomField><fullName>Account__c</fullName><label>Account</label><type>MasterDetail</type><referenceTo>Account</referenceTo><relationshipName>Projects</relationshipName></CustomField>',
          ),
        ],
      },
      { name: 'Order_Placed__e', custom: true, fields: [{ name: 'Customer__c', type: 'string', required: true }] },
    ],
  });

  it("keep their metadata's describe attributes and master-detail cascade", () => {
    const def = getObjectDef(project.db, project.org.id, 'scratch', 'project__c')!;
    expect(def.describe).toMatchObject({ labelPlural: 'Projects' });
    expect(def.fields.find((f) => f.name === 'Budget__c')?.describe).toMatchObject({ label: 'Budget', precision: 12, scale: 2 });
    expect(def.fields.find((f) => f.name === 'Name')?.describe).toMatchObject({ autoNumber: true });
    const account = getObjectDef(project.db, project.org.id, 'scratch', 'Account')!;
    expect(childRelationships(project.db, project.org.id, 'scratch', account).find((c) => c.name === 'Projects__r')).toEqual({
      name: 'Projects__r',
      childSObject: 'Project__c',
      field: 'Account__c',
      cascadeDelete: true,
    });
  });

  it('a platform event has its replay id and uuid, and no Id, Name or owner', () => {
    const names = getObjectDef(project.db, project.org.id, 'scratch', 'Order_Placed__e')!.fields.map((f) => f.name);
    expect(names).toEqual(['ReplayId', 'EventUuid', 'CreatedDate', 'CreatedById', 'Customer__c']);
  });

  it("an org's objects are its own: another database on the same process does not see them", () => {
    expect(getObjectDef(createMemoryOrg().db, project.org.id, 'scratch', 'Project__c')).toBeUndefined();
  });
});

describe('engine', () => {
  it('finds a record by its 15- or 18-character Id', () => {
    const { db, org } = createMemoryOrg();
    const id = tx(db, () => insertRecord(db, org.id, 'Account', { Name: 'Acme' }));
    expect(getRecord(db, org.id, id)?.fields.Name).toBe('Acme');
    expect(getRecord(db, org.id, to15(id))?.id).toBe(id);
    expect(getRecord(db, 'another org', id)).toBeUndefined();
  });

  it('keeps one prepared statement per text and database', () => {
    const a = openMemoryDatabase();
    const b = openMemoryDatabase();
    expect(statement(a, 'SELECT 1')).toBe(statement(a, 'SELECT 1'));
    expect(statement(a, 'SELECT 1')).not.toBe(statement(b, 'SELECT 1'));
  });
});
