/**
 * Login and session objects (tools/data/sessionObjects.ts): NebulaLogger's selector reads the running
 * user's current AuthSession with LoginHistory parent fields; an unknown object failed the whole query.
 */
import { describe, expect, it } from 'vitest';
import { runSoql } from '../../tools/data/soql.ts';
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
