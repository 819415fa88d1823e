import type { DatabaseSync } from 'node:sqlite';
import { ApiError } from './errors.ts';
import { SETUP_OBJECTS } from './setupObjects.ts';

/**
 * Field definitions of the sObjects this platform serves. Standard objects are fixed here; custom
 * objects and custom metadata types are registered at run time (by the Metadata API module, or
 * inferred when a record of an unknown `__c`/`__mdt` type is written through the RecordStore).
 * SOQL and DML validate names against these, case-insensitively, as Salesforce does.
 */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist';

export interface FieldDef {
  name: string;
  type: FieldType;
  referenceTo?: string;
  relationshipName?: string;
  /** Lookups: the parent's name for the list of children (`Contacts`, `Things__r`). */
  childRelationshipName?: string;
  /** Set by the platform only (Id, CreatedDate, …). */
  system?: boolean;
  required?: boolean;
  /** Standard picklist values in their default order (describe's picklistValues). */
  picklistValues?: string[];
  autoNumber?: boolean;
  /** Text length when it differs from the type's (see maxLength). */
  length?: number;
  /**
   * Describe attributes deployed metadata gives and the store does not check (label, precision, scale,
   * picklist entries with labels, master-detail, auto-number, help text): describe shows them as given.
   */
  describe?: Record<string, unknown>;
}

/**
 * A text field's maximum length: its own, else its type's. Phone 40 and Email 80 as Salesforce's
 * standard fields have them; text, picklist and URL 255; a (long) text area 32,000 (SOAP API Object
 * Reference, e.g. Account: AccountNumber 40, BillingCity 40, Name 255, Description 32,000).
 */
export function maxLength(fd: FieldDef): number | undefined {
  if (fd.length !== undefined) return fd.length;
  return ({ string: 255, picklist: 255, email: 80, phone: 40, url: 255, textarea: 32_000 } as Record<string, number>)[fd.type];
}

export interface ObjectDef {
  name: string;
  label: string;
  fields: FieldDef[];
  /** Dev Hub only objects (ScratchOrgInfo, ActiveScratchOrg). */
  devHubOnly?: boolean;
  /** Accepts fields not listed (ScratchOrgInfo takes any definition-file option). */
  open?: boolean;
  custom?: boolean;
  /** Describe attributes of a deployed object (labelPlural, …), as for FieldDef.describe. */
  describe?: Record<string, unknown>;
}

const sys = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type, system: true, ...extra });
const f = (name: string, type: FieldType = 'string', extra: Partial<FieldDef> = {}): FieldDef => ({ name, type, ...extra });
const ref = (name: string, to: string, rel: string, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type: 'reference',
  referenceTo: to,
  relationshipName: rel,
  ...extra,
});

const pick = (name: string, values: string[]): FieldDef => ({ name, type: 'picklist', picklistValues: values });
const len = (length: number): Partial<FieldDef> => ({ length });
const address = (prefix: string): FieldDef[] => [
  f(prefix + 'Street', 'textarea', len(255)),
  f(prefix + 'City', 'string', len(40)),
  f(prefix + 'State', 'string', len(80)),
  f(prefix + 'PostalCode', 'string', len(20)),
  f(prefix + 'Country', 'string', len(80)),
  f(prefix + 'Latitude', 'double'),
  f(prefix + 'Longitude', 'double'),
];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const ACCOUNT_TYPES = [
  'Prospect',
  'Customer - Direct',
  'Customer - Channel',
  'Channel Partner / Reseller',
  'Installation Partner',
  'Technology Partner',
  'Other',
];
const INDUSTRIES = (
  'Agriculture,Apparel,Banking,Biotechnology,Chemicals,Communications,Construction,Consulting,Education,Electronics,Energy,Engineering,' +
  'Entertainment,Environmental,Finance,Food & Beverage,Government,Healthcare,Hospitality,Insurance,Machinery,Manufacturing,Media,' +
  'Not For Profit,Recreation,Retail,Shipping,Technology,Telecommunications,Transportation,Utilities,Other'
).split(',');
const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];

const audit = (): FieldDef[] => [
  sys('Id', 'id'),
  sys('IsDeleted', 'boolean'),
  sys('CreatedDate', 'datetime'),
  ref('CreatedById', 'User', 'CreatedBy', { system: true }),
  sys('LastModifiedDate', 'datetime'),
  ref('LastModifiedById', 'User', 'LastModifiedBy', { system: true }),
  sys('SystemModstamp', 'datetime'),
];

