/**
 * Which validator handles which metadata type, and what the platform learns after a component lands
 * (custom objects become queryable sObjects). Types without a validator get the generic one.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Handler, Prepared } from './types/handler.ts';
import type { DeployComponent } from './readDeployZip.ts';
import { apexClass } from './types/apexClass.ts';
import { apexTrigger } from './types/apexTrigger.ts';
import { certificate } from './types/certificate.ts';
import { connectedApp } from './types/connectedApp.ts';
import { customMetadata, customObject, type CustomObjectInfo } from './types/customMetadata.ts';
import { externalCredential, namedCredential, platformCachePartition, remoteSiteSetting, settings } from './types/endpoints.ts';
import {
  externalClientApplication,
  extlClntAppGlobalOauthSettings,
  extlClntAppOauthConfigurablePolicies,
  extlClntAppOauthSettings,
} from './types/externalClientApp.ts';
import { customTab, generic, lightningComponentBundle } from './types/otherTypes.ts';
import { flexiPage } from './types/flexiPage.ts';
import { permissionSet } from './types/permissionSet.ts';
import { registerObject, type FieldType } from '../../data/schema.ts';

const HANDLERS: Record<string, Handler> = {
  ApexClass: apexClass,
  ApexTrigger: apexTrigger,
  Certificate: certificate,
  ConnectedApp: connectedApp,
  CustomMetadata: customMetadata,
  CustomObject: customObject,
  CustomTab: customTab,
  ExternalClientApplication: externalClientApplication,
  FlexiPage: flexiPage,
  ExternalCredential: externalCredential,
  ExtlClntAppGlobalOauthSettings: extlClntAppGlobalOauthSettings,
  ExtlClntAppOauthConfigurablePolicies: extlClntAppOauthConfigurablePolicies,
  ExtlClntAppOauthSettings: extlClntAppOauthSettings,
  LightningComponentBundle: lightningComponentBundle,
  NamedCredential: namedCredential,
  PermissionSet: permissionSet,
  PlatformCachePartition: platformCachePartition,
  RemoteSiteSetting: remoteSiteSetting,
  Settings: settings,
};

export function handlerFor(type: string): Handler {
  return HANDLERS[type] ?? generic;
}

export function hasValidator(type: string): boolean {
  return type in HANDLERS;
}

const FIELD_TYPES: Record<string, FieldType> = {
  Checkbox: 'boolean',
  Number: 'double',
  Percent: 'double',
  Currency: 'currency',
  Date: 'date',
  DateTime: 'datetime',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Picklist: 'picklist',
  MultiselectPicklist: 'picklist',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  Lookup: 'reference',
  MasterDetail: 'reference',
};

/** Inside the deploy transaction, after the component row is written. */
export function afterApply(c: DeployComponent, p: Prepared, db: DatabaseSync, orgId: string): void {
  if (c.type === 'CustomObject' && /__(c|mdt)$/.test(c.fullName)) {
    const info = p.data as unknown as CustomObjectInfo;
    registerObject(
      db,
      orgId,
      c.fullName,
      info.fields.map((f) => ({ name: f.name, type: FIELD_TYPES[f.type ?? ''] ?? 'string', referenceTo: f.referenceTo })),
    );
  }
}
