/**
 * An org on the platform's own data engine (tools/data) in an in-memory SQLite database: the org row,
 * its standard profiles, licences and admin user as a scratch org gets them (devhub/orgs.ts), the
 * project's classes, triggers, custom objects, labels, certificates and cache partitions served the way
 * the Metadata module serves deployed ones, and the platform's ApexHost over it. The Apex tests and
 * `npm run apex-test` run here, so they exercise the SOQL and DML the platform runs.
 */
import type { DatabaseSync } from 'node:sqlite';
import type {
  ApexClassSource,
  ApexHost,
  ApexTriggerSource,
  FeatureParameterSource,
  HttpCallout,
  HttpCalloutResult,
} from '../../apex/host.ts';
import type { SchemaField, SchemaObject } from '../../apex/describe.ts';
import type { AppSource, TabSource } from '../../apex/tabs.ts';
import type { MetadataModule, PermissionSetInfo } from '../http/contracts.ts';
import { createRecordStore, insertRecord, openMemoryDatabase, tx, type StoredOrg } from '../../data/store.ts';
import { registerObject, setCustomObjectSource } from '../../data/schema.ts';
import { setMetadataModule } from '../../data/access.ts';
import { createOrg } from '../devhub/orgs.ts';
import { createApexHost } from './apexHost.ts';

export interface MemoryOrgOptions {
  /** The running user (the org's admin): username, name, email. */
  user?: { username?: string; firstName?: string; lastName?: string; email?: string };
  classes?: ApexClassSource[];
  triggers?: ApexTriggerSource[];
  /** Custom objects, and custom fields of standard objects, as the project's metadata describes them. */
  objects?: SchemaObject[];
  /** certificate developer name → PEM private key */
  certificates?: Record<string, string>;
  /** Capacity of partition-less (default partition) keys, in MB. */
  cacheCapacityMb?: number;
  /** Deployed cache partitions: name (without `local.`) → org capacity in MB. */
  cachePartitions?: Record<string, number>;
  /** Deployed cache partitions: name → session capacity in MB. */
  sessionPartitions?: Record<string, number>;
  /** Custom labels: full name → value (System.Label). */
  labels?: Record<string, string>;
  /** Feature parameters of the project's package (FeatureManagement). */
  featureParameters?: FeatureParameterSource[];
  /** Apps and custom tabs (Schema.describeTabs). */
  apps?: { apps: AppSource[]; tabs: TabSource[] };
  /** Deployed permission sets, as the Metadata module would report them. */
  permissionSets?: PermissionSetInfo[];
  /** Remote Site Settings: real HTTP callouts go only to these, as on the platform. */
  remoteSites?: { url: string; isActive?: boolean }[];
  /** Answers callouts in place of the network (and of the Remote Site check). */
  callout?: (req: HttpCallout) => Promise<HttpCalloutResult>;
}

export interface MemoryOrg {
  db: DatabaseSync;
  org: StoredOrg;
  /** The admin user the host runs as. */
  userId: string;
  host: ApexHost;
  classes: ApexClassSource[];
  /** Writes rows as the platform writes its own (trusted: system fields and Ids allowed); returns their Ids. */
  seed(sobject: string, rows: Record<string, unknown>[]): string[];
}

/** Metadata type names of the describe types a project's fields carry (tools/apex/projectObjects.ts). */
const METADATA_TYPE: Record<string, string> = {
  boolean: 'Checkbox',
  double: 'Number',
  percent: 'Percent',
  currency: 'Currency',
  date: 'Date',
  datetime: 'DateTime',
  email: 'Email',
  phone: 'Phone',
  url: 'Url',
  picklist: 'Picklist',
  reference: 'Lookup',
  textarea: 'TextArea',
};

function deployedField(x: SchemaField): {
  name: string;
  type: string;
  length?: number;
  referenceTo?: string;
  relationshipName?: string;
  required?: boolean;
  describe: Record<string, unknown>;
} {
  const type = x.type === 'textarea' && (x.length ?? 0) > 255 ? 'LongTextArea' : (METADATA_TYPE[x.type] ?? 'Text');
  const referenceTo = Array.isArray(x.referenceTo) ? x.referenceTo[0] : x.referenceTo;
  const { name: _n, ...describe } = x;
  return { name: x.name, type, length: x.length, referenceTo, relationshipName: x.childRelationshipName, required: x.required, describe };
}

