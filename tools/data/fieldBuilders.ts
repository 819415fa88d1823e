/** Short builders for field definitions, shared by the standard objects and the deployed ones. */
import type { FieldDef, FieldType } from './schema.ts';

export const sys = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type, system: true, ...extra });
export const f = (name: string, type: FieldType = 'string', extra: Partial<FieldDef> = {}): FieldDef => ({ name, type, ...extra });
export const ref = (name: string, to: string, rel: string, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type: 'reference',
  referenceTo: to,
  relationshipName: rel,
  ...extra,
});

export const pick = (name: string, values: string[]): FieldDef => ({ name, type: 'picklist', picklistValues: values });
export const len = (length: number): Partial<FieldDef> => ({ length });
export const address = (prefix: string): FieldDef[] => [
  f(prefix + 'Street', 'textarea', len(255)),
  f(prefix + 'City', 'string', len(40)),
  f(prefix + 'State', 'string', len(80)),
  f(prefix + 'PostalCode', 'string', len(20)),
  f(prefix + 'Country', 'string', len(80)),
  f(prefix + 'Latitude', 'double'),
  f(prefix + 'Longitude', 'double'),
];

export const audit = (): FieldDef[] => [
  sys('Id', 'id'),
  sys('IsDeleted', 'boolean'),
  sys('CreatedDate', 'datetime'),
  ref('CreatedById', 'User', 'CreatedBy', { system: true }),
  sys('LastModifiedDate', 'datetime'),
  ref('LastModifiedById', 'User', 'LastModifiedBy', { system: true }),
  sys('SystemModstamp', 'datetime'),
];

/**
 * Fields Task and Event share (SOAP API Object Reference, Task and Event): the account the platform derives
 * from WhatId/WhoId, the archive flag it sets (activities over a year old), recurrence and reminders.
 */
export const ACTIVITY_FIELDS: FieldDef[] = [
  ref('AccountId', 'Account', 'Account', { system: true }),
  sys('IsArchived', 'boolean'),
  f('IsRecurrence', 'boolean'),
  f('IsReminderSet', 'boolean'),
  f('ReminderDateTime', 'datetime'),
];

/**
 * Task's and Event's polymorphic lookups: WhoId is a Contact or a Lead, WhatId one of the objects that
 * allow activities (Object Reference for the Salesforce Platform, Task and Event: "Refers To"; the local
 * standard objects among them). Relationship paths (`Who.Name`) read through the first.
 */
export const ACTIVITY_LOOKUPS: FieldDef[] = [
  ref('WhoId', 'Contact', 'Who', { polymorphicTo: ['Contact', 'Lead'] }),
  ref('WhatId', 'Account', 'What', {
    polymorphicTo: ['Account', 'Campaign', 'Case', 'Contract', 'Opportunity', 'Product2', 'WorkOrder'],
  }),
];

/**
 * System permissions as Profile and PermissionSet fields (SOAP API Object Reference, Profile and
 * PermissionSet: one `Permissions<Name>` boolean per user permission); the ones code filters on most.
 */
export const SYSTEM_PERMISSION_FIELDS = [
  'ApiEnabled',
  'ApiUserOnly',
  'AuthorApex',
  'ConvertLeads',
  'CustomizeApplication',
  'EditEvent',
  'EditTask',
  'EmailMass',
  'EmailSingle',
  'ExportReport',
  'ManageCases',
  'ManageDashboards',
  'ManageInteraction',
  'ManageUsers',
  'MassInlineEdit',
  'ModifyAllData',
  'ModifyMetadata',
  'PrivacyDataAccess',
  'RunReports',
  'SubmitMacrosAllowed',
  'TransferAnyEntity',
  'ViewAllData',
  'ViewAllUsers',
  'ViewSetup',
].map((p) => f(`Permissions${p}`, 'boolean'));
