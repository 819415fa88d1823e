import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { OrgInfo, RecordStore, RequestContext, RouteHandler } from './contracts.ts';
import { createRecordStore, getDevHub, getOrg, listOrgs, openDatabase, tx, type StoredOrg } from '../../data/store.ts';
import { createOrg } from '../devhub/orgs.ts';
import { generateSelfSigned, newConsumerKey, writeKeyFiles } from '../devhub/cliApp.ts';
import { insertApp, oauthRoutes, type OAuthSettings } from '../oauth/oauth.ts';
import { dataRoutes, toolingRoutes } from '../data/rest.ts';
import { deleteScratchOrg, expireScratchOrgs, hubLimits, signUpScratchOrg, type ScratchLimits, type SignupDeps } from '../devhub/devhub.ts';
import { loadNeighbours } from './neighbours.ts';
import type { Neighbours } from './contracts.ts';
import { setCustomObjectSource } from '../../data/schema.ts';
import { setMetadataModule, ADMIN_PROFILE, apiDisabled, hasUserPermission } from '../../data/access.ts';
import { lookupToken } from '../oauth/tokens.ts';
import { signInBlock } from '../oauth/signIn.ts';
import { safeLog } from './lineLog.ts';
import { ApiError, invalidSession, notFound } from './errors.ts';
import { DOCTYPE_REFUSED, hasDoctype, sendApiError, sendJson, sendSoapFault } from './http.ts';
import { createApexHost } from '../apex/apexHost.ts';
import { lightningRoutes } from '../lightning/index.ts';
import { BundleCompiler, defaultBundleCache } from '../lightning/bundleCompiler.ts';
import { recoverApexTransactions } from '../apex/apexJournal.ts';
import { ApexPool } from '../apex/apexPool.ts';
import { DEFAULT_PORT, DEVHUB_ADMIN, defaultHome } from '../process/defaults.ts';
import { clearSimulationChanges, readSimulationChanges, simulationAtStart, type Simulation } from '../process/simulation.ts';

/**
 * The local Salesforce platform: one process, one SQLite file, one loopback HTTP listener per org
 * (the Dev Hub on its configured port, each scratch org on a port allocated at signup and reopened
 * after a restart). Requests pass through a small route registry: OAuth, the REST data API, then
 * the Metadata and Apex modules' handlers, then a Salesforce-shaped 404.
 */
export { DEFAULT_PORT, DEVHUB_ADMIN, defaultHome };
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

/**
 * The largest request body each route reads. Metadata deploys (SOAP or REST) and the data API keep the
 * platform-wide 50 MB; the others are far smaller, so an unauthenticated or mistaken upload cannot hold
 * memory. Unverified: Salesforce documents no per-route limits for these; 6 MB is Apex's synchronous heap
 * (Apex Developer Guide, "Execution Governors and Limits"), which an Apex REST body must fit in.
 */
export function bodyLimit(path: string): number {
  const MB = 1024 * 1024;
  if (path.startsWith('/services/Soap/') || path.startsWith('/services/data/')) return MAX_BODY_BYTES;
  if (path.startsWith('/services/apexrest')) return 6 * MB;
  if (path === '/aura') return 4 * MB;
  return 1 * MB;
}

export interface PlatformOptions {
  /** State folder; default env LOCAL_SF_HOME or <cwd>/.local/platform. */
  home?: string;
  /** Dev Hub port; default env LOCAL_SF_PORT or 6100; 0 picks a free port (tests). */
  port?: number;
  /** Seconds a newly deployed app stays "unreplicated"; default env LOCAL_SF_PROPAGATION_SECONDS or 0. */
  propagationSeconds?: number;
  /** How long a scratch org sign-up takes (LOCAL_SF_SIGNUP_SECONDS), as Salesforce's take minutes. */
  signupSeconds?: number;
  limits?: Partial<ScratchLimits>;
  /** Extra handlers tried before the neighbours' (tests, future parts). */
  routes?: { name: string; handler: RouteHandler }[];
  log?: (line: string) => void;
  /** Log one line per request (method, path without query, status, ms) through `log`. */
  logRequests?: boolean;
  /** Run Apex on worker threads (default; env LOCAL_SF_APEX_WORKERS=0 runs it on the server's event loop). */
  apexWorkers?: boolean;
  /** Apex workers started with the platform (default 2: an A → B callout needs two at once). */
  warmApexWorkers?: number;
  /** Apex workers keep the programs of the orgs in use compiled, recompiling after each Apex deploy (the background server does). */
  readyAhead?: boolean;
  /** Compile an org's LWC tabs as soon as a deploy changes them (the background server does; env LOCAL_SF_PRECOMPILE_TABS=0 stops it). */
  precompileTabs?: boolean;
  /** Folder of compiled LWC bundles, shared by platform homes; default env LOCAL_SF_BUNDLE_CACHE or node_modules/.cache/local-sf-lightning (<home>/lightning if node_modules is read-only). */
  bundleCache?: string;
}

