/**
 * Objects that hold an org's attachments, notes, feed posts, documents, reports, pages, feed subscriptions,
 * recent items and campaign members, with their fields as Salesforce's Object Reference lists them
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/), trimmed to
 * the fields code reads. Part of STANDARD_OBJECTS (standardObjects.ts).
 */
import type { ObjectDef } from './schema.ts';
import { audit, f, len, pick, ref, sys } from './fieldBuilders.ts';

/** The records an attachment, note or feed post may hang off (the local standard objects among them). */
const PARENTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'Campaign', 'Contract', 'Asset', 'Product2', 'User'];

export const ORG_CONTENT_OBJECTS: ObjectDef[] = [
  {
    // a file attached to a record (Object Reference, "Attachment")
    name: 'Attachment',
    label: 'Attachment',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true }),
      ref('ParentId', 'Account', 'Parent', { required: true, polymorphicTo: PARENTS }),
      f('Body', 'textarea', len(26_214_400)),
      sys('BodyLength', 'int'),
      f('ContentType', 'string', len(120)),
      f('Description', 'textarea', len(500)),
      f('IsPrivate', 'boolean'),
      ref('OwnerId', 'User', 'Owner'),
    ],
  },
  {
    // a note on a record (Object Reference, "Note")
    name: 'Note',
    label: 'Note',
    fields: [
      ...audit(),
      f('Title', 'string', { required: true, length: 80 }),
      f('Body', 'textarea'),
      ref('ParentId', 'Account', 'Parent', { required: true, polymorphicTo: PARENTS }),
      f('IsPrivate', 'boolean'),
      ref('OwnerId', 'User', 'Owner'),
    ],
  },
  {
    // a Chatter post on a record or user feed (Object Reference, "FeedItem")
    name: 'FeedItem',
    label: 'Feed Item',
    fields: [
      ...audit(),
      ref('ParentId', 'User', 'Parent', { required: true, polymorphicTo: ['User', ...PARENTS.filter((p) => p !== 'User')] }),
      f('Body', 'textarea', len(10_000)),
      f('Title', 'string', len(255)),
      f('LinkUrl', 'url', len(1000)),
      pick('Type', ['TextPost', 'LinkPost', 'ContentPost', 'AdvancedTextPost', 'QuestionPost']),
      pick('Visibility', ['AllUsers', 'InternalUsers']),
      f('IsRichText', 'boolean'),
      f('RelatedRecordId', 'reference'),
      sys('CommentCount', 'int'),
      sys('LikeCount', 'int'),
      ref('InsertedById', 'User', 'InsertedBy', { system: true }),
    ],
  },
  {
    // a file in the Documents tab; FolderId is a document folder or a user's personal folder (the user's Id)
    name: 'Document',
    label: 'Document',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true }),
      f('DeveloperName', 'string', len(80)),
      ref('FolderId', 'Folder', 'Folder', { required: true, polymorphicTo: ['Folder', 'User'] }),
      f('Body', 'textarea', len(5_242_880)),
      sys('BodyLength', 'int'),
      f('ContentType', 'string', len(120)),
      f('Type', 'string', len(40)),
      f('Description', 'textarea', len(255)),
      f('Keywords', 'string', len(255)),
      f('Url', 'url'),
      f('IsPublic', 'boolean'),
      f('IsInternalUseOnly', 'boolean'),
      f('IsBodySearchable', 'boolean'),
      ref('AuthorId', 'User', 'Author'),
      sys('NamespacePrefix', 'string', len(15)),
    ],
  },
  {
    name: 'Folder',
    label: 'Folder',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true, length: 40 }),
      f('DeveloperName', 'string', len(80)),
      pick('Type', ['Document', 'Email', 'Report', 'Dashboard', 'EmailTemplate']),
      pick('AccessType', ['Shared', 'Public', 'Hidden', 'PublicInternal']),
      f('IsReadonly', 'boolean'),
      sys('NamespacePrefix', 'string', len(15)),
      ref('ParentId', 'Folder', 'Parent'),
    ],
  },
  {
    // read-only: reports are metadata, made in the report builder or deployed
    name: 'Report',
    label: 'Report',
    fields: [
      ...audit(),
      sys('Name', 'string', len(40)),
      sys('DeveloperName', 'string', len(80)),
      sys('FolderName', 'string'),
      sys('Description', 'string', len(255)),
      sys('Format', 'picklist'),
      sys('LastRunDate', 'datetime'),
      sys('LastViewedDate', 'datetime'),
      sys('LastReferencedDate', 'datetime'),
      sys('NamespacePrefix', 'string', len(15)),
      ref('OwnerId', 'User', 'Owner', { system: true }),
    ],
  },
  {
    // a Visualforce page (Object Reference, "ApexPage")
    name: 'ApexPage',
    label: 'Visualforce Page',
    fields: [
      ...audit(),
      f('Name', 'string', { required: true, length: 80 }),
      f('MasterLabel', 'string', len(80)),
      f('ApiVersion', 'double'),
      f('Markup', 'textarea', len(1_048_576)),
      f('ControllerKey', 'string', len(255)),
      f('ControllerType', 'picklist'),
      f('Description', 'textarea', len(255)),
      f('IsAvailableInTouch', 'boolean'),
      f('IsConfirmationTokenRequired', 'boolean'),
      sys('NamespacePrefix', 'string', len(15)),
    ],
  },
  {
    // a user following a record in Chatter
    name: 'EntitySubscription',
    label: 'Entity Subscription',
    fields: [
      sys('Id', 'id'),
      sys('IsDeleted', 'boolean'),
      sys('CreatedDate', 'datetime'),
      ref('CreatedById', 'User', 'CreatedBy', { system: true }),
      ref('ParentId', 'Account', 'Parent', { required: true }),
      ref('SubscriberId', 'User', 'Subscriber', { required: true }),
      f('NetworkId', 'reference'),
    ],
  },
  {
    // the records the running user viewed or referenced last (read-only)
    name: 'RecentlyViewed',
    label: 'Recently Viewed',
    fields: [
      sys('Id', 'id'),
      sys('Name', 'string'),
      sys('Type', 'picklist'),
      sys('LastViewedDate', 'datetime'),
      sys('LastReferencedDate', 'datetime'),
      sys('FirstName', 'string', len(40)),
      sys('LastName', 'string', len(80)),
      sys('Alias', 'string', len(8)),
      sys('Title', 'string', len(80)),
      sys('Email', 'email'),
      sys('Phone', 'phone'),
      sys('IsActive', 'boolean'),
      ref('ProfileId', 'Profile', 'Profile', { system: true }),
      ref('UserRoleId', 'UserRole', 'UserRole', { system: true }),
    ],
  },
  {
    // a lead or contact in a campaign; the name and address fields are the lead's or contact's (read-only)
    name: 'CampaignMember',
    label: 'Campaign Member',
    fields: [
      ...audit(),
      ref('CampaignId', 'Campaign', 'Campaign', { required: true, childRelationshipName: 'CampaignMembers' }),
      ref('ContactId', 'Contact', 'Contact', { childRelationshipName: 'CampaignMembers' }),
      ref('LeadId', 'Lead', 'Lead', { childRelationshipName: 'CampaignMembers' }),
      pick('Status', ['Planned', 'Received', 'Responded', 'Sent']),
      sys('HasResponded', 'boolean'),
      sys('FirstRespondedDate', 'date'),
      sys('LeadOrContactId', 'reference', {
        referenceTo: 'Contact',
        polymorphicTo: ['Contact', 'Lead'],
        relationshipName: 'LeadOrContact',
      }),
      sys('Name', 'string', len(121)),
      sys('FirstName', 'string', len(40)),
      sys('LastName', 'string', len(80)),
      sys('Email', 'email'),
      sys('Phone', 'phone'),
      sys('CompanyOrAccount', 'string', len(255)),
      sys('Type', 'string', len(40)),
      f('Description', 'string', len(255)),
    ],
  },
  {
    // a member status value of one campaign (Object Reference, CampaignMemberStatus)
    name: 'CampaignMemberStatus',
    label: 'Campaign Member Status',
    fields: [
      ...audit(),
      ref('CampaignId', 'Campaign', 'Campaign', { required: true }),
      f('Label', 'string', { ...len(765), required: true }),
      f('HasResponded', 'boolean'),
      f('IsDefault', 'boolean'),
      f('SortOrder', 'int'),
    ],
  },
];