export const STANDARD_OBJECTS: ObjectDef[] = [
  {
    name: 'Account',
    label: 'Account',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true }),
      pick('Type', ACCOUNT_TYPES),
      pick('Industry', INDUSTRIES),
      f('Phone', 'phone'),
      f('Fax', 'phone'),
      f('Website', 'url'),
      f('AccountNumber', 'string', len(40)),
      f('Site', 'string', len(80)),
      f('TickerSymbol', 'string', len(20)),
      pick('Ownership', ['Public', 'Private', 'Subsidiary', 'Other']),
      f('Sic', 'string', len(20)),
      f('SicDesc', 'string', len(80)),
      pick('AccountSource', LEAD_SOURCES),
      f('YearStarted', 'string', len(4)),
      f('NaicsCode', 'string', len(8)),
      f('NaicsDesc', 'string', len(120)),
      f('DunsNumber', 'string', len(9)),
      f('Tradestyle', 'string', len(255)),
      sys('LastActivityDate', 'date'),
      ...address('Billing'),
      ...address('Shipping'),
      f('NumberOfEmployees', 'int'),
      f('AnnualRevenue', 'currency'),
      f('Description', 'textarea'),
      pick('Rating', ['Hot', 'Warm', 'Cold']),
      ref('ParentId', 'Account', 'Parent'),
      ref('OwnerId', 'User', 'Owner'),
    ],
  },
  {
    name: 'Contact',
    label: 'Contact',
    fields: [
      ...audit(),
      pick('Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
      f('FirstName', 'string', len(40)),
      f('LastName', 'string', { required: true, length: 80 }),
      sys('Name', 'string', len(121)),
      f('Email', 'email'),
      f('Phone', 'phone'),
      f('MobilePhone', 'phone'),
      f('HomePhone', 'phone'),
      f('Fax', 'phone'),
      f('Title', 'string', len(128)),
      f('Department', 'string', len(80)),
      f('Birthdate', 'date'),
      pick('LeadSource', LEAD_SOURCES),
      ...address('Mailing'),
      f('Description', 'textarea'),
      f('HasOptedOutOfEmail', 'boolean'),
      f('DoNotCall', 'boolean'),
      ref('AccountId', 'Account', 'Account'),
      ref('ReportsToId', 'Contact', 'ReportsTo'),
      ref('OwnerId', 'User', 'Owner'),
    ],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true, length: 120 }),
      ref('AccountId', 'Account', 'Account'),
      f('StageName', 'picklist', { required: true, picklistValues: OPPORTUNITY_STAGES }),
      f('CloseDate', 'date', { required: true }),
      f('Amount', 'currency'),
      f('Probability', 'double'),
      pick('Type', ['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade', 'New Customer']),
      pick('LeadSource', LEAD_SOURCES),
      f('NextStep'),
      f('Description', 'textarea'),
      sys('IsClosed', 'boolean'),
      sys('IsWon', 'boolean'),
      pick('ForecastCategoryName', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed']),
      ref('CampaignId', 'Campaign', 'Campaign'),
      ref('ContactId', 'Contact', 'Contact'),
      ref('OwnerId', 'User', 'Owner'),
      f('IsPrivate', 'boolean'),
    ],
  },
  {
    name: 'Lead',
    label: 'Lead',
    fields: [
      ...audit(),
      pick('Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
      f('FirstName', 'string', len(40)),
      f('LastName', 'string', { required: true, length: 80 }),
      sys('Name', 'string', len(121)),
      f('Company', 'string', { required: true }),
      f('Title', 'string', len(128)),
      f('Email', 'email'),
      f('Phone', 'phone'),
      f('MobilePhone', 'phone'),
      f('Website', 'url'),
      pick('LeadSource', LEAD_SOURCES),
      pick('Industry', INDUSTRIES),
      pick('Rating', ['Hot', 'Warm', 'Cold']),
      f('Status', 'picklist', {
        picklistValues: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
      }),
      ...address(''),
      f('NumberOfEmployees', 'int'),
      f('AnnualRevenue', 'currency'),
      f('Description', 'textarea'),
      sys('IsConverted', 'boolean'),
      ref('ConvertedAccountId', 'Account', 'ConvertedAccount', { system: true }),
      ref('ConvertedContactId', 'Contact', 'ConvertedContact', { system: true }),
      ref('ConvertedOpportunityId', 'Opportunity', 'ConvertedOpportunity', { system: true }),
      ref('OwnerId', 'User', 'Owner'),
    ],
  },
  {
    name: 'Case',
    label: 'Case',
    fields: [
      ...audit(),
      sys('CaseNumber', 'string', { autoNumber: true }),
      f('Subject'),
      f('Description', 'textarea'),
      pick('Status', ['New', 'Working', 'Escalated', 'Closed']),
      pick('Priority', ['High', 'Medium', 'Low']),
      pick('Origin', ['Phone', 'Email', 'Web']),
      pick('Type', ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other']),
      pick('Reason', ['Installation', 'Equipment Complexity', 'Performance', 'Breakdown', 'Equipment Design', 'Feedback', 'Other']),
      f('SuppliedName', 'string', len(80)),
      f('SuppliedEmail', 'email'),
      f('SuppliedPhone', 'phone'),
      sys('IsClosed', 'boolean'),
      f('IsEscalated', 'boolean'),
      sys('ClosedDate', 'datetime'),
      ref('AccountId', 'Account', 'Account'),
      ref('ContactId', 'Contact', 'Contact'),
      ref('ParentId', 'Case', 'Parent'),
      ref('OwnerId', 'User', 'Owner'),
    ],
  },
  {
    name: 'Campaign',
    label: 'Campaign',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true, length: 80 }),
      pick('Type', [
        'Conference',
        'Webinar',
        'Trade Show',
        'Public Relations',
        'Partners',
        'Referral Program',
        'Advertisement',
        'Banner Ads',
        'Direct Mail',
        'Email',
        'Telemarketing',
        'Other',
      ]),
      pick('Status', ['Planned', 'In Progress', 'Completed', 'Aborted']),
      f('StartDate', 'date'),
      f('EndDate', 'date'),
      f('BudgetedCost', 'currency'),
      f('ActualCost', 'currency'),
      f('ExpectedRevenue', 'currency'),
      f('ExpectedResponse', 'double'),
      f('NumberSent', 'double'),
      f('IsActive', 'boolean'),
      f('Description', 'textarea'),
      ref('ParentId', 'Campaign', 'Parent'),
      ref('OwnerId', 'User', 'Owner'),
    ],
  },
  {
    name: 'Task',
    label: 'Task',
    fields: [
      ...audit(),
      f('Subject', 'string'),
      f('Status', 'picklist', { picklistValues: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'] }),
      pick('Priority', ['High', 'Normal', 'Low']),
      f('ActivityDate', 'date'),
      f('Description', 'textarea'),
      sys('IsClosed', 'boolean'),
      pick('Type', ['Call', 'Email', 'Meeting', 'Other']),
      ref('WhoId', 'Contact', 'Who'),
      ref('WhatId', 'Account', 'What'),
      ref('OwnerId', 'User', 'Owner'),
      f('CallDurationInSeconds', 'int'),
      pick('CallType', ['Internal', 'Inbound', 'Outbound']),
      f('CallDisposition', 'string'),
      f('CallObject', 'string'),
    ],
  },
  {
    name: 'User',
    label: 'User',
    fields: [
      ...audit(),
      f('Username', 'string', { required: true, length: 80 }),
      f('FirstName', 'string', len(40)),
      f('LastName', 'string', { required: true, length: 80 }),
      sys('Name', 'string', len(121)),
      f('Email', 'email', { required: true, length: 128 }),
      f('Alias', 'string', len(8)),
      f('CommunityNickname', 'string', len(40)),
      f('IsActive', 'boolean'),
      ref('ProfileId', 'Profile', 'Profile', { required: true }),
      f('TimeZoneSidKey', 'picklist'),
      f('LocaleSidKey', 'picklist'),
      f('EmailEncodingKey', 'picklist'),
      f('LanguageLocaleKey', 'picklist'),
      f('UserType', 'picklist'),
      f('Title', 'string', len(80)),
      f('Department', 'string', len(80)),
      ref('ManagerId', 'User', 'Manager'),
      ref('UserRoleId', 'UserRole', 'UserRole'),
      sys('LastLoginDate', 'datetime'),
    ],
  },
  {
    name: 'Profile',
    label: 'Profile',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true }),
      f('Description', 'textarea'),
      f('UserType', 'picklist'),
      ref('UserLicenseId', 'UserLicense', 'UserLicense'),
    ],
  },
  {
    name: 'PermissionSet',
    label: 'Permission Set',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true, length: 80 }),
      f('Label', 'string', { required: true, length: 80 }),
      f('Description', 'textarea', len(255)),
      f('NamespacePrefix'),
      f('IsOwnedByProfile', 'boolean'),
      ref('ProfileId', 'Profile', 'Profile'),
      f('Type', 'picklist'),
      f('IsCustom', 'boolean'),
    ],
  },
  {
    name: 'PermissionSetAssignment',
    label: 'Permission Set Assignment',
    fields: [
      sys('Id', 'id'),
      sys('SystemModstamp', 'datetime'),
      sys('IsDeleted', 'boolean'),
      ref('AssigneeId', 'User', 'Assignee', { required: true }),
      ref('PermissionSetId', 'PermissionSet', 'PermissionSet', { required: true }),
      ref('PermissionSetGroupId', 'PermissionSet', 'PermissionSetGroup'),
      f('IsActive', 'boolean'),
    ],
  },
  {
    name: 'PermissionSetLicense',
    label: 'Permission Set License',
    fields: [
      ...audit(),
      f('DeveloperName', 'string', { required: true }),
      f('MasterLabel', 'string', { required: true }),
      f('Status', 'picklist'),
      f('TotalLicenses', 'int'),
      f('UsedLicenses', 'int'),
      f('ExpirationDate', 'date'),
      f('PermissionSetLicenseKey'),
    ],
  },
  {
    name: 'PermissionSetLicenseAssign',
    label: 'Permission Set License Assignment',
    fields: [
      ...audit(),
      ref('AssigneeId', 'User', 'Assignee', { required: true }),
      ref('PermissionSetLicenseId', 'PermissionSetLicense', 'PermissionSetLicense', { required: true }),
    ],
  },
  {
    // One per user, made with it: IsFrozen stops the user signing in without deactivating it (Object Reference, UserLogin).
    name: 'UserLogin',
    label: 'User Login',
    fields: [
      sys('Id', 'id'),
      sys('LastModifiedDate', 'datetime'),
      sys('LastModifiedById', 'reference'),
      sys('SystemModstamp', 'datetime'),
      sys('IsDeleted', 'boolean'),
      ref('UserId', 'User', 'User', { system: true }),
      f('IsFrozen', 'boolean'),
      f('IsPasswordLocked', 'boolean'),
    ],
  },
  {
    name: 'CaseComment',
    label: 'Case Comment',
    fields: [...audit(), ref('ParentId', 'Case', 'Parent', { required: true }), f('CommentBody', 'textarea'), f('IsPublished', 'boolean')],
  },
  {
    name: 'ObjectPermissions',
    label: 'Object Permissions',
    fields: [
      ...audit(),
      ref('ParentId', 'PermissionSet', 'Parent', { required: true }),
      f('SobjectType', 'picklist', { required: true }),
      f('PermissionsCreate', 'boolean'),
      f('PermissionsRead', 'boolean'),
      f('PermissionsEdit', 'boolean'),
      f('PermissionsDelete', 'boolean'),
      f('PermissionsViewAllRecords', 'boolean'),
      f('PermissionsModifyAllRecords', 'boolean'),
    ],
  },
  {
    name: 'FieldPermissions',
    label: 'Field Permissions',
    fields: [
      ...audit(),
      ref('ParentId', 'PermissionSet', 'Parent', { required: true }),
      f('SobjectType', 'picklist', { required: true }),
      f('Field', 'picklist', { required: true }),
      f('PermissionsRead', 'boolean'),
      f('PermissionsEdit', 'boolean'),
    ],
  },
  {
    name: 'Product2',
    label: 'Product',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true }),
      f('ProductCode'),
      f('Description', 'textarea'),
      f('IsActive', 'boolean'),
      pick('Family', ['None']),
      f('StockKeepingUnit'),
      f('QuantityUnitOfMeasure', 'picklist'),
      f('ExternalId'),
      f('DisplayUrl', 'url'),
      f('IsArchived', 'boolean', { system: true }),
    ],
  },
  {
    name: 'Pricebook2',
    label: 'Price Book',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true }),
      f('Description', 'textarea'),
      f('IsActive', 'boolean'),
      sys('IsStandard', 'boolean'),
      f('IsArchived', 'boolean', { system: true }),
    ],
  },
  {
    name: 'PricebookEntry',
    label: 'Price Book Entry',
    fields: [
      ...audit(),
      sys('Name', 'string'),
      ref('Pricebook2Id', 'Pricebook2', 'Pricebook2', { required: true }),
      ref('Product2Id', 'Product2', 'Product2', { required: true }),
      f('UnitPrice', 'currency', { required: true }),
      f('IsActive', 'boolean'),
      f('UseStandardPrice', 'boolean'),
      sys('ProductCode', 'string'),
      f('IsArchived', 'boolean', { system: true }),
    ],
  },
  {
    name: 'OpportunityLineItem',
    label: 'Opportunity Product',
    fields: [
      ...audit(),
      sys('Name', 'string'),
      ref('OpportunityId', 'Opportunity', 'Opportunity', { required: true }),
      ref('PricebookEntryId', 'PricebookEntry', 'PricebookEntry'),
      ref('Product2Id', 'Product2', 'Product2'),
      f('Quantity', 'double', { required: true }),
      f('UnitPrice', 'currency'),
      f('TotalPrice', 'currency'),
      sys('ListPrice', 'currency'),
      f('Discount', 'double'),
      f('ServiceDate', 'date'),
      f('Description', 'textarea'),
      sys('ProductCode', 'string'),
      f('SortOrder', 'int'),
    ],
  },
  {
    name: 'Organization',
    label: 'Organization',
    fields: [
      ...audit(),
      f('Name'),
      f('OrganizationType', 'picklist'),
      f('InstanceName'),
      f('IsSandbox', 'boolean'),
      f('TrialExpirationDate', 'datetime'),
      f('NamespacePrefix'),
      f('Country'),
      f('LanguageLocaleKey', 'picklist'),
      f('TimeZoneSidKey', 'picklist'),
      f('DefaultLocaleSidKey', 'picklist'),
      f('IsReadOnly', 'boolean'),
    ],
  },
  {
    name: 'ApexClass',
    label: 'Apex Class',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true }),
      f('Body', 'textarea'),
      f('ApiVersion', 'double'),
      f('Status', 'picklist'),
      f('IsValid', 'boolean'),
      f('LengthWithoutComments', 'int'),
      f('NamespacePrefix'),
    ],
  },
  {
    name: 'ApexTrigger',
    label: 'Apex Trigger',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true }),
      f('Body', 'textarea'),
      f('TableEnumOrId', 'picklist'),
      f('ApiVersion', 'double'),
      f('Status', 'picklist'),
      f('IsValid', 'boolean'),
      f('LengthWithoutComments', 'int'),
      f('NamespacePrefix'),
      f('UsageBeforeInsert', 'boolean'),
      f('UsageAfterInsert', 'boolean'),
      f('UsageBeforeUpdate', 'boolean'),
      f('UsageAfterUpdate', 'boolean'),
      f('UsageBeforeDelete', 'boolean'),
      f('UsageAfterDelete', 'boolean'),
      f('UsageAfterUndelete', 'boolean'),
      f('UsageIsBulk', 'boolean'),
    ],
  },
  {
    name: 'ScratchOrgInfo',
    label: 'Scratch Org Info',
    devHubOnly: true,
    open: true,
    fields: [
      ...audit(),
      f('OrgName'),
      f('Edition', 'picklist', { required: true }),
      f('Status', 'picklist'),
      f('ErrorCode'),
      f('ScratchOrg'),
      f('SignupUsername'),
      f('Username'),
      f('LoginUrl', 'url'),
      f('AuthCode'),
      f('SignupInstance'),
      f('ConnectedAppConsumerKey'),
      f('ConnectedAppCallbackUrl', 'url'),
      f('Features', 'textarea'),
      f('DurationDays', 'int'),
      f('ExpirationDate', 'date'),
      f('AdminEmail', 'email'),
      f('SignupEmail', 'email'),
      f('Description', 'textarea'),
      f('Country'),
      f('Language'),
      f('HasSampleData', 'boolean'),
      f('Release'),
      f('Namespace'),
      f('Snapshot'),
      f('SourceOrg'),
      f('Package2AncestorIds', 'textarea'),
      ref('OwnerId', 'User', 'Owner'),
    ],
  },
  {
    name: 'ActiveScratchOrg',
    label: 'Active Scratch Org',
    devHubOnly: true,
    fields: [
      ...audit(),
      f('Name'),
      f('ScratchOrg'),
      f('SignupUsername'),
      f('Edition', 'picklist'),
      f('ExpirationDate', 'date'),
      f('OrgName'),
      f('Description', 'textarea'),
      ref('ScratchOrgInfoId', 'ScratchOrgInfo', 'ScratchOrgInfo'),
      f('Namespace'),
      f('Features', 'textarea'),
      ref('OwnerId', 'User', 'Owner'),
    ],
  },
  ...SETUP_OBJECTS,
];

