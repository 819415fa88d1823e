/**
 * Users and what they may do: User, Profile, permission sets and their assignments, permission set
 * licences and UserLogin, as Salesforce's Object Reference lists them
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/), trimmed to
 * the fields this platform's users touch. Part of STANDARD_OBJECTS (standardObjects.ts).
 */
import type { ObjectDef } from './schema.ts';
import { audit, f, len, ref, sys, SYSTEM_PERMISSION_FIELDS } from './fieldBuilders.ts';

export const USER_OBJECTS: ObjectDef[] = [
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
      f('CompanyName', 'string', len(80)),
      f('Division', 'string', len(80)),
      f('EmployeeNumber', 'string', len(20)),
      f('Phone', 'phone'),
      f('MobilePhone', 'phone'),
      f('Extension', 'phone'),
      f('Fax', 'phone'),
      f('Street', 'textarea'),
      f('City', 'string', len(40)),
      f('State', 'string', len(80)),
      f('PostalCode', 'string', len(20)),
      f('Country', 'string', len(80)),
      // the address's geolocation (Object Reference, User: Latitude, Longitude)
      f('Latitude', 'double'),
      f('Longitude', 'double'),
      f('FederationIdentifier', 'string', len(512)),
      f('AboutMe', 'textarea', len(1000)),
      ref('ManagerId', 'User', 'Manager'),
      ref('UserRoleId', 'UserRole', 'UserRole'),
      sys('LastLoginDate', 'datetime'),
      // Field Reference, User (https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_User.htm):
      // an Experience Cloud user's contact and (derived from it) account; the profile photo's URLs
      ref('ContactId', 'Contact', 'Contact'),
      ref('AccountId', 'Account', 'Account', { system: true }),
      sys('SmallPhotoUrl', 'url', len(1024)),
      sys('MediumPhotoUrl', 'url', len(1024)),
      sys('FullPhotoUrl', 'url', len(1024)),
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
      ...SYSTEM_PERMISSION_FIELDS,
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
      // the permission set group that owns this set (its aggregate set), null otherwise; API 45.0+
      f('PermissionSetGroupId', 'reference'),
      f('Type', 'picklist'),
      f('IsCustom', 'boolean'),
      ...SYSTEM_PERMISSION_FIELDS,
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
];
