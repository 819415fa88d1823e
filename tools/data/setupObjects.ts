/**
 * Standard objects that public Apex projects query, describe or insert beyond the sales and service
 * objects of schema.ts: groups and queues, licences, record access, approvals, contact points, field
 * history, setup metadata exposed as rows (custom permissions, static resources, cache partitions).
 * Fields as the SOAP API Object Reference lists them (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/),
 * the ones code reads most; a field not listed is refused by SOQL here, as an unknown field is.
 * Both data engines read these (the platform's SQLite store and the in-memory org of `apex-test`).
 */
import type { FieldDef, FieldType, ObjectDef } from './schema.ts';

const f = (name: string, type: FieldType = 'string', extra: Partial<FieldDef> = {}): FieldDef => ({ name, type, ...extra });
const sys = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type, system: true, ...extra });
const ref = (name: string, to: string, rel: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'reference', referenceTo: to, relationshipName: rel, ...extra });
const pick = (name: string, values: string[]): FieldDef => ({ name, type: 'picklist', picklistValues: values });
const audit = (): FieldDef[] => [
  sys('Id', 'id'), sys('IsDeleted', 'boolean'), sys('CreatedDate', 'datetime'), ref('CreatedById', 'User', 'CreatedBy', { system: true }),
  sys('LastModifiedDate', 'datetime'), ref('LastModifiedById', 'User', 'LastModifiedBy', { system: true }), sys('SystemModstamp', 'datetime'),
];
/** Setup rows (custom permissions, static resources …): named by DeveloperName and MasterLabel. */
const setupNames = (): FieldDef[] => [f('DeveloperName', 'string', { required: true, length: 80 }), f('MasterLabel', 'string', { required: true, length: 80 }), f('NamespacePrefix', 'string', { length: 15 }), f('Language', 'picklist')];