export interface CliAppInfo {
  clientId: string;
  keyPath: string;
  certPath: string;
}

export interface RunningPlatform {
  home: string;
  url: string;
  devHub: OrgInfo;
  adminUsername: string;
  cliApp: CliAppInfo;
  db: DatabaseSync;
  records: RecordStore;
  /** Delays and allocations as started; in-process tests may change them (simulation.ts). */
  settings: Simulation;
  /** Orgs with an open listener (Dev Hub first). */
  orgs(): StoredOrg[];
  /** Handlers in the order they are tried, with where each came from. */
  routeNames(): string[];
  /** Apex worker threads running a transaction right now. */
  apexBusy(): number;
  /** Deletes scratch orgs past their expiration date now (also runs at start and every minute). */
  expireScratchOrgs(): Promise<number>;
  close(): Promise<void>;
}

/** SQLITE_FULL (13) or ENOSPC: a full disk, or the page limit a test sets to stand for one. */
export function isDiskFull(e: unknown): boolean {
  const err = e as { errcode?: number; code?: string; message?: string } | undefined;
  return (
    (err?.errcode !== undefined && (err.errcode & 0xff) === 13) ||
    err?.code === 'ENOSPC' ||
    /database or disk is full/i.test(err?.message ?? '')
  );
}

/** A request's path without its query string (which may hold a login token, a token to revoke or data). */
const path0 = (req: IncomingMessage): string => (req.url ?? '').split('?')[0];

/** The kind of the Dev Hub's CLI app at bootstrap (LOCAL_SF_DEVHUB_APP); anything else is refused by name. */
function devHubAppKind(): 'ConnectedApp' | 'ExternalClientApplication' {
  const v = process.env.LOCAL_SF_DEVHUB_APP || 'ConnectedApp';
  if (v === 'ConnectedApp' || v === 'ExternalClientApplication') return v;
  throw new Error(`LOCAL_SF_DEVHUB_APP must be ConnectedApp or ExternalClientApplication, not '${v}'.`);
}

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
  return n;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

function notSupported(what: string, soap: boolean, res: ServerResponse): void {
  const message = `${what} is not supported yet by the local platform`;
  if (soap) {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>sf:UNSUPPORTED_API_VERSION</faultcode><faultstring>UNSUPPORTED: ${message}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
    res.writeHead(500, { 'Content-Type': 'text/xml;charset=UTF-8' }).end(xml);
    return;
  }
  sendJson(res, 501, [{ message, errorCode: 'NOT_SUPPORTED' }]);
}

/** Deployed types a compiled tab bundle is made of (its components, the tab naming one, the labels they import). */
const LIGHTNING_TYPES = new Set(['LightningComponentBundle', 'CustomTab', 'FlexiPage', 'CustomLabels', 'CustomLabel']);

const SOAP_SESSION = /<(?:\w+:)?sessionId>([^<]+)<\/(?:\w+:)?sessionId>/;