const STANDARD = new Map(STANDARD_OBJECTS.map((o) => [o.name.toLowerCase(), o]));

/** What an object or field name may look like anywhere it is used (SQL JSON paths, SOQL). */
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Deployed CustomObject definitions (the Metadata module's getCustomObject), set by the server. */
type CustomObjectSource = (
  db: DatabaseSync,
  orgId: string,
  name: string,
) =>
  | {
      name: string;
      label?: string;
      customSettingsType?: string;
      describe?: Record<string, unknown>;
      fields: {
        name: string;
        type?: string;
        length?: number;
        referenceTo?: string;
        relationshipName?: string;
        required?: boolean;
        describe?: Record<string, unknown>;
      }[];
    }
  | undefined;
let customObjects: CustomObjectSource | undefined;
/** An in-memory org's own source (its project's objects), beside the server's one for its file. */
const customObjectsOf = new WeakMap<DatabaseSync, CustomObjectSource>();
export function setCustomObjectSource(source: CustomObjectSource | undefined, db?: DatabaseSync): void {
  if (!db) customObjects = source;
  else if (source) customObjectsOf.set(db, source);
  else customObjectsOf.delete(db);
}

const METADATA_TYPES: Record<string, FieldType> = {
  checkbox: 'boolean',
  number: 'double',
  percent: 'double',
  currency: 'currency',
  date: 'date',
  datetime: 'datetime',
  email: 'email',
  phone: 'phone',
  url: 'url',
  picklist: 'picklist',
  lookup: 'reference',
  masterdetail: 'reference',
  textarea: 'textarea',
  longtextarea: 'textarea',
  metadatarelationship: 'string',
  text: 'string',
};

/** A deployed custom field's length: its own (Text, LongTextArea), else what its metadata type fixes (TextArea 255). */
function deployedLength(type: string, length: number | undefined): number | undefined {
  const t = type.toLowerCase();
  if (t === 'text' || t === 'longtextarea' || t === 'html') return length ?? (t === 'text' ? 255 : 32_768);
  return t === 'textarea' ? 255 : undefined;
}

function deployedFields(
  db: DatabaseSync,
  orgId: string,
  name: string,
): { label?: string; apiName: string; customSettingsType?: string; describe?: Record<string, unknown>; fields: FieldDef[] } | undefined {
  const d = (customObjectsOf.get(db) ?? customObjects)?.(db, orgId, name);
  if (!d) return undefined;
  return {
    label: d.label,
    customSettingsType: d.customSettingsType,
    describe: d.describe,
    apiName: d.name,
    // A name Salesforce would refuse (deployed before names were checked) is left out, never handed to SQL.
    fields: d.fields
      .filter((x) => x.name && IDENTIFIER.test(x.name))
      .map((x) => {
        const type = METADATA_TYPES[(x.type ?? 'text').toLowerCase()] ?? 'string';
        const length = deployedLength(x.type ?? 'text', x.length);
        const describe = x.describe ? { describe: x.describe } : {};
        if (type !== 'reference' || !x.referenceTo) return f(x.name, type, length === undefined ? describe : { length, ...describe });
        return ref(
          x.name,
          x.referenceTo,
          x.name.replace(/__c$/, '__r'),
          x.relationshipName ? { childRelationshipName: `${x.relationshipName}__r`, ...describe } : describe,
        );
      }),
  };
}

/** The object definition visible in an org (standard + deployed/registered custom), or undefined. */
export function getObjectDef(db: DatabaseSync, orgId: string, kind: 'devhub' | 'scratch', name: string): ObjectDef | undefined {
  const std = STANDARD.get(name.toLowerCase());
  if (std) {
    if (std.devHubOnly && kind !== 'devhub') return undefined;
    // Custom fields deployed on a standard object (Account.Foo__c) join its standard fields.
    const extra = deployedFields(db, orgId, std.name)?.fields.filter((x) => x.name.endsWith('__c') && !findField(std, x.name)) ?? [];
    return extra.length ? { ...std, fields: [...std.fields, ...extra] } : std;
  }
  const rows = db
    .prepare('SELECT sobject, name, type, reference_to FROM sobject_fields WHERE org_id = ? AND lower(sobject) = lower(?) ORDER BY rowid')
    .all(orgId, name) as { sobject: string; name: string; type: FieldType; reference_to: string | null }[];
  const deployed = /__(c|mdt|e)$/i.test(name) ? deployedFields(db, orgId, name) : undefined;
  if (rows.length === 0 && !deployed) return undefined;
  const apiName = deployed?.apiName ?? rows[0].sobject;
  // A platform event has no Id, owner or modification stamps: its replay id, uuid and creation (Platform Events Developer Guide).
  const fields: FieldDef[] = apiName.endsWith('__e')
    ? [
        sys('ReplayId', 'string'),
        sys('EventUuid', 'string'),
        sys('CreatedDate', 'datetime'),
        ref('CreatedById', 'User', 'CreatedBy', { system: true }),
      ]
    : [...audit()];
  if (apiName.endsWith('__mdt')) {
    for (const n of ['DeveloperName', 'MasterLabel', 'Label', 'QualifiedApiName', 'NamespacePrefix', 'Language']) fields.push(f(n));
  } else if (deployed?.customSettingsType) {
    // custom settings have no owner; a hierarchy setting's row belongs to the org, a profile or a user (as projectObjects.ts reads them for apex-test)
    fields.push(f('Name', 'string', len(38)));
    if (deployed.customSettingsType === 'Hierarchy') fields.push(f('SetupOwnerId', 'reference', { referenceTo: 'User' }));
  } else if (!apiName.endsWith('__e')) fields.push(f('Name', 'string', len(80)), ref('OwnerId', 'User', 'Owner'));
  for (const d of deployed?.fields ?? []) {
    const base = fields.findIndex((x) => x.name.toLowerCase() === d.name.toLowerCase());
    if (base < 0) fields.push(d);
    else if (d.describe) fields[base] = { ...fields[base], describe: d.describe }; // an auto-number Name, a label of its own
  }
  for (const r of rows) {
    if (fields.some((x) => x.name.toLowerCase() === r.name.toLowerCase())) continue;
    fields.push(r.reference_to ? ref(r.name, r.reference_to, r.name.replace(/__c$/, '__r')) : f(r.name, r.type));
  }
  return {
    name: apiName,
    label: deployed?.label ?? apiName.replace(/__(c|mdt)$/, '').replace(/_/g, ' '),
    fields,
    custom: true,
    ...(deployed?.describe ? { describe: deployed.describe } : {}),
  };
}

/** Lists every object an org can use (global describe). */
export function listObjects(db: DatabaseSync, orgId: string, kind: 'devhub' | 'scratch'): ObjectDef[] {
  const custom = db.prepare('SELECT DISTINCT sobject FROM sobject_fields WHERE org_id = ?').all(orgId) as { sobject: string }[];
  return [
    ...STANDARD_OBJECTS.filter((o) => !o.devHubOnly || kind === 'devhub'),
    ...custom.map((c) => getObjectDef(db, orgId, kind, c.sobject)!).filter(Boolean),
  ];
}

/**
 * Registers (or extends) a custom object or custom metadata type. Idempotent: re-registering a
 * field updates its type. Custom metadata types always get Label, DeveloperName, MasterLabel,
 * QualifiedApiName, NamespacePrefix, Language as Salesforce does.
 */
export function registerObject(
  db: DatabaseSync,
  orgId: string,
  sobject: string,
  fields: { name: string; type?: FieldType; referenceTo?: string }[],
): void {
  const bad = [sobject, ...fields.map((x) => x.name)].find((n) => !IDENTIFIER.test(n));
  if (bad !== undefined)
    throw new ApiError(
      400,
      'INVALID_FIELD',
      `Invalid name ${JSON.stringify(bad)}: letters, digits and underscores only, starting with a letter.`,
    );
  const all = [...fields];
  if (sobject.endsWith('__mdt')) {
    for (const n of ['DeveloperName', 'MasterLabel', 'Label', 'QualifiedApiName', 'NamespacePrefix', 'Language'])
      all.unshift({ name: n, type: 'string' });
  } else all.unshift({ name: 'Name', type: 'string' });
  const stmt = db.prepare(
    'INSERT INTO sobject_fields (org_id, sobject, name, type, reference_to) VALUES (?, ?, ?, ?, ?) ON CONFLICT(org_id, sobject, name) DO UPDATE SET type = excluded.type, reference_to = excluded.reference_to',
  );
  for (const fd of all) stmt.run(orgId, sobject, fd.name, fd.type ?? 'string', fd.referenceTo ?? null);
}

/** Infers a field type from a JSON value (for records written before their type is registered). */
export function inferType(value: unknown): FieldType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  return 'string';
}