function lookup<T>(map: Record<string, T>, name: string | undefined): T | undefined {
  if (name === undefined) return undefined;
  const key = Object.keys(map).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : map[key];
}

export function createMemoryOrg(o: MemoryOrgOptions = {}): MemoryOrg {
  const db = openMemoryDatabase();
  const username = o.user?.username ?? `admin@${Math.random().toString(36).slice(2, 10)}.local.test`;
  const { org, adminId } = createOrg(db, {
    name: 'Local Org',
    kind: 'scratch',
    port: 6100,
    edition: 'Developer',
    settings: { platformCache: { orgCapacityMb: o.cacheCapacityMb ?? 0 } },
    admin: { username, email: o.user?.email ?? username, firstName: o.user?.firstName ?? 'Local', lastName: o.user?.lastName ?? 'Admin' },
  });
  const classes = o.classes ?? [];
  const triggers = o.triggers ?? [];
  const objects = new Map((o.objects ?? []).map((x) => [x.name.toLowerCase(), x]));
  const partitions = o.cachePartitions ?? {};
  const sessions = o.sessionPartitions ?? {};
  const labels = o.labels ?? {};
  const permissionSets = o.permissionSets ?? [];
  const metadata: MetadataModule = {
    listApexClasses: () => classes,
    listApexTriggers: () => triggers,
    findCertificate: (_db, _org, name) => {
      const pem = lookup(o.certificates ?? {}, name);
      return pem ? { certificatePem: '', privateKeyPem: pem } : undefined;
    },
    findCachePartition: (_db, _org, name) => {
      if (!name)
        return (o.cacheCapacityMb ?? 0) > 0 ? { name: 'default', isDefault: true, orgCapacityMb: o.cacheCapacityMb ?? 0 } : undefined;
      const org = lookup(partitions, name);
      const session = lookup(sessions, name);
      return org === undefined && session === undefined
        ? undefined
        : { name, isDefault: false, orgCapacityMb: org ?? 0, sessionCapacityMb: session ?? 0 };
    },
    findCustomLabel: (_db, _org, name) => lookup(labels, name),
    listApps: () => o.apps ?? { apps: [], tabs: [] },
    listFeatureParameters: () => o.featureParameters ?? [],
    findRemoteSites: () => (o.remoteSites ?? []).map((s, i) => ({ name: `Site${i + 1}`, url: s.url, isActive: s.isActive ?? true })),
    findPermissionSet: (_db, _org, name) => permissionSets.find((p) => p.name.toLowerCase() === name.toLowerCase()),
    getCustomObject: (_db, _org, name) => {
      const def = objects.get(name.toLowerCase());
      if (!def) return undefined;
      const customSettingsType = def.customSetting ? (def.fields.some((x) => x.name === 'SetupOwnerId') ? 'Hierarchy' : 'List') : undefined;
      const describe = { labelPlural: def.labelPlural, customSetting: def.customSetting, publishBehavior: def.publishBehavior };
      return {
        name: def.name,
        label: def.label,
        customSettingsType,
        describe,
        fieldSets: def.fieldSets,
        fields: def.fields.filter((x) => !x.system).map(deployedField),
      };
    },
  };
  setCustomObjectSource(metadata.getCustomObject, db);
  setMetadataModule(metadata, db);
  tx(db, () => {
    for (const def of objects.values()) if (/__(c|mdt)$/i.test(def.name)) registerObject(db, org.id, def.name, []);
    for (const c of classes)
      insertRecord(
        db,
        org.id,
        'ApexClass',
        {
          Name: c.name,
          Body: c.body,
          ApiVersion: 65.0,
          Status: 'Active',
          IsValid: true,
          NamespacePrefix: null,
          LengthWithoutComments: c.body.length,
        },
        { trusted: true },
      );
    for (const t of triggers)
      insertRecord(
        db,
        org.id,
        'ApexTrigger',
        {
          Name: t.name,
          Body: t.body,
          ApiVersion: 65.0,
          Status: t.status ?? 'Active',
          IsValid: true,
          NamespacePrefix: null,
          LengthWithoutComments: t.body.length,
        },
        { trusted: true },
      );
  });
  const host = createApexHost({ db, org, userId: adminId, metadata, records: createRecordStore(db), callout: o.callout });
  const seed = (sobject: string, rows: Record<string, unknown>[]) =>
    tx(db, () => rows.map((r) => insertRecord(db, org.id, sobject, r, { trusted: true, userId: adminId })));
  return { db, org, userId: adminId, host, classes, seed };
}
