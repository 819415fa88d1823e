/**
 * Login and session objects that logging libraries query for the running user's context (NebulaLogger
 * reads the current `AuthSession` and its `LoginHistory`). Fields as the SOAP API Object Reference lists
 * them: "AuthSession" (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_authsession.htm)
 * and "LoginHistory" (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_loginhistory.htm).
 * No rows are made for them here, so a query answers empty instead of failing as an unknown object; whether
 * an Apex test sees the running user's sessions on Salesforce is not documented (FIDELITY.md).
 * Also `ApexEmailNotification`, who is told of unhandled Apex exceptions (NebulaLogger's email sender reads it):
 * "ApexEmailNotification" (https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-apexemailnotification.html).
 */
import type { ObjectDef } from './schema.ts';
import { audit, f, pick, ref, sys } from './fieldBuilders.ts';

const SESSION_LEVELS = ['LOW', 'STANDARD', 'HIGH_ASSURANCE'];

export const SESSION_OBJECTS: ObjectDef[] = [
  {
    name: 'LoginHistory',
    label: 'Login History',
    fields: [
      sys('Id', 'id'),
      f('ApiType'),
      f('ApiVersion'),
      f('Application'),
      f('AuthenticationServiceId', 'reference'),
      f('AuthMethodReference'),
      f('Browser'),
      f('CipherSuite', 'picklist'),
      f('ClientVersion'),
      f('CountryIso', 'picklist'),
      f('LoginGeoId', 'reference'),
      f('LoginTime', 'datetime'),
      f('LoginType', 'picklist'),
      f('LoginUrl'),
      f('NetworkId', 'reference'),
      f('Platform'),
      f('SourceIp'),
      f('Status'),
      f('TlsProtocol', 'picklist'),
      ref('UserId', 'User', 'User'),
    ],
  },
  {
    name: 'AuthSession',
    label: 'Auth Session',
    fields: [
      sys('Id', 'id'),
      sys('CreatedDate', 'datetime'),
      sys('LastModifiedDate', 'datetime'),
      f('IsAssociatedWithJwtAccessToken', 'boolean'),
      f('IsCurrent', 'boolean'),
      f('LoginGeoId', 'reference'),
      ref('LoginHistoryId', 'LoginHistory', 'LoginHistory'),
      f('LoginSubType', 'picklist'),
      f('LoginType', 'picklist'),
      f('LogoutUrl', 'string', { length: 1500 }),
      f('NumSecondsValid', 'int'),
      ref('ParentId', 'AuthSession', 'Parent'),
      pick('SessionSecurityLevel', SESSION_LEVELS),
      f('SessionType', 'picklist'),
      f('SourceIp', 'string', { length: 39 }),
      f('UserType', 'picklist'),
      ref('UsersId', 'User', 'Users'),
    ],
  },
  {
    name: 'ApexEmailNotification',
    label: 'Apex Email Notification',
    fields: [...audit(), f('Email', 'string', { length: 255 }), ref('UserId', 'User', 'User')],
  },
];