/** Parent-to-child relationship names of standard objects (SELECT …, (SELECT … FROM Contacts) FROM Account). */
const CHILD_RELATIONSHIPS: Record<string, ChildRelationship[]> = {
  account: [
    { name: 'Contacts', childSObject: 'Contact', field: 'AccountId' },
    { name: 'ChildAccounts', childSObject: 'Account', field: 'ParentId' },
    { name: 'Opportunities', childSObject: 'Opportunity', field: 'AccountId' },
    { name: 'Cases', childSObject: 'Case', field: 'AccountId' },
    { name: 'Tasks', childSObject: 'Task', field: 'WhatId' },
  ],
  contact: [
    { name: 'Cases', childSObject: 'Case', field: 'ContactId' },
    { name: 'Opportunities', childSObject: 'Opportunity', field: 'ContactId' },
    { name: 'Tasks', childSObject: 'Task', field: 'WhoId' },
  ],
  campaign: [
    { name: 'Opportunities', childSObject: 'Opportunity', field: 'CampaignId' },
    { name: 'ChildCampaigns', childSObject: 'Campaign', field: 'ParentId' },
  ],
  case: [
    { name: 'Cases', childSObject: 'Case', field: 'ParentId' },
    { name: 'CaseComments', childSObject: 'CaseComment', field: 'ParentId' },
  ],
  permissionset: [
    { name: 'Assignments', childSObject: 'PermissionSetAssignment', field: 'PermissionSetId' },
    { name: 'ObjectPerms', childSObject: 'ObjectPermissions', field: 'ParentId' },
    { name: 'FieldPerms', childSObject: 'FieldPermissions', field: 'ParentId' },
  ],
  opportunity: [{ name: 'OpportunityLineItems', childSObject: 'OpportunityLineItem', field: 'OpportunityId' }],
  product2: [{ name: 'PricebookEntries', childSObject: 'PricebookEntry', field: 'Product2Id' }],
  pricebook2: [{ name: 'PricebookEntries', childSObject: 'PricebookEntry', field: 'Pricebook2Id' }],
  user: [{ name: 'PermissionSetAssignments', childSObject: 'PermissionSetAssignment', field: 'AssigneeId' }],
  profile: [{ name: 'Users', childSObject: 'User', field: 'ProfileId' }],
};

