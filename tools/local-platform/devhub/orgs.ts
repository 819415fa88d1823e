import type { DatabaseSync } from 'node:sqlite';
import { newId } from '../../data/ids.ts';
import { insertOrg, insertRecord, nowIso, tx, type StoredOrg, getOrg } from '../../data/store.ts';
import { ADMIN_PROFILE, API_ONLY_PROFILE, profilePermissionFields } from '../../data/access.ts';
import { API_INTEGRATION_PSL } from '../../data/licenses.ts';
import { MORE_STANDARD_PROFILES, ORG_CONFIG_ROWS, STANDARD_PRICEBOOK, USER_LICENSES } from '../../apex/standardRows.ts';

/**
 * Creating an org: its row, its Organization record, the standard profiles and its admin user.
 * Shared by the Dev Hub bootstrap and scratch org signup.
 */
export const STANDARD_PROFILES = [ADMIN_PROFILE, 'Standard User', 'Minimum Access - Salesforce', API_ONLY_PROFILE];

export interface NewOrg {
  name: string;
  kind: 'devhub' | 'scratch';
  port: number;
  edition: string;
  features?: string[];
  settings?: Record<string, unknown>;
  hubId?: string;
  expiresAt?: string;
  admin: { username: string; email: string; firstName?: string; lastName: string };
  country?: string;
  language?: string;
}

export function createOrg(db: DatabaseSync, spec: NewOrg): { org: StoredOrg; adminId: string } {
  return tx(db, () => {
    const id = newId('Organization');
    insertOrg(db, {
      id,
      name: spec.name,
      kind: spec.kind,
      port: spec.port,
      instanceUrl: `http://127.0.0.1:${spec.port}`,
      edition: spec.edition,
      features: spec.features ?? [],
      settings: spec.settings ?? {},
      hubId: spec.hubId,
      expiresAt: spec.expiresAt,
    });
    const profileIds: Record<string, string> = {};
    const licenseIds = Object.fromEntries(USER_LICENSES.map((l) => [l.Name, insertRecord(db, id, 'UserLicense', l, { trusted: true })]));
    for (const p of STANDARD_PROFILES)
      profileIds[p] = insertRecord(
        db,
        id,
        'Profile',
        { Name: p, UserType: 'Standard', UserLicenseId: licenseIds['Salesforce'], ...profilePermissionFields(p) },
        { trusted: true },
      );
    for (const p of MORE_STANDARD_PROFILES)
      insertRecord(db, id, 'Profile', { Name: p.name, UserType: 'Standard', UserLicenseId: licenseIds[p.license] }, { trusted: true });
    insertRecord(db, id, 'Pricebook2', STANDARD_PRICEBOOK, { trusted: true });
    for (const [sobject, rows] of Object.entries(ORG_CONFIG_ROWS))
      for (const r of rows) insertRecord(db, id, sobject, r, { trusted: true });
    seedPermissionSetLicenses(db, id);
    const adminId = insertRecord(
      db,
      id,
      'User',
      {
        Username: spec.admin.username,
        Email: spec.admin.email,
        FirstName: spec.admin.firstName ?? null,
        LastName: spec.admin.lastName,
        Alias: spec.admin.lastName.slice(0, 8).toLowerCase(),
        IsActive: true,
        ProfileId: profileIds[ADMIN_PROFILE],
        TimeZoneSidKey: 'America/Los_Angeles',
        LocaleSidKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        LanguageLocaleKey: spec.language ?? 'en_US',
        UserType: 'Standard',
      },
      { trusted: true },
    );
    // Every record has a creator: the rows seeded before the admin user existed (profiles, licences, the user) take the admin.
    db.prepare(
      "UPDATE records SET fields = json_set(fields, '$.CreatedById', ?, '$.LastModifiedById', ?) WHERE org_id = ? AND json_extract(fields, '$.CreatedDate') IS NOT NULL AND json_extract(fields, '$.CreatedById') IS NULL",
    ).run(adminId, adminId, id);
    insertRecord(
      db,
      id,
      'Organization',
      {
        Id: id,
        Name: spec.name,
        OrganizationType:
          spec.kind === 'devhub' ? 'Developer Edition' : `${spec.edition} Edition`.replace(/^Developer Edition$/, 'Developer Edition'),
        InstanceName: 'LOCAL0',
        IsSandbox: spec.kind === 'scratch',
        TrialExpirationDate: spec.kind === 'scratch' ? (spec.expiresAt ?? null) : null,
        NamespacePrefix: null,
        Country: spec.country ?? 'US',
        LanguageLocaleKey: spec.language ?? 'en_US',
        TimeZoneSidKey: 'America/Los_Angeles',
        DefaultLocaleSidKey: 'en_US',
        IsReadOnly: false,
        // the default fiscal year is the calendar year (Salesforce Help, "Standard Fiscal Years")
        FiscalYearStartMonth: 1,
        UsesStartDateAsFiscalYearName: false,
        CreatedDate: nowIso(),
      },
      { trusted: true, userId: adminId },
    );
    return { org: getOrg(db, id)!, adminId };
  });
}

/** Id of a profile by name in an org. */
export function profileId(db: DatabaseSync, orgId: string, name: string): string | undefined {
  const r = db
    .prepare("SELECT id FROM records WHERE org_id = ? AND sobject = 'Profile' AND json_extract(fields,'$.Name') = ?")
    .get(orgId, name) as { id: string } | undefined;
  return r?.id;
}

/** The licenses every org gets; Developer Edition orgs come with five Salesforce Integration users. */
export function seedPermissionSetLicenses(db: DatabaseSync, orgId: string): void {
  insertRecord(
    db,
    orgId,
    'PermissionSetLicense',
    {
      DeveloperName: API_INTEGRATION_PSL,
      MasterLabel: 'Salesforce API Integration',
      Status: 'Active',
      TotalLicenses: 5,
      UsedLicenses: 0,
      ExpirationDate: null,
    },
    { trusted: true },
  );
}
