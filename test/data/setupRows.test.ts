/**
 * Login and session objects (tools/data/sessionObjects.ts): NebulaLogger's selector reads the running
 * user's current AuthSession with LoginHistory parent fields; an unknown object failed the whole query.
 * Beside them, PermissionSet.PermissionSetGroupId, which rflib's permission explorer reads.
 */
import { describe, expect, it } from 'vitest';
import { runSoql } from '../../tools/data/soql.ts';
import { insertRecord, tx } from '../../tools/data/store.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';

describe('AuthSession and LoginHistory', () => {
  it('answers a query of the current session with its login-history fields (no rows here), and refuses a field the object lacks', () => {
    const { db, org } = createMemoryOrg();
    const soql =
      'SELECT Id, LoginType, LoginHistoryId, LoginHistory.Application, LoginHistory.Browser, LoginHistory.Platform, ' +
      'LoginHistory.UserId, LogoutUrl, ParentId, SessionSecurityLevel, SessionType, SourceIp, UsersId ' +
      'FROM AuthSession WHERE IsCurrent = TRUE ORDER BY ParentId NULLS FIRST';
    expect(runSoql(db, org.id, soql).records).toEqual([]);
    expect(runSoql(db, org.id, 'SELECT Id, LoginTime, Status FROM LoginHistory').totalSize).toBe(0);
    expect(() => runSoql(db, org.id, 'SELECT Id, Bogus FROM AuthSession')).toThrow(/No such column 'Bogus' on entity 'AuthSession'/);
  });
});

describe('PermissionSet.PermissionSetGroupId', () => {
  it('is a field of PermissionSet (null for a set no group owns), readable through SetupEntityAccess.Parent', () => {
    const { db, org } = createMemoryOrg();
    tx(db, () => insertRecord(db, org.id, 'PermissionSet', { Name: 'Ungrouped', Label: 'Ungrouped' }));
    const sets = runSoql(
      db,
      org.id,
      "SELECT Id, PermissionSetGroupId FROM PermissionSet WHERE PermissionSetGroupId = null AND Name = 'Ungrouped'",
    );
    expect(sets.totalSize).toBe(1);
    expect(sets.records[0].PermissionSetGroupId ?? null).toBeNull();
    expect(() =>
      runSoql(db, org.id, 'SELECT Parent.PermissionSetGroupId FROM SetupEntityAccess WHERE Parent.PermissionSetGroupId != null'),
    ).not.toThrow();
  });
});
