/**
 * What the Apex runtime needs from the org it runs in. The local platform implements this for each
 * org; the runtime never reaches the store directly, so it can be tested with a small in-memory host.
 * Every call that may touch the network or disk is async.
 */

/** A record as Salesforce serializes it: fields plus `attributes: { type, url? }`. */
export type SObjectRecord = Record<string, unknown> & { attributes?: { type: string; url?: string } };

export interface ApexUser {
  id: string;
  username: string;
  name: string;
  email: string;
  profileName: string;
  /** The user's profile (UserInfo.getProfileId); every Salesforce user has one. */
  profileId?: string;
  orgId: string;
}

export interface QueryOptions {
  /** `WITH USER_MODE` (or AccessLevel.USER_MODE): object and field permissions of the running user apply. */
  userMode: boolean;
  /** Values for `:name` bind expressions, already evaluated by the runtime. */
  binds: Record<string, unknown>;
  /**
   * Test isolation (Apex guide, "Isolation of Test Data from Organization Data in Unit Tests"): the query's
   * own rows are only these Ids, the records the test made. Set by the runtime for every query of a
   * data-siloed test, static or dynamic; child subqueries and parents are not restricted by it.
   */
  onlyIds?: string[];
}

export interface HttpCallout {
  method: string;
  endpoint: string;
  headers: Record<string, string>;
  body: string | Buffer;
  timeoutMs: number;
}

export interface HttpCalloutResult {
  statusCode: number;
  status: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ApexClassSource {
  name: string;
  body: string;
}

export interface ApexTriggerSource {
  name: string;
  body: string;
  /** `Inactive` triggers are deployed but never fire. */
  status?: 'Active' | 'Inactive';
}

/** A picklist value as describe returns it. */
export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

/** One field as describe shows it to the running user (REST describe's names and types). */
export interface FieldDescribe {
  name: string;
  label: string;
  /** REST describe type: id, string, textarea, boolean, int, double, currency, percent, date, datetime, reference, email, phone, url, picklist, multipicklist, … */
  type: string;
  length: number;
  precision: number;
  scale: number;
  digits: number;
  /** Field-level security of the running user. */
  accessible: boolean;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  custom: boolean;
  autoNumber: boolean;
  calculated: boolean;
  /** A formula field's formula (describe's `calculatedFormula`); absent for other fields. */
  calculatedFormula?: string | null;
  /** A number formula treats a blank field as zero (describe's `formulaTreatNullNumberAsZero`). */
  formulaTreatNullNumberAsZero?: boolean;
  unique: boolean;
  externalId: boolean;
  idLookup: boolean;
  nameField: boolean;
  defaultedOnCreate: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  cascadeDelete: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  picklistValues: PicklistValue[];
  defaultValue: string | null;
  inlineHelpText: string | null;
}

/**
 * A field set of an object as its metadata declares it (FieldSet: `displayedFields`, in order); the
 * runtime describes each member's field (Apex Reference, "FieldSet Class", "FieldSetMember Class").
 */
export interface FieldSetDescribe {
  name: string;
  label: string;
  description: string | null;
  /** Field paths as written (`Account__c`, `Account.Name`), with the field set's own `isRequired`. */
  fields: { field: string; required: boolean }[];
}

/** A tab of an app as describeTabs shows it (SOAP API, "DescribeTab"). */
export interface TabDescribe {
  label: string;
  /** The object of an object tab, null for other tabs. */
  sobjectName: string | null;
  url: string;
  custom: boolean;
  iconUrl: string | null;
  miniIconUrl: string | null;
  icons: { url: string; theme: string; width: number; height: number; contentType: string }[];
  colors: { color: string; context: string; theme: string }[];
}

/** An app and its tabs as describeTabs shows it (SOAP API, "DescribeTabSetResult"). */
export interface TabSetDescribe {
  label: string;
  description: string | null;
  namespace: string | null;
  logoUrl: string;
  selected: boolean;
  tabs: TabDescribe[];
}

/** A feature parameter the org's package declares (FeatureParameterBoolean, …Date, …Integer) with its default value. */
export interface FeatureParameterSource {
  name: string;
  type: 'Boolean' | 'Date' | 'Integer';
  value: string | null;
}

/** One object as describe shows it to the running user. */
export interface SObjectDescribe {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string | null;
  custom: boolean;
  customSetting: boolean;
  /** A platform event's publish behavior, when its metadata gives one (`PublishImmediately`, `PublishAfterCommit`). */
  publishBehavior?: string;
  /** Object permissions of the running user. */
  accessible: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  undeletable: boolean;
  queryable: boolean;
  searchable: boolean;
  fields: FieldDescribe[];
  /** The object's field sets (absent: none deployed). */
  fieldSets?: FieldSetDescribe[];
  childRelationships: { childSObject: string; field: string; relationshipName: string | null; cascadeDelete: boolean }[];
  /** Master and the object's record types (REST describe's recordTypeInfos); absent: Master alone. */
  recordTypeInfos?: RecordTypeInfo[];
}

/** A record type as describe reports it to the running user (Schema.RecordTypeInfo). */
export interface RecordTypeInfo {
  recordTypeId: string;
  name: string;
  developerName: string;
  active: boolean;
  available: boolean;
  defaultRecordTypeMapping: boolean;
  master: boolean;
}

export interface ApexHost {
  readonly orgId: string;
  /** Instance URL of this org, e.g. http://127.0.0.1:6101 */
  readonly instanceUrl: string;
  readonly user: ApexUser;

