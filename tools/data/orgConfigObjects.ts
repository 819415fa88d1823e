/**
 * Org configuration that Salesforce exposes as read-only rows and Apex tests see without SeeAllData:
 * record types, user preferences and the picklist-value objects behind Task, Case, Lead and Opportunity
 * (`SELECT MasterLabel FROM TaskStatus WHERE IsClosed = true`). Fields as the SOAP API Object Reference
 * lists them (RecordType, TaskStatus, TaskPriority, CaseStatus, LeadStatus, OpportunityStage:
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/). The rows
 * every org starts with (the default BusinessHours of serviceObjects.ts among them) are in
 * apex/standardRows.ts.
 */
import type { FieldDef, ObjectDef } from './schema.ts';
import { audit, f, ref, sys } from './fieldBuilders.ts';

/** A picklist value as a row: its label, API name, default flag and position. */
const pickValue = (): FieldDef[] => [
  ...audit(),
  f('MasterLabel', 'string', { length: 255 }),
  f('ApiName', 'string', { length: 255 }),
  f('IsDefault', 'boolean'),
  f('SortOrder', 'int'),
];

export const ORG_CONFIG_OBJECTS: ObjectDef[] = [
  {
    name: 'RecordType',
    label: 'Record Type',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true, length: 80 }),
      f('DeveloperName', 'string', { required: true, length: 80 }),
      f('NamespacePrefix', 'string', { length: 15 }),
      f('Description', 'string', { length: 255 }),
      f('SobjectType', 'picklist', { required: true }),
      f('IsActive', 'boolean'),
      f('BusinessProcessId', 'reference'),
    ],
  },
  {
    // a user's saved preferences, by the preference's number (Object Reference, "UserPreference")
    name: 'UserPreference',
    label: 'User Preference',
    fields: [
      sys('Id', 'id'),
      sys('SystemModstamp', 'datetime'),
      ref('UserId', 'User', 'User'),
      f('Preference', 'picklist'),
      f('Value', 'string'),
    ],
  },
  { name: 'TaskStatus', label: 'Task Status Value', fields: [...pickValue(), f('IsClosed', 'boolean')] },
  { name: 'TaskPriority', label: 'Task Priority Value', fields: [...pickValue(), f('IsHighPriority', 'boolean')] },
  { name: 'CaseStatus', label: 'Case Status Value', fields: [...pickValue(), f('IsClosed', 'boolean')] },
  { name: 'LeadStatus', label: 'Lead Status Value', fields: [...pickValue(), f('IsConverted', 'boolean')] },
  {
    name: 'OpportunityStage',
    label: 'Opportunity Stage',
    fields: [
      ...pickValue(),
      f('IsActive', 'boolean'),
      f('IsClosed', 'boolean'),
      f('IsWon', 'boolean'),
      f('DefaultProbability', 'double'),
      f('ForecastCategory', 'picklist'),
      f('ForecastCategoryName', 'picklist'),
      f('Description', 'string', { length: 255 }),
    ],
  },
];
