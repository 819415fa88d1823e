import { randomBytes } from 'node:crypto';
import { idSuffix } from '../core/idChecksum.ts';

/**
 * Salesforce record Ids: 15 case-sensitive characters plus a 3-character suffix that makes the
 * 18-character form case-insensitive. Tools (sf CLI, jsforce) compare and trim these, so the
 * suffix must be the real checksum, not random text.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Key prefixes of the objects this platform stores; custom objects get a prefix from their name (keyPrefixFor). */
export const KEY_PREFIXES: Record<string, string> = {
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  Lead: '00Q',
  Case: '500',
  Campaign: '701',
  Task: '00T',
  User: '005',
  Profile: '00e',
  UserLogin: '060',
  Organization: '00D',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  PermissionSetLicense: '0PL',
  PermissionSetLicenseAssign: '2LA',
  ScratchOrgInfo: '2SR',
  ActiveScratchOrg: '2AS',
  ApexClass: '01p',
  Certificate: '0P1',
  RemoteProxy: '0rp',
  NamedCredential: '0XA',
  ConnectedApplication: '0H4',
  ExternalClientApplication: '0xI',
  PlatformCachePartition: '0Ev',
  ObjectPermissions: '110',
  CaseComment: '00a',
  FieldPermissions: '01k',
  Product2: '01t',
  Pricebook2: '01s',
  PricebookEntry: '01u',
  OpportunityLineItem: '00k',
  // setupObjects.ts (SOAP API Developer Guide, "Standard Field Record ID Prefix Decoder")
  RecordType: '012',
  // orgContentObjects.ts (same decoder)
  Document: '015',
  Folder: '00l',
  Report: '00O',
  ApexPage: '066',
  EntitySubscription: '0E8',
  CampaignMember: '00v',
  CampaignMemberStatus: '01Y',
  Attachment: '00P',
  Note: '002',
  FeedItem: '0D5',
  Group: '00G',
  GroupMember: '011',
  UserRole: '00E',
  Event: '00U',
  ContentVersion: '068',
  ContentDocument: '069',
  ContentDocumentLink: '06A',
  StaticResource: '081',
  UserLicense: '100',
  AsyncApexJob: '707',
  CronTrigger: '08e',
  CronJobDetail: '0Ys',
  Asset: '02i',
  EmailMessage: '02s',
  BusinessHours: '01m',
  CustomPermission: '0CP',
  ProcessInstance: '04g',
  ProcessInstanceWorkitem: '04i',
  WorkOrder: '0WO',
  QuickText: '574',
  AuthSession: '0Ak',
  LoginHistory: '0Ya',
};

export { idSuffix };

export function to18(id: string): string {
  return id.length === 15 ? id + idSuffix(id) : id;
}

export function to15(id: string): string {
  return id.length === 18 ? id.slice(0, 15) : id;
}

/** True for a well-formed 15- or 18-character Id whose suffix (if any) matches. */
export function isValidId(id: string): boolean {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id)) return false;
  return id.length === 15 || idSuffix(id.slice(0, 15)) === id.slice(15);
}

export function keyPrefixFor(sobject: string): string {
  if (KEY_PREFIXES[sobject]) return KEY_PREFIXES[sobject];
  // Custom objects: 'a' ('m' for custom metadata) plus two base62 characters from the name, so each
  // object has its own prefix and Id.getSObjectType can tell them apart (as Salesforce's a0X… prefixes do).
  let h = 0;
  for (const c of sobject.toLowerCase()) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return (sobject.endsWith('__mdt') ? 'm' : 'a') + BASE62.charAt(h % 62) + BASE62.charAt(Math.floor(h / 62) % 62);
}

/** A new 18-character Id: prefix, pod "0L", then random base62. */
// Random bytes drawn 4 KB at a time: a randomBytes call per Id showed in the Apex tests' profile.
let pool = Buffer.alloc(0);
let poolAt = 0;

export function newId(sobject: string): string {
  if (poolAt + 10 > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  let body = '';
  for (let i = 0; i < 10; i++) body += BASE62.charAt(pool[poolAt++]! % 62);
  return to18(keyPrefixFor(sobject) + '0L' + body);
}

/** Case-insensitive Id equality (15 vs 18 characters). */
export function sameId(a: string, b: string): boolean {
  return to15(a) === to15(b);
}
