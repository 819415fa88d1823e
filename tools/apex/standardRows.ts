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

/** The standard opportunity stages with their default probability and forecast category. */
const OPPORTUNITY_STAGES: [string, number, string][] = [
  ['Prospecting', 10, 'Pipeline'],
  ['Qualification', 10, 'Pipeline'],
  ['Needs Analysis', 20, 'Pipeline'],
  ['Value Proposition', 50, 'Pipeline'],
  ['Id. Decision Makers', 60, 'Pipeline'],
  ['Perception Analysis', 70, 'Pipeline'],
  ['Proposal/Price Quote', 75, 'Pipeline'],
  ['Negotiation/Review', 90, 'Pipeline'],
  ['Closed Won', 100, 'Closed'],
  ['Closed Lost', 0, 'Omitted'],
];

const pickRows = (labels: string[], extra: (label: string, i: number) => Record<string, unknown> = () => ({})) =>
  labels.map((l, i) => ({ MasterLabel: l, ApiName: l, IsDefault: i === 0, SortOrder: i + 1, ...extra(l, i) }));

/**
 * Org configuration rows of a new org (tools/data/orgConfigObjects.ts): the default business hours, "24
 * hours a day, 7 days a week" until changed (Salesforce Help, "Set Business Hours":
 * https://help.salesforce.com/s/articleView?id=sf.customize_supporthours.htm; a 24-hour day is stored
 * with start and end both midnight), and the standard values of the status and stage picklists, with the
 * flags the SOAP API Object Reference lists for TaskStatus, TaskPriority, CaseStatus, LeadStatus and
 * OpportunityStage. The default value of each is the first (Salesforce's picklist defaults).
 */
export const ORG_CONFIG_ROWS: Record<string, Record<string, unknown>[]> = {
  BusinessHours: [
    {
      Name: 'Default',
      IsActive: true,
      IsDefault: true,
      TimeZoneSidKey: 'America/Los_Angeles',
      ...Object.fromEntries(
        ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'].flatMap((d) => [
          [`${d}StartTime`, '00:00:00.000Z'],
          [`${d}EndTime`, '00:00:00.000Z'],
        ]),
      ),
    },
  ],
  TaskStatus: pickRows(['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'], (l) => ({
    IsClosed: l === 'Completed',
  })),
  TaskPriority: pickRows(['Normal', 'High', 'Low'], (l) => ({ IsHighPriority: l === 'High' })),
  CaseStatus: pickRows(['New', 'Working', 'Escalated', 'Closed'], (l) => ({ IsClosed: l === 'Closed' })),
  LeadStatus: pickRows(['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'], (l) => ({
    IsConverted: l === 'Closed - Converted',
  })),
  OpportunityStage: pickRows(
    OPPORTUNITY_STAGES.map(([l]) => l),
    (l, i) => ({
      IsActive: true,
      IsClosed: l.startsWith('Closed'),
      IsWon: l === 'Closed Won',
      DefaultProbability: OPPORTUNITY_STAGES[i][1],
      ForecastCategory: OPPORTUNITY_STAGES[i][2],
      ForecastCategoryName: OPPORTUNITY_STAGES[i][2],
    }),
  ),
};
