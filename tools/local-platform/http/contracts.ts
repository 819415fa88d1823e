/**
 * Seams between the parts of the local platform, so each can be built and tested on its own:
 * - the server and store (tools/local-platform/*) own orgs, users, sObject records, OAuth and REST;
 * - the Metadata API (tools/local-platform/metadata/) owns deployed components and their lookups;
 * - the Apex routes (tools/local-platform/apex/) run Apex through tools/apex.
 * Change a signature here only together with every implementer.
 */
import type { AppSource, TabSource } from '../../apex/tabs.ts';
import type { DatabaseSync } from 'node:sqlite';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApexHost, FeatureParameterSource } from '../../apex/host.ts';
import type { OrgInfo, PermissionSetInfo, RecordStore } from '../../data/types.ts';

export type { OrgInfo, PermissionSetInfo, RecordStore };

export interface RequestContext {
  db: DatabaseSync;
  org: OrgInfo;
  records: RecordStore;
  /** The authenticated user of the request (Bearer token / SOAP sessionId), if any. */
  userId?: string;
  /** Builds the Apex host for a user of this org (the runtime's window on the org). */
  apexHost(userId: string): ApexHost;
  /**
   * Runs an entry point of tools/apex/index.ts (`executeAnonymous`, `runApexRest`, `runTests`, …: any
   * export taking the host first) for a user of this org on an Apex worker thread, so a runaway
   * transaction cannot stall the server. Arguments and result must be structured-cloneable. Absent
   * when the platform runs Apex in-process.
   */
  runApex?<T>(entry: string, userId: string, args: unknown[]): Promise<T>;
  /** Tells the platform a deploy changed these component types of this org (it readies their Apex and tab bundles). */
  deployed?(types: string[]): void;
}

/** Each part mounts one handler; it returns false for requests that are not its own. */
export type RouteHandler = (ctx: RequestContext, req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean>;

/** What the OAuth token endpoint needs to know about a deployed External Client App or Connected App. */
export interface OAuthApp {
  kind: 'ExternalClientApplication' | 'ConnectedApp';
  name: string;
  consumerKey: string;
  /** PEM certificate that JWT bearer assertions must verify against; undefined = no JWT flow. */
  certificatePem?: string;
  adminApproved: boolean;
  profiles: string[];
  permissionSets: string[];
  /** When the app was (re)deployed, for the propagation-delay setting. */
  deployedAt: number;
  sessionTimeoutMinutes?: number;
}

/**
 * What this server expects from its neighbours. The Metadata module (./metadata/index.ts) is expected to
 * export any of:
 *   metadataRoutes: RouteHandler                                   — /services/Soap/m/*, /services/data/vXX/tooling/* it owns, keystore import
 *   findOAuthApp(db, orgId, consumerKey): OAuthApp | undefined      — deployed ECAs / Connected Apps
 *   findPermissionSet(db, orgId, name): PermissionSetInfo | undefined
 *   findRemoteSites(db, orgId): { name: string; url: string; isActive: boolean; disableProtocolSecurity: boolean }[]
 *   findNamedCredential(db, orgId, name): { name: string; endpoint: string } | undefined
 *   findCertificate(db, orgId, devName): { certificatePem: string; privateKeyPem: string } | undefined
 *   findCachePartition(db, orgId, name?): { name: string; isDefault: boolean; orgCapacityMb: number } | undefined
 *   listApexClasses(db, orgId): { name, body }[]                    — deployed Apex sources
 *   listApexTriggers(db, orgId): { name, body, status }[]           — deployed Apex triggers
 *   getSettings(db, orgId, 'Security'): deployed *Settings values    — e.g. the session timeout
 *   getCustomObject(db, orgId, name): { name, label, fields[] }      — deployed custom objects / __mdt types
 *   findCustomLabel(db, orgId, name): string | undefined             — custom labels (System.Label)
 * The Apex module (./apex/index.ts) is expected to export `apexRoutes: RouteHandler`.
 */
export interface MetadataModule {
  metadataRoutes?: RouteHandler;
  findOAuthApp?(db: DatabaseSync, orgId: string, consumerKey: string): OAuthApp | undefined;
  findPermissionSet?(db: DatabaseSync, orgId: string, name: string): PermissionSetInfo | undefined;
  findRemoteSites?(db: DatabaseSync, orgId: string): { name: string; url: string; isActive: boolean; disableProtocolSecurity?: boolean }[];
  findNamedCredential?(db: DatabaseSync, orgId: string, name: string): { name: string; endpoint: string } | undefined;
  findCertificate?(db: DatabaseSync, orgId: string, devName: string): { certificatePem: string; privateKeyPem: string } | undefined;
  findCachePartition?(
    db: DatabaseSync,
    orgId: string,
    name?: string,
  ): { name: string; isDefault: boolean; orgCapacityMb: number; sessionCapacityMb?: number } | undefined;
  listApexClasses?(db: DatabaseSync, orgId: string): { name: string; body: string }[];
  listApexTriggers?(db: DatabaseSync, orgId: string): { name: string; body: string; status?: 'Active' | 'Inactive' }[];
  getSettings?(db: DatabaseSync, orgId: string, name: string): Record<string, unknown> | undefined;
  /** The apps and custom tabs the org's metadata deploys (Schema.describeTabs). */
  listApps?(db: DatabaseSync, orgId: string): { apps: AppSource[]; tabs: TabSource[] };
  /** The feature parameters the org's metadata deploys (FeatureManagement). */
  listFeatureParameters?(db: DatabaseSync, orgId: string): FeatureParameterSource[];
  /** A custom label's value (System.Label): the in-memory org serves the project's labels. */
  findCustomLabel?(db: DatabaseSync, orgId: string, name: string): string | undefined;
  getCustomObject?(
    db: DatabaseSync,
    orgId: string,
    name: string,
  ):
    | {
        name: string;
        label?: string;
        fields: { name: string; type?: string; referenceTo?: string; relationshipName?: string; required?: boolean }[];
      }
    | undefined;
}

export interface ApexModule {
  apexRoutes?: RouteHandler;
}

export interface Neighbours {
  metadata: MetadataModule;
  apex: ApexModule;
  /** Kept for the log line server.ts writes; static imports leave it empty. */
  problems: string[];
}
