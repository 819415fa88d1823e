/**
 * Rows every Developer Edition org has beyond the running user's: the standard profiles code looks up
 * by name (`SELECT Id FROM Profile WHERE Name = 'Read Only'`) and the user licences behind them.
 * Names from Salesforce Help, "Standard Profiles" (https://help.salesforce.com/s/articleView?id=sf.standard_profiles.htm)
 * and "User Licenses" (https://help.salesforce.com/s/articleView?id=sf.users_license_types_available.htm).
 * The platform seeds them into every org it creates (local-platform/devhub/orgs.ts), the in-memory org of apex-test included.
 */
export const USER_LICENSES = [
  { Name: 'Salesforce', MasterLabel: 'Salesforce', LicenseDefinitionKey: 'SFDC', Status: 'Active', TotalLicenses: 2, UsedLicenses: 1 },
  {
    Name: 'Salesforce Platform',
    MasterLabel: 'Salesforce Platform',
    LicenseDefinitionKey: 'AUL',
    Status: 'Active',
    TotalLicenses: 3,
    UsedLicenses: 0,
  },
  {
    Name: 'Chatter Free',
    MasterLabel: 'Chatter Free',
    LicenseDefinitionKey: 'PID_Chatter',
    Status: 'Active',
    TotalLicenses: 5000,
    UsedLicenses: 0,
  },
  {
    Name: 'Chatter External',
    MasterLabel: 'Chatter External',
    LicenseDefinitionKey: 'PID_Chatter_External',
    Status: 'Active',
    TotalLicenses: 500,
    UsedLicenses: 0,
  },
];

/** Standard profiles besides the ones the platform grants permissions to (tools/data/access.ts), with their licence. */
export const MORE_STANDARD_PROFILES: { name: string; license: string }[] = [
  { name: 'Read Only', license: 'Salesforce' },
  { name: 'Marketing User', license: 'Salesforce' },
  { name: 'Contract Manager', license: 'Salesforce' },
  { name: 'Solution Manager', license: 'Salesforce' },
  { name: 'Standard Platform User', license: 'Salesforce Platform' },
  { name: 'Chatter Free User', license: 'Chatter Free' },
  { name: 'Chatter External User', license: 'Chatter External' },
  { name: 'Chatter Moderator User', license: 'Chatter Free' },
];

/** Every org with products has its standard price book (Test.getStandardPricebookId returns its Id in tests). */
export const STANDARD_PRICEBOOK = { Name: 'Standard Price Book', IsStandard: true, IsActive: true, Description: null };