export interface ChildRelationship {
  name: string;
  childSObject: string;
  field: string;
  /** A master-detail: deleting the parent deletes the children. */
  cascadeDelete?: boolean;
}

/**
 * The child relationships of an object: the standard ones, plus every deployed lookup or
 * master-detail field pointing at it with a `relationshipName` (`Things` → `Things__r`).
 */
export function childRelationships(db: DatabaseSync, orgId: string, kind: 'devhub' | 'scratch', def: ObjectDef): ChildRelationship[] {
  const out = [...(CHILD_RELATIONSHIPS[def.name.toLowerCase()] ?? [])];
  for (const listed of listObjects(db, orgId, kind)) {
    // Custom lookups deployed on a standard object (Contact.Thing__c) live in its full definition.
    const child = listed.custom ? listed : (getObjectDef(db, orgId, kind, listed.name) ?? listed);
    for (const fd of child.fields) {
      if (fd.childRelationshipName && fd.referenceTo?.toLowerCase() === def.name.toLowerCase())
        out.push({
          name: fd.childRelationshipName,
          childSObject: child.name,
          field: fd.name,
          ...(fd.describe?.masterDetail === true ? { cascadeDelete: true } : {}),
        });
    }
  }
  return out;
}

export function findChildRelationship(
  db: DatabaseSync,
  orgId: string,
  kind: 'devhub' | 'scratch',
  def: ObjectDef,
  name: string,
): ChildRelationship | undefined {
  return childRelationships(db, orgId, kind, def).find((c) => c.name.toLowerCase() === name.toLowerCase());
}

export function findField(def: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return def.fields.find((x) => x.name.toLowerCase() === lower);
}

export function findRelationship(def: ObjectDef, rel: string): FieldDef | undefined {
  const lower = rel.toLowerCase();
  return def.fields.find((x) => x.relationshipName?.toLowerCase() === lower);
}