/** Starts the platform in this process (the CLI's background server and tests both use this). */
export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  const home = resolve(options.home ?? defaultHome());
  const log = safeLog(options.log ?? (() => {}));
  const db = openDatabase(home);
  // Apex transactions a dead process left open are undone before anything else runs (apexJournal.ts).
  const undone = recoverApexTransactions(db);
  if (undone) log(`undid ${undone} write(s) of Apex transactions left open by a stopped process`);
  const records = createRecordStore(db);
  const neighbours: Neighbours = await loadNeighbours();
  for (const p of neighbours.problems) log(`neighbour module failed to load: ${p}`);
  setMetadataModule(neighbours.metadata);
  setCustomObjectSource(neighbours.metadata.getCustomObject?.bind(neighbours.metadata));
  (neighbours.metadata as { ensureMetadataSchema?: (db: DatabaseSync) => void }).ensureMetadataSchema?.(db);
  // Delays and allocations: from options and the environment now; changes made while running come from the meta table.
  clearSimulationChanges(db);
  const settings: Simulation = simulationAtStart({
    propagationSeconds: options.propagationSeconds,
    signupSeconds: options.signupSeconds,
    maxActive: options.limits?.maxActive,
    maxDaily: options.limits?.maxDaily,
  });
  const simulation = (): Simulation => ({ ...settings, ...readSimulationChanges(db) });
  const limits = (): ScratchLimits => {
    const s = simulation();
    return { maxActive: s.maxActive, maxDaily: s.maxDaily };
  };
  /** Token requests each app has refused while propagating (LOCAL_SF_PROPAGATION_REQUESTS). */
  const propagationRefusals = new Map<string, number>();
  const servers = new Map<string, Server>();
  const apexPool =
    (options.apexWorkers ?? process.env.LOCAL_SF_APEX_WORKERS !== '0') ? new ApexPool(home, db, log, 8, options.readyAhead) : undefined;
  apexPool?.warm(options.warmApexWorkers ?? 2);
  const bundles = new BundleCompiler(options.bundleCache ?? process.env.LOCAL_SF_BUNDLE_CACHE ?? defaultBundleCache(home), log);
  /** After a deploy: ready the org's Apex in every worker and its tabs' bundles, before anyone asks for them. */
  const deployed = (orgId: string, types: string[]) => {
    if (types.some((t) => t === 'ApexClass' || t === 'ApexTrigger')) apexPool?.preload(orgId);
    if (options.precompileTabs && types.some((t) => LIGHTNING_TYPES.has(t))) bundles.precompileTabs(db, orgId);
  };
  const oauthSettings = (): OAuthSettings => {
    const s = simulation();
    return {
      propagationSeconds: s.propagationSeconds,
      propagationRequests: s.propagationRequests,
      propagationRefusals,
      propagationError: s.propagationError,
      jwtAudience: s.jwtAudience,
      metadata: neighbours.metadata,
    };
  };

  const newServer = (getOrgId: () => string | undefined) => {
    const server = createServer((req, res) => void handle(getOrgId(), req, res));
    // Longer than a client's pause between calls, so a reused keep-alive socket is never closed under it (ECONNRESET).
    server.keepAliveTimeout = 65_000;
    return server;
  };

  const signupDeps: SignupDeps = {
    db,
    metadata: neighbours.metadata,
    get limits() {
      return limits();
    },
    get signupSeconds() {
      return simulation().signupSeconds;
    },
    async openPort() {
      let orgId: string | undefined;
      const server = newServer(() => orgId);
      const port = await listen(server, 0);
      return {
        port,
        attach(id: string) {
          orgId = id;
          servers.set(id, server);
        },
        close: () => new Promise<void>((r) => server.close(() => r())),
      };
    },
    async closeOrg(orgId: string) {
      const s = servers.get(orgId);
      servers.delete(orgId);
      if (s) {
        const closed = new Promise<void>((r) => s.close(() => r()));
        s.closeAllConnections();
        await closed;
      }
    },
  };

  const registry: { name: string; handler: RouteHandler }[] = [
    { name: 'oauth', handler: oauthRoutes(oauthSettings) },
    // sf org open (front door), the login page, Lightning pages of LWC tabs and their /aura endpoint.
    { name: 'lightning', handler: lightningRoutes({ compiler: bundles }) },
    {
      name: 'data',
      handler: dataRoutes({
        createScratchOrgInfo: (hubId, input, userId) => signUpScratchOrg(signupDeps, hubId, input, userId),
        beforeActiveScratchOrgDelete: (hubId, asoId) => deleteScratchOrg(signupDeps, hubId, asoId),
        limits: (org) => hubLimits(db, org, limits()),
      }),
    },
    ...(options.routes ?? []),
  ];
  if (neighbours.metadata.metadataRoutes) registry.push({ name: 'metadata', handler: neighbours.metadata.metadataRoutes });
  if (neighbours.apex.apexRoutes) registry.push({ name: 'apex', handler: neighbours.apex.apexRoutes });
  registry.push({ name: 'tooling', handler: toolingRoutes() });

  async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return 'too-large';
    const chunks: Buffer[] = [];
    let size = 0;
    // Keep draining past the cap (breaking out would destroy the socket before the 413 is sent); nothing past it is kept.
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= limit) chunks.push(chunk as Buffer);
      else chunks.length = 0;
    }
    return size > limit ? 'too-large' : Buffer.concat(chunks);
  }

  async function handle(orgId: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.logRequests) {
      const started = performance.now();
      // Path only: query strings may carry tokens (revoke) or data (SOQL).
      res.on('finish', () =>
        log(
          `${req.socket.localPort} ${req.method} ${(req.url ?? '').split('?')[0]} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`,
        ),
      );
    }
    try {
      const org = orgId ? getOrg(db, orgId) : undefined;
      if (!org || org.status !== 'Active') {
        sendApiError(res, notFound('This org no longer exists'));
        return;
      }
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const isSoap = path.startsWith('/services/Soap/');
      // The session is checked before a byte of the body is read: only SOAP carries it inside the body.
      const bearer = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(req.headers.authorization ?? '');
      const needsSession =
        path.startsWith('/services/apexrest') || /^\/services\/data\/v[\d.]+\/(tooling|sobjects|query|composite|limits)/.test(path);
      const headerRow = bearer ? lookupToken(db, bearer[1].trim(), 'access') : undefined;
      // A token of a user deactivated or frozen since it was issued is no session (signIn.ts).
      const headerUser =
        headerRow && headerRow.org_id === org.id && !signInBlock(db, org.id, headerRow.user_id) ? headerRow.user_id : undefined;
      if (needsSession && !headerUser) {
        res.setHeader('Connection', 'close');
        sendApiError(res, invalidSession());
        return;
      }
      const limit = bodyLimit(path);
      const body = await readBody(req, limit);
      if (body === 'too-large') {
        res.setHeader('Connection', 'close');
        sendJson(res, 413, [
          { message: `Request body exceeds the ${limit / 1024 / 1024} MB limit of ${path}`, errorCode: 'REQUEST_ENTITY_TOO_LARGE' },
        ]);
        req.resume();
        return;
      }
      if (isSoap && hasDoctype(body)) return sendSoapFault(res, 'soapenv:Client', DOCTYPE_REFUSED);
      let userId = headerUser;
      if (!bearer && isSoap) {
        const raw = SOAP_SESSION.exec(body.toString('utf8'))?.[1];
        const row = raw ? lookupToken(db, raw, 'access') : undefined;
        userId = row && row.org_id === org.id && !signInBlock(db, org.id, row.user_id) ? row.user_id : undefined;
      }
      const ctx: RequestContext = {
        db,
        org,
        records,
        userId,
        apexHost: (uid: string) => createApexHost({ db, org, userId: uid, metadata: neighbours.metadata, records }),
        runApex: apexPool ? <T>(entry: string, uid: string, args: unknown[]) => apexPool.run<T>(entry, org.id, uid, args) : undefined,
        deployed: (types) => deployed(org.id, types),
      };
      // Every API needs the user's "API Enabled" permission (profile or permission set).
      const isApi = isSoap || path.startsWith('/services/apexrest') || /^\/services\/data\/v[\d.]+\//.test(path);
      if (userId && isApi && !hasUserPermission(db, org.id, userId, 'ApiEnabled')) {
        if (isSoap) sendSoapFault(res, 'API_CURRENTLY_DISABLED', 'API_CURRENTLY_DISABLED: API is disabled for this User');
        else sendApiError(res, apiDisabled());
        return;
      }
      for (const { handler } of registry) {
        if (await handler(ctx, req, res, body)) return;
      }
      if (path.startsWith('/services/Soap/m/') || path.startsWith('/services/Soap/u/') || path.startsWith('/services/Soap/c/'))
        return notSupported('The Metadata and SOAP APIs', true, res);
      if (path.startsWith('/services/Soap/s/')) return notSupported('Anonymous Apex (Apex SOAP API)', true, res);
      if (path.startsWith('/services/apexrest')) return notSupported('Apex REST (the Apex runtime)', false, res);
      if (/^\/services\/data\/v[\d.]+\/tooling\//.test(path))
        return notSupported('The Tooling API (anonymous Apex, tests, metadata)', false, res);
      sendApiError(res, notFound('The requested resource does not exist'));
    } catch (e) {
      if (e instanceof ApiError) return sendApiError(res, e);
      // A path with malformed percent-encoding (decodeURIComponent's URIError) names no resource.
      if (e instanceof URIError) return sendApiError(res, notFound('The requested resource does not exist'));
      // The disk (or SQLite's page limit) is full: this write is refused and nothing half-done is kept (the
      // transaction rolls back); reads go on, and writes work again as soon as space returns.
      if (isDiskFull(e)) {
        log(`write refused, disk full: ${req.method} ${path0(req)}`);
        return sendApiError(
          res,
          new ApiError(
            507,
            'STORAGE_LIMIT_EXCEEDED',
            `The local platform could not write: the disk holding ${home} is full. Free some space there and retry; reads still work.`,
          ),
        );
      }
      // The path only: a query string may hold a single-use login token (frontdoor otp), a token to revoke or data.
      log(`500 ${req.method} ${path0(req)}: ${(e as Error).stack ?? e}`);
      if (!res.headersSent)
        sendJson(res, 500, [{ message: `An unexpected error occurred: ${(e as Error).message}`, errorCode: 'UNKNOWN_EXCEPTION' }]);
      else res.end();
    }
  }

  // Dev Hub: bootstrap once, then listen on the configured port (recorded so URLs stay stable).
  const wantedPort = options.port ?? envNumber('LOCAL_SF_PORT') ?? DEFAULT_PORT;
  const hubServerOrg: { id?: string } = {};
  const hubServer = newServer(() => hubServerOrg.id);
  const existing = getDevHub(db);
  const hubPort = await listen(hubServer, wantedPort);
  let hub = existing;
  const keyPath = join(home, 'keys', 'devhub-cli.key');
  const certPath = join(home, 'keys', 'devhub-cli.crt');
  if (!hub) {
    const key = generateSelfSigned('Local Dev Hub CLI');
    writeKeyFiles(home, 'devhub-cli', key);
    const clientId = newConsumerKey();
    hub = tx(db, () => {
      const { org } = createOrg(db, {
        name: 'Local Dev Hub',
        kind: 'devhub',
        port: hubPort,
        edition: 'Developer',
        features: ['DevHub'],
        admin: { username: DEVHUB_ADMIN, email: DEVHUB_ADMIN, firstName: 'DevHub', lastName: 'Admin' },
      });
      // A Connected App by default, as a Dev Hub's CI app should be: scratch sign-up cannot replicate an External
      // Client App (C-1016, forcedotcom/cli#3515; docs/salesforce-rules.md#devhub-eca). LOCAL_SF_DEVHUB_APP=
      // ExternalClientApplication makes it one, to test the sign-up through the PlatformCLI app such a hub needs.
      insertApp(db, org.id, {
        kind: devHubAppKind(),
        name: 'LocalCLI',
        consumerKey: clientId,
        certificatePem: key.certificatePem,
        adminApproved: true,
        profiles: [ADMIN_PROFILE],
        permissionSets: [],
        deployedAt: 0,
      });
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('cli_client_id', ?)").run(clientId);
      return org;
    });
    log(`bootstrapped Dev Hub ${hub.id}`);
  } else if (hub.port !== hubPort) {
    db.prepare('UPDATE orgs SET port = ?, instance_url = ? WHERE id = ?').run(hubPort, `http://127.0.0.1:${hubPort}`, hub.id);
    hub = getOrg(db, hub.id)!;
  }
  if (!existsSync(keyPath)) log(`warning: the CLI app key ${keyPath} is missing; run reset --force to regenerate`);
  const clientId = (db.prepare("SELECT value FROM meta WHERE key = 'cli_client_id'").get() as { value: string }).value;
  const cliApp: CliAppInfo = { clientId, keyPath, certPath };
  hubServerOrg.id = hub.id;
  servers.set(hub.id, hubServer);

  // Expired scratch orgs are gone; reopen every other active one on its recorded port.
  await expireScratchOrgs(signupDeps);
  for (const org of listOrgs(db)) {
    if (org.kind !== 'scratch') continue;
    let id: string | undefined = org.id;
    const s = newServer(() => id);
    try {
      await listen(s, org.port);
      servers.set(org.id, s);
    } catch (e) {
      id = undefined;
      log(`scratch org ${org.id} could not reopen port ${org.port}: ${(e as Error).message}`);
    }
  }
  const devHub = hub;
  const sweeper = setInterval(
    () => void expireScratchOrgs(signupDeps).catch((e: Error) => log(`expiry sweep failed: ${e.message}`)),
    60_000,
  );
  sweeper.unref();
  return {
    home,
    url: devHub.instanceUrl,
    devHub,
    adminUsername: DEVHUB_ADMIN,
    cliApp,
    db,
    records,
    settings,
    orgs: () => [...servers.keys()].map((id) => getOrg(db, id)!).filter(Boolean),
    routeNames: () => registry.map((r) => r.name),
    expireScratchOrgs: () => expireScratchOrgs(signupDeps),
    apexBusy: () => apexPool?.busy() ?? 0,
    async close() {
      clearInterval(sweeper);
      await apexPool?.close();
      await bundles.close();
      // Stop listening first, then end every connection (idle keep-alive sockets and requests in flight).
      await Promise.all(
        [...servers.values()].map((s) => {
          const closed = new Promise<void>((r) => s.close(() => r()));
          s.closeAllConnections();
          return closed;
        }),
      );
      servers.clear();
      db.close();
    },
  };
}