  /** Deployed Apex classes of the org (for compilation and type lookup). */
  listClasses(): Promise<ApexClassSource[]>;

  /** Runs SOQL (including custom metadata types, `__mdt`) and returns records in Salesforce JSON shape. */
  query(soql: string, options: QueryOptions): Promise<SObjectRecord[]>;
  insert(records: SObjectRecord[], options: { userMode: boolean }): Promise<string[]>;
  update(records: SObjectRecord[], options: { userMode: boolean }): Promise<void>;
  /** Deleted records go to the recycle bin (IsDeleted = true, visible to `ALL ROWS`). */
  delete(ids: string[], options: { userMode: boolean }): Promise<void>;
  /**
   * Optional: brings records back from the recycle bin (`undelete`, Database.undelete). Fails with
   * code UNDELETE_FAILED "Entity is not in the recycle bin" for a live record.
   */
  undelete?(ids: string[], options: { userMode: boolean }): Promise<void>;
  /**
   * Optional: removes records from the recycle bin for good (Database.emptyRecycleBin); per Id, whether it
   * was there. Undone with the transaction like any DML.
   */
  emptyRecycleBin?(ids: string[]): Promise<boolean[]>;
  /**
   * Optional: whole records by Id (all fields, `attributes.type` set), from the recycle bin when
   * `deleted`; unknown Ids are left out. Triggers read Trigger.old and undeleted rows with it; a
   * host without it runs no update/delete/undelete triggers.
   */
  retrieve?(ids: string[], options?: { deleted?: boolean }): Promise<SObjectRecord[]>;
  /**
   * Optional: rows the platform keeps itself as Apex runs (AsyncApexJob, CronTrigger, CronJobDetail): each
   * inserted with its given Id, or updated when a row has that Id; system fields allowed; no triggers and no
   * access checks; undone with the transaction. A host without it keeps no such rows.
   */
  writeSystemRecords?(records: SObjectRecord[]): Promise<void>;
  /** Optional: the org's Apex triggers (`.trigger` sources); a host without it has none. */
  listTriggers?(): Promise<ApexTriggerSource[]>;

  /**
   * Real HTTP. The host enforces Remote Site Settings and throws the Salesforce message
   * `Unauthorized endpoint, please check Setup->Security->Remote site settings. endpoint = <url>`.
   * `callout:Name/path` endpoints are resolved by the host from Named Credentials.
   */
  callout(request: HttpCallout): Promise<HttpCalloutResult>;

  /** Signs with the private key of the org's certificate `certDevName` (Crypto.signWithCertificate). */
  signWithCertificate(algorithm: string, data: Buffer, certDevName: string): Promise<Buffer>;

  /** Platform Cache, org partition. `partition` is `local.Name` or undefined for the default. */
  cacheGet(key: string): Promise<unknown | undefined>;
  cachePut(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  cacheRemove(key: string): Promise<boolean>;
  /** Optional: every live org cache key, fully qualified (`local.Partition.key`) or bare (Cache.Org getKeys). */
  cacheKeys?(): Promise<string[]>;
  /**
   * Capacity in MB of the org cache partition. A partition that exists with 0 MB makes the cache
   * operations do nothing, without error (Apex Developer Guide, "Platform Cache Partitions").
   */
  cacheCapacityMb(partition?: string): Promise<number>;
  /**
   * Optional: whether the org has this partition (the default partition when undefined). Salesforce
   * throws Cache.Org.OrgCacheException for "a partition that doesn't exist" (Apex Reference, "Cache
   * Exceptions"). A host without it counts a partition of 0 MB as missing.
   */
  cachePartitionExists?(partition?: string): Promise<boolean>;
  /** Optional: session cache capacity in MB of a partition (default partition when undefined); absent means 0. */
  sessionCacheCapacityMb?(partition?: string): Promise<number>;

  /** Optional: the value of a custom label (`System.Label.Name`), undefined when the org has no such label. */
  customLabel?(name: string): Promise<string | undefined>;

  /**
   * Optional (added by the Apex runtime for System.runAs): a host for another user of the same org,
   * sharing this host's transaction. Hosts without it run the runAs block as the current user.
   */
  withUser?(user: { id?: string; username?: string }): Promise<ApexHost>;

  /**
   * Optional: may the running user invoke this Apex class as an entry point (Apex REST)? Profiles and
   * permission sets grant it (`classAccesses`). Hosts without it allow every class.
   */
  canAccessClass?(className: string): Promise<boolean>;

  /**
   * Optional: describe of an object as the host's user sees it (Schema describe, Security.stripInaccessible);
   * undefined for an object the org does not have. Hosts without it make describe calls fail as unsupported.
   */
  describeSObject?(name: string): Promise<SObjectDescribe | undefined>;
  /** The apps and tabs the running user sees (Schema.describeTabs). */
  describeTabs?(): Promise<TabSetDescribe[]>;
  /** The feature parameters of the org's package (FeatureManagement.checkPackage…Value). */
  featureParameters?(): Promise<FeatureParameterSource[]>;
  /** Optional: every object of the org with its key prefix (Schema.getGlobalDescribe, Id.getSObjectType). */
  describeGlobal?(): Promise<{ name: string; keyPrefix: string | null }[]>;

  /** Transaction boundaries: the runtime calls these around each request, test method and anonymous block. */
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}