export const SETUP_OBJECTS: ObjectDef[] = [
  {
    name: 'Group', label: 'Group',
    fields: [...audit(), f('Name', 'string', { required: true, length: 40 }), f('DeveloperName', 'string', { length: 80 }), pick('Type', ['Regular', 'Role', 'RoleAndSubordinates', 'RoleAndSubordinatesInternal', 'Manager', 'ManagerAndSubordinatesInternal', 'Organization', 'Queue', 'PRMOrganization', 'AllCustomerPortal', 'CollaborationGroup']),
      f('Email', 'email'), f('DoesIncludeBosses', 'boolean'), f('DoesSendEmailToMembers', 'boolean'), ref('RelatedId', 'UserRole', 'Related', { system: true }), ref('OwnerId', 'User', 'Owner')],
  },
  { name: 'GroupMember', label: 'Group Member', fields: [sys('Id', 'id'), sys('SystemModstamp', 'datetime'), ref('GroupId', 'Group', 'Group', { required: true }), ref('UserOrGroupId', 'User', 'UserOrGroup', { required: true })] },
  {
    name: 'QueueSobject', label: 'Queue Sobject',
    fields: [sys('Id', 'id'), sys('SystemModstamp', 'datetime'), ref('QueueId', 'Group', 'Queue', { required: true }), f('SobjectType', 'picklist', { required: true }), ref('CreatedById', 'User', 'CreatedBy', { system: true })],
  },
  { name: 'UserRole', label: 'Role', fields: [...audit(), f('Name', 'string', { required: true, length: 80 }), f('DeveloperName', 'string', { length: 80 }), ref('ParentRoleId', 'UserRole', 'ParentRole'), f('RollupDescription', 'string', { length: 80 }), pick('PortalType', ['None', 'Partner', 'CustomerPortal'])] },
  {
    name: 'UserLicense', label: 'User License',
    fields: [sys('Id', 'id'), sys('CreatedDate', 'datetime'), sys('LastModifiedDate', 'datetime'), sys('SystemModstamp', 'datetime'), f('Name', 'string', { system: true }), f('MasterLabel', 'string', { system: true }),
      f('LicenseDefinitionKey', 'string', { system: true }), pick('Status', ['Active', 'Disabled']), f('TotalLicenses', 'int', { system: true }), f('UsedLicenses', 'int', { system: true })],
  },
  {
    name: 'UserRecordAccess', label: 'User Record Access',
    fields: [sys('Id', 'id'), f('UserId', 'reference', { referenceTo: 'User' }), f('RecordId', 'string'), f('HasReadAccess', 'boolean'), f('HasEditAccess', 'boolean'), f('HasDeleteAccess', 'boolean'),
      f('HasTransferAccess', 'boolean'), f('HasAllAccess', 'boolean'), pick('MaxAccessLevel', ['None', 'Read', 'Edit', 'Delete', 'Transfer', 'All'])],
  },
  { name: 'ProcessDefinition', label: 'Process Definition', fields: [...audit(), f('Name', 'string'), f('DeveloperName', 'string'), f('TableEnumOrId', 'picklist'), pick('State', ['Active', 'Inactive', 'Obsolete']), pick('Type', ['Approval', 'State'])] },
  {
    name: 'ProcessInstance', label: 'Process Instance',
    fields: [...audit(), ref('ProcessDefinitionId', 'ProcessDefinition', 'ProcessDefinition'), f('TargetObjectId', 'reference', { referenceTo: 'Account' }), pick('Status', ['Approved', 'Fault', 'Held', 'NoResponse', 'Pending', 'Reassigned', 'Rejected', 'Removed', 'Started']),
      sys('CompletedDate', 'datetime'), ref('SubmittedById', 'User', 'SubmittedBy'), ref('LastActorId', 'User', 'LastActor')],
  },
  {
    name: 'ProcessInstanceWorkitem', label: 'Approval Request',
    fields: [...audit(), ref('ProcessInstanceId', 'ProcessInstance', 'ProcessInstance', { required: true }), ref('OriginalActorId', 'User', 'OriginalActor'), ref('ActorId', 'User', 'Actor'), f('ElapsedTimeInDays', 'double'), f('ElapsedTimeInHours', 'double'), f('ElapsedTimeInMinutes', 'double')],
  },
  {
    name: 'ContactPointAddress', label: 'Contact Point Address',
    fields: [...audit(), f('Name', 'string', { required: true }), ref('ParentId', 'Account', 'Parent'), f('Street', 'textarea', { length: 255 }), f('City', 'string', { length: 40 }), f('State', 'string', { length: 80 }),
      f('PostalCode', 'string', { length: 20 }), f('Country', 'string', { length: 80 }), f('Latitude', 'double'), f('Longitude', 'double'), pick('AddressType', ['Billing', 'Shipping']), f('IsDefault', 'boolean'), f('IsPrimary', 'boolean'),
      f('ActiveFromDate', 'date'), f('ActiveToDate', 'date'), f('PreferenceRank', 'int'), f('UsageType', 'picklist'), ref('OwnerId', 'User', 'Owner')],
  },
  {
    name: 'ContactPointPhone', label: 'Contact Point Phone',
    fields: [...audit(), sys('Name', 'string'), ref('ParentId', 'Account', 'Parent'), f('TelephoneNumber', 'phone', { required: true }), f('AreaCode', 'string', { length: 10 }), f('ExtensionNumber', 'string', { length: 10 }),
      pick('PhoneType', ['Home', 'Mobile', 'Work', 'Fax', 'Other']), f('IsPrimary', 'boolean'), f('IsSmsCapable', 'boolean'), f('ActiveFromDate', 'date'), f('ActiveToDate', 'date'), f('UsageType', 'picklist'), ref('OwnerId', 'User', 'Owner')],
  },
  {
    name: 'ContactPointEmail', label: 'Contact Point Email',
    fields: [...audit(), sys('Name', 'string'), ref('ParentId', 'Account', 'Parent'), f('EmailAddress', 'email', { required: true }), f('IsPrimary', 'boolean'), f('ActiveFromDate', 'date'), f('ActiveToDate', 'date'), ref('OwnerId', 'User', 'Owner')],
  },
  {
    name: 'ContactPointConsent', label: 'Contact Point Consent',
    fields: [...audit(), f('Name', 'string', { required: true }), ref('ContactPointId', 'ContactPointAddress', 'ContactPoint'), f('CaptureDate', 'datetime'), f('CaptureSource', 'string', { length: 255 }),
      pick('CaptureContactPointType', ['Email', 'Phone', 'Web']), pick('PrivacyConsentStatus', ['NotSeen', 'Seen', 'OptIn', 'OptOut']), f('EffectiveFrom', 'datetime'), f('EffectiveTo', 'datetime'),
      f('DoubleConsentCaptureDate', 'datetime'), f('DataUsePurposeId', 'reference', { referenceTo: 'DataUsePurpose' }), ref('OwnerId', 'User', 'Owner')],
  },
  {
    name: 'Individual', label: 'Individual',
    fields: [...audit(), f('FirstName', 'string', { length: 40 }), f('LastName', 'string', { required: true, length: 80 }), sys('Name', 'string'), pick('Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
      f('BirthDate', 'date'), f('HasOptedOutTracking', 'boolean'), f('HasOptedOutProfiling', 'boolean'), f('HasOptedOutProcessing', 'boolean'), f('HasOptedOutSolicit', 'boolean'),
      f('ShouldForget', 'boolean'), f('SendIndividualData', 'boolean'), f('CanStorePiiElsewhere', 'boolean'), ref('OwnerId', 'User', 'Owner')],
  },
  {
    name: 'Contract', label: 'Contract',
    fields: [...audit(), ref('AccountId', 'Account', 'Account', { required: true }), f('Name', 'string', { length: 80 }), sys('ContractNumber', 'string'), pick('Status', ['Draft', 'In Approval Process', 'Activated']),
      f('StartDate', 'date'), sys('EndDate', 'date'), f('ContractTerm', 'int'), f('Description', 'textarea'), f('SpecialTerms', 'textarea'), f('OwnerExpirationNotice', 'picklist'),
      ref('CustomerSignedId', 'Contact', 'CustomerSigned'), f('CustomerSignedDate', 'date'), f('CustomerSignedTitle', 'string', { length: 40 }), sys('ActivatedDate', 'datetime'), ref('OwnerId', 'User', 'Owner')],
  },
  {
    name: 'OpportunityContactRole', label: 'Opportunity Contact Role',
    fields: [...audit(), ref('OpportunityId', 'Opportunity', 'Opportunity', { required: true }), ref('ContactId', 'Contact', 'Contact', { required: true }),
      pick('Role', ['Business User', 'Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Evaluator', 'Executive Sponsor', 'Influencer', 'Technical Buyer', 'Other']), f('IsPrimary', 'boolean')],
  },
  {
    name: 'QuickText', label: 'Quick Text',
    fields: [...audit(), f('Name', 'string', { required: true }), f('Message', 'textarea', { required: true, length: 4096 }), pick('Category', ['Greetings', 'FAQ', 'Closings']), f('Channel', 'picklist'), f('FolderId', 'reference', { referenceTo: 'Folder' }), f('IsInsertable', 'boolean'), ref('OwnerId', 'User', 'Owner')],
  },
  {
    name: 'OpportunityFieldHistory', label: 'Opportunity Field History',
    fields: [sys('Id', 'id'), sys('IsDeleted', 'boolean'), sys('CreatedDate', 'datetime'), ref('CreatedById', 'User', 'CreatedBy', { system: true }), ref('OpportunityId', 'Opportunity', 'Opportunity'), f('Field', 'picklist'),
      f('DataType', 'string'), f('OldValue', 'string'), f('NewValue', 'string')],
  },
  {
    name: 'WorkOrder', label: 'Work Order',
    fields: [...audit(), sys('WorkOrderNumber', 'string', { autoNumber: true }), f('Subject'), f('Description', 'textarea'), pick('Status', ['New', 'In Progress', 'On Hold', 'Completed', 'Closed', 'Cannot Complete', 'Canceled']),
      pick('Priority', ['Low', 'Medium', 'High', 'Critical']), ref('AccountId', 'Account', 'Account'), ref('ContactId', 'Contact', 'Contact'), ref('CaseId', 'Case', 'Case'), f('StartDate', 'datetime'), f('EndDate', 'datetime'), ref('OwnerId', 'User', 'Owner')],
  },
  {
    name: 'WorkOrderLineItem', label: 'Work Order Line Item',
    fields: [...audit(), sys('LineItemNumber', 'string', { autoNumber: true }), ref('WorkOrderId', 'WorkOrder', 'WorkOrder', { required: true }), f('Subject'), f('Description', 'textarea'), f('Status', 'picklist'), f('Quantity', 'double'), f('UnitPrice', 'currency'), f('StartDate', 'datetime'), f('EndDate', 'datetime')],
  },
  {
    name: 'Event', label: 'Event',
    fields: [...audit(), f('Subject'), f('Description', 'textarea'), f('Location'), f('StartDateTime', 'datetime'), f('EndDateTime', 'datetime'), f('ActivityDate', 'date'), f('ActivityDateTime', 'datetime'),
      f('DurationInMinutes', 'int'), f('IsAllDayEvent', 'boolean'), pick('Type', ['Call', 'Email', 'Meeting', 'Other']), ref('WhoId', 'Contact', 'Who'), ref('WhatId', 'Account', 'What'), ref('OwnerId', 'User', 'Owner')],
  },
  {
    name: 'ContentVersion', label: 'Content Version',
    fields: [...audit(), f('Title', 'string', { required: true }), f('PathOnClient', 'string', { length: 500 }), f('VersionData', 'textarea', { length: 131_072_000 }), ref('ContentDocumentId', 'ContentDocument', 'ContentDocument'),
      f('Description', 'textarea'), f('FileType', 'string', { system: true }), f('FileExtension', 'string', { system: true }), f('ContentSize', 'int', { system: true }), f('IsLatest', 'boolean', { system: true }), f('VersionNumber', 'string', { system: true }),
      f('FirstPublishLocationId', 'reference', { referenceTo: 'User' }), f('ContentLocation', 'picklist'), f('Origin', 'picklist'), f('ReasonForChange'), ref('OwnerId', 'User', 'Owner')],
  },
  {
    name: 'ContentDocument', label: 'Content Document',
    fields: [...audit(), f('Title', 'string'), f('Description', 'textarea'), f('FileType', 'string'), f('FileExtension', 'string'), f('ContentSize', 'int'), ref('LatestPublishedVersionId', 'ContentVersion', 'LatestPublishedVersion'),
      f('ParentId', 'reference', { referenceTo: 'User' }), f('PublishStatus', 'picklist'), ref('OwnerId', 'User', 'Owner')],
  },
  {
    name: 'ContentDocumentLink', label: 'Content Document Link',
    fields: [sys('Id', 'id'), sys('IsDeleted', 'boolean'), sys('SystemModstamp', 'datetime'), ref('ContentDocumentId', 'ContentDocument', 'ContentDocument', { required: true }), f('LinkedEntityId', 'reference', { referenceTo: 'Account', required: true }),
      pick('ShareType', ['V', 'C', 'I']), pick('Visibility', ['AllUsers', 'InternalUsers', 'SharedUsers'])],
  },
  { name: 'CustomPermission', label: 'Custom Permission', fields: [...audit(), ...setupNames(), f('Description', 'textarea', { length: 255 }), f('IsLicensed', 'boolean')] },
  {
    name: 'SetupEntityAccess', label: 'Setup Entity Access',
    fields: [sys('Id', 'id'), sys('SystemModstamp', 'datetime'), ref('ParentId', 'PermissionSet', 'Parent', { required: true }), f('SetupEntityId', 'string', { required: true }), f('SetupEntityType', 'picklist')],
  },
  {
    name: 'StaticResource', label: 'Static Resource',
    fields: [...audit(), f('Name', 'string', { required: true }), f('NamespacePrefix', 'string', { length: 15 }), f('ContentType', 'string', { length: 120 }), f('BodyLength', 'int', { system: true }), f('Body', 'textarea', { length: 5_242_880 }),
      f('Description', 'textarea', { length: 255 }), pick('CacheControl', ['Private', 'Public'])],
  },
  { name: 'PlatformCachePartition', label: 'Platform Cache Partition', fields: [...audit(), ...setupNames(), f('Description', 'textarea', { length: 255 }), f('IsDefaultPartition', 'boolean')] },
  {
    name: 'AsyncApexJob', label: 'Apex Job',
    fields: [sys('Id', 'id'), sys('CreatedDate', 'datetime'), ref('CreatedById', 'User', 'CreatedBy', { system: true }), pick('JobType', ['Future', 'SharingRecalculation', 'ScheduledApex', 'BatchApex', 'BatchApexWorker', 'TestRequest', 'TestWorker', 'ApexToken', 'Queueable']),
      ref('ApexClassId', 'ApexClass', 'ApexClass'), pick('Status', ['Holding', 'Queued', 'Preparing', 'Processing', 'Aborted', 'Completed', 'Failed']), f('JobItemsProcessed', 'int'), f('TotalJobItems', 'int'), f('NumberOfErrors', 'int'),
      sys('CompletedDate', 'datetime'), f('MethodName'), f('ExtendedStatus'), f('ParentJobId', 'reference', { referenceTo: 'AsyncApexJob' }), f('LastProcessed'), f('LastProcessedOffset', 'int'), f('CronTriggerId', 'reference', { referenceTo: 'CronTrigger' })],
  },
  {
    name: 'CronTrigger', label: 'Scheduled Jobs',
    fields: [...audit(), f('CronExpression'), f('CronJobDetailId', 'reference', { referenceTo: 'CronJobDetail' }), sys('NextFireTime', 'datetime'), sys('PreviousFireTime', 'datetime'), f('State'), f('StartTime', 'datetime'), f('EndTime', 'datetime'), f('TimesTriggered', 'int'), f('TimeZoneSidKey', 'picklist'), ref('OwnerId', 'User', 'Owner')],
  },
  { name: 'CronJobDetail', label: 'Job', fields: [sys('Id', 'id'), f('Name'), pick('JobType', ['1', '3', '4', '6', '7', '8', '9', 'A', 'H'])] },
  {
    name: 'BatchApexErrorEvent', label: 'Batch Apex Error Event',
    fields: [sys('ReplayId', 'string'), sys('EventUuid', 'string'), sys('CreatedDate', 'datetime'), ref('CreatedById', 'User', 'CreatedBy', { system: true }), f('AsyncApexJobId', 'string'), f('DoesExceedJobScopeMaxLength', 'boolean'),
      f('ExceptionType'), f('JobScope', 'textarea'), f('Message', 'textarea'), f('Phase'), f('RequestId'), f('StackTrace', 'textarea')],
  },
];
