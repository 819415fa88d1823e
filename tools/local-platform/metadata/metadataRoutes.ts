/**
 * The Metadata API endpoint (`POST /services/Soap/m/<version>`) as jsforce and
 * @salesforce/source-deploy-retrieve call it for `sf project deploy start` / `retrieve start`: deploy,
 * checkDeployStatus, cancelDeploy, deployRecentValidation, retrieve, checkRetrieveStatus, listMetadata,
 * describeMetadata. Deploys run to completion inside the `deploy` call (answering Queued, as Salesforce
 * does, then the finished result on the first status check); results persist in md_async_results.
 * Also the local-only `POST /local/import-keystore` (Setup's "Import from Keystore" has no API).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext, RouteHandler } from '../http/contracts.ts';
import { ensureMetadataSchema } from './ensureMetadataSchema.ts';
import { parseSoapRequest, sendSoapFault, sendSoapResult, type SoapCall } from './soapEnvelope.ts';
import { asArray, parseXml, text, type XmlNode } from './metadataXml.ts';
import { deployZip, newAsyncId, type DeployOptions, type DeployResult } from './deployPackage.ts';
import { retrieveComponents, toRetrieveRequest, type RetrieveResult } from './retrievePackage.ts';
import { getStoredComponent, listStoredComponents } from './componentStore.ts';
import { allTypes, parentOfChildType } from './metadataRegistry.ts';
import { importKeystore } from './importKeystore.ts';
import { ToolError } from '../../core/ToolError.ts';
import { sourceMemberRoute } from './sourceTracking.ts';
import { certificateToolingRoute } from './certificateTooling.ts';
import { restDeployRoute } from './restDeploy.ts';
import { hasUserPermission, METADATA_ACCESS_MESSAGE } from '../../data/access.ts';

const SOAP_PATH = /^\/services\/Soap\/m\/(\d+\.\d+)(\/[A-Za-z0-9]+)?\/?$/;
const ADMIN_PROFILE = 'System Administrator';

/** Deploy, retrieve and every other Metadata API call need "Modify All Data" or "Modify Metadata". */
function canUseMetadataApi(ctx: RequestContext): boolean {
  return !!ctx.userId && hasUserPermission(ctx.db, ctx.org.id, ctx.userId, 'ModifyAllData', 'ModifyMetadata');
}

const ready = new WeakSet<DatabaseSync>();
function schema(db: DatabaseSync): void {
  if (!ready.has(db)) {
    ensureMetadataSchema(db);
    ready.add(db);
  }
}

export const metadataRoutes: RouteHandler = async (ctx, req, res, body) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/local/import-keystore') {
    await importKeystoreRoute(ctx, req, res, body);
    return true;
  }
  const m = SOAP_PATH.exec(path);
  if (!m) {
    if (/^\/services\/data\/v[\d.]+\/metadata\/deployRequest/.test(path)) {
      if (ctx.userId && !canUseMetadataApi(ctx)) {
        sendJson(res, 403, [{ errorCode: 'INSUFFICIENT_ACCESS', message: METADATA_ACCESS_MESSAGE.replace(/^INSUFFICIENT_ACCESS: /, '') }]);
        return true;
      }
      schema(ctx.db);
      return restDeployRoute(ctx, req, res, body, {
        runDeploy: (zip, options) => runDeploy(ctx, zip, options),
        load: (id) => loadResult<DeployResult>(ctx, id, 'deploy'),
      });
    }
    if (/\/tooling\/query/.test(path)) schema(ctx.db);
    return sourceMemberRoute(ctx, req, res, body) || certificateToolingRoute(ctx, req, res);
  }
  if (req.method !== 'POST') {
    sendSoapFault(res, 'soapenv:Client', 'The Metadata API accepts POST requests only');
    return true;
  }
  let call: SoapCall;
  try {
    call = parseSoapRequest(body);
  } catch (e) {
    sendSoapFault(res, 'soapenv:Client', `Unable to parse the SOAP request: ${(e as Error).message}`);
    return true;
  }
  if (!ctx.userId) {
    sendSoapFault(res, 'sf:INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
    return true;
  }
  if (!canUseMetadataApi(ctx)) {
    sendSoapFault(res, 'sf:INSUFFICIENT_ACCESS', METADATA_ACCESS_MESSAGE);
    return true;
  }
  schema(ctx.db);
  try {
    await dispatch(ctx, call, res, m[1]!);
  } catch (e) {
    sendSoapFault(res, 'sf:UNKNOWN_EXCEPTION', `An unexpected error occurred: ${(e as Error).message}`);
  }
  return true;
};

function userName(ctx: RequestContext): string {
  const u = ctx.userId ? ctx.records.find(ctx.org.id, 'User', 'Id', ctx.userId) : undefined;
  return (u?.['Name'] as string | undefined) ?? (u?.['Username'] as string | undefined) ?? '';
}

async function dispatch(ctx: RequestContext, call: SoapCall, res: ServerResponse, version: string): Promise<void> {
  const a = call.args;
  switch (call.method) {
    case 'deploy': {
      const zipB64 = text(a['ZipFile']) ?? '';
      const options = readDeployOptions((a['DeployOptions'] as XmlNode | undefined) ?? {});
      const id = await runDeploy(ctx, Buffer.from(zipB64, 'base64'), options);
      return sendSoapResult(res, 'deploy', { done: false, id, state: 'Queued' });
    }
    case 'checkDeployStatus': {
      const id = text(a['asyncProcessId']) ?? '';
      const includeDetails = text(a['includeDetails']) === 'true';
      const r = loadResult<DeployResult>(ctx, id, 'deploy');
      if (!r) return sendSoapFault(res, 'sf:INVALID_ID_FIELD', `Invalid deploy ID: ${id}`);
      const shown = includeDetails ? r : { ...r, details: undefined };
      return sendSoapResult(res, 'checkDeployStatus', shown);
    }
    case 'cancelDeploy': {
      const id = text(a['String']) ?? text(a['id']) ?? '';
      const r = loadResult<DeployResult>(ctx, id, 'deploy');
      if (!r) return sendSoapFault(res, 'sf:INVALID_ID_FIELD', `Invalid deploy ID: ${id}`);
      // Deploys finish inside the deploy call, so there is never anything left to cancel.
      return sendSoapResult(res, 'cancelDeploy', { done: true, id });
    }
    case 'deployRecentValidation': {
      const validationId = text(a['validationId']) ?? '';
      const row = ctx.db
        .prepare("SELECT zip, status, check_only, result FROM md_async_results WHERE id = ? AND org_id = ? AND kind = 'deploy'")
        .get(validationId, ctx.org.id) as { zip: Uint8Array | null; status: string; check_only: number; result: string } | undefined;
      if (!row || !row.check_only || row.status !== 'Succeeded' || !row.zip) {
        return sendSoapFault(res, 'sf:INVALID_ID_FIELD', `No validated deployment found for ID ${validationId}`);
      }
      const prior = JSON.parse(row.result) as DeployResult;
      const id = await runDeploy(ctx, Buffer.from(row.zip), { checkOnly: false, testLevel: prior.testLevel, rollbackOnError: true });
      return sendSoapResult(res, 'deployRecentValidation', id);
    }
    case 'retrieve': {
      const request = toRetrieveRequest((a['request'] as XmlNode | undefined) ?? {});
      const id = newAsyncId('09S');
      const result = await retrieveComponents(ctx.db, ctx.org.id, request, id, { id: ctx.userId ?? '', name: userName(ctx) });
      const { zipFile, ...rest } = result;
      ctx.db
        .prepare("INSERT INTO md_async_results (id, org_id, kind, status, result, zip, created_at) VALUES (?, ?, 'retrieve', ?, ?, ?, ?)")
        .run(id, ctx.org.id, result.status, JSON.stringify(rest), Buffer.from(zipFile, 'base64'), Date.now());
      return sendSoapResult(res, 'retrieve', { done: false, id, state: 'Queued' });
    }
    case 'checkRetrieveStatus': {
      const id = text(a['asyncProcessId']) ?? '';
      const includeZip = text(a['includeZip']) !== 'false';
      const row = ctx.db
        .prepare("SELECT result, zip FROM md_async_results WHERE id = ? AND org_id = ? AND kind = 'retrieve'")
        .get(id, ctx.org.id) as { result: string; zip: Uint8Array | null } | undefined;
      if (!row) return sendSoapFault(res, 'sf:INVALID_ID_FIELD', `Invalid retrieve ID: ${id}`);
      const r = JSON.parse(row.result) as Omit<RetrieveResult, 'zipFile'>;
      return sendSoapResult(res, 'checkRetrieveStatus', {
        ...r,
        ...(includeZip && row.zip ? { zipFile: Buffer.from(row.zip).toString('base64') } : {}),
      });
    }
    case 'listMetadata': {
      const out: unknown[] = [];
      for (const q of asArray<XmlNode>(a['queries'])) {
        const type = text(q['type']) ?? '';
        const parent = parentOfChildType(type);
        for (const c of listStoredComponents(ctx.db, ctx.org.id, parent ? parent.parent : type)) {
          if (parent) continue; // child types (CustomField…) are listed through their parent
          const main = Object.keys(c.files).find((p) => !p.endsWith('-meta.xml')) ?? Object.keys(c.files)[0] ?? '';
          out.push({
            createdById: ctx.userId,
            createdByName: userName(ctx),
            createdDate: new Date(c.createdAt).toISOString(),
            fileName: c.type === 'LightningComponentBundle' ? `lwc/${c.fullName}` : main,
            fullName: c.fullName,
            id: '',
            lastModifiedById: ctx.userId,
            lastModifiedByName: userName(ctx),
            lastModifiedDate: new Date(c.updatedAt).toISOString(),
            manageableState: 'unmanaged',
            type: c.type,
          });
        }
      }
      return sendSoapResult(res, 'listMetadata', out);
    }
    case 'describeMetadata': {
      const metadataObjects = allTypes()
        .filter(({ info }) => !parentOfChildType(info.name))
        .map(({ info, childXmlNames }) => ({
          childXmlNames,
          directoryName: info.directoryName,
          inFolder: info.inFolder,
          metaFile: info.hasContent,
          suffix: info.suffix,
          xmlName: info.name,
        }));
      return sendSoapResult(res, 'describeMetadata', {
        metadataObjects,
        organizationNamespace: '',
        partialSaveAllowed: true,
        testRequired: false,
      });
    }
    case 'readMetadata': {
      const type = text(a['type']) ?? '';
      const records = asArray(a['fullNames'])
        .map((n) => text(n) ?? '')
        .map((fullName) => readComponent(ctx, type, fullName))
        .filter((r): r is Record<string, unknown> => !!r);
      return sendSoapResult(res, 'readMetadata', { records });
    }
    default:
      void version;
      return sendSoapFault(
        res,
        'soapenv:Client',
        `No operation available for request {http://soap.sforce.com/2006/04/metadata}${call.method}`,
      );
  }
}

/**
 * readMetadata: the stored XML as the Metadata API's typed record (`xsi:type` + fields). Content types
 * carry `content` as base64 like Salesforce; certificates only ever hold their public PEM here.
 */
function readComponent(ctx: RequestContext, type: string, fullName: string): Record<string, unknown> | undefined {
  const c = getStoredComponent(ctx.db, ctx.org.id, type, fullName);
  if (!c) return undefined;
  const paths = Object.keys(c.files);
  const xmlPath = paths.find((p) => p.endsWith('-meta.xml')) ?? (paths.length === 1 ? paths[0] : undefined);
  let fields: Record<string, unknown> = {};
  if (xmlPath) {
    const doc = parseXml(Buffer.from(c.files[xmlPath]!, 'base64').toString('utf8'));
    const root = Object.entries(doc).find(([k]) => k !== '?xml')?.[1];
    if (root && typeof root === 'object') fields = plain(root) as Record<string, unknown>;
  }
  const content = paths.find((p) => p !== xmlPath);
  return { '@xsi:type': type, fullName, ...fields, ...(content && xmlPath ? { content: c.files[content] } : {}) };
}

/** Parsed XML without attributes: `{ '#text': v, '@_x': … }` becomes `v`, recursively. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const o = v as XmlNode;
    if ('#text' in o) return o['#text'];
    const entries = Object.entries(o).filter(([k]) => !k.startsWith('@_'));
    if (entries.length === 0 && Object.keys(o).some((k) => /nil$/.test(k))) return null;
    return Object.fromEntries(entries.map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

function readDeployOptions(o: XmlNode): DeployOptions {
  const b = (k: string) => (text(o[k]) === undefined ? undefined : text(o[k]) === 'true');
  return {
    checkOnly: b('checkOnly'),
    rollbackOnError: b('rollbackOnError'),
    ignoreWarnings: b('ignoreWarnings'),
    purgeOnDelete: b('purgeOnDelete'),
    singlePackage: b('singlePackage'),
    allowMissingFiles: b('allowMissingFiles'),
    testLevel: text(o['testLevel']),
    runTests: asArray(o['runTests']).map((t) => text(t) ?? ''),
  };
}

async function runDeploy(ctx: RequestContext, zip: Buffer, options: DeployOptions): Promise<string> {
  const id = newAsyncId('0Af');
  const userId = ctx.userId;
  const result = await deployZip(
    {
      db: ctx.db,
      org: ctx.org,
      records: ctx.records,
      userId,
      userName: userName(ctx),
      apexHost: userId ? () => ctx.apexHost(userId) : undefined,
    },
    zip,
    options,
    id,
  );
  ctx.db
    .prepare(
      "INSERT INTO md_async_results (id, org_id, kind, status, test_level, check_only, result, zip, created_at) VALUES (?, ?, 'deploy', ?, ?, ?, ?, ?, ?)",
    )
    .run(
      id,
      ctx.org.id,
      result.status,
      result.testLevel ?? null,
      options.checkOnly ? 1 : 0,
      JSON.stringify(result),
      options.checkOnly ? zip : null,
      Date.now(),
    );
  if (!options.checkOnly && (result.status === 'Succeeded' || result.status === 'SucceededPartial')) {
    ctx.deployed?.([...new Set(result.details.componentSuccesses.map((m) => m.componentType).filter(Boolean))]);
  }
  return id;
}

function loadResult<T>(ctx: RequestContext, id: string, kind: 'deploy' | 'retrieve'): T | undefined {
  const row = ctx.db.prepare('SELECT result FROM md_async_results WHERE id = ? AND org_id = ? AND kind = ?').get(id, ctx.org.id, kind) as
    { result: string } | undefined;
  return row ? (JSON.parse(row.result) as T) : undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

/**
 * `POST /local/import-keystore`: the JKS as the raw body (application/octet-stream) with the password in
 * the `X-Keystore-Password` header, or JSON `{ "jks": "<base64>", "password": "…", "label": "…" }`.
 * Never a password in the URL. Needs a session of a System Administrator of the org.
 */
async function importKeystoreRoute(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, [{ errorCode: 'METHOD_NOT_ALLOWED', message: 'Use POST' }]);
  if (!ctx.userId) return sendJson(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
  const user = ctx.records.find(ctx.org.id, 'User', 'Id', ctx.userId);
  const profile = user?.['ProfileId'] ? ctx.records.find(ctx.org.id, 'Profile', 'Id', user['ProfileId']) : undefined;
  if (profile?.['Name'] !== ADMIN_PROFILE) {
    return sendJson(res, 403, [
      { errorCode: 'INSUFFICIENT_ACCESS', message: 'Import from Keystore needs a System Administrator session.' },
    ]);
  }
  const url = new URL(req.url ?? '/', 'http://x');
  if ([...url.searchParams.keys()].some((k) => /pass/i.test(k))) {
    return sendJson(res, 400, [
      {
        errorCode: 'INVALID_REQUEST',
        message: 'Send the keystore password in the X-Keystore-Password header or the JSON body, never in the URL.',
      },
    ]);
  }
  let jks: Buffer;
  let password: string | undefined;
  let label: string | undefined;
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    let parsed: { jks?: string; password?: string; label?: string };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      return sendJson(res, 400, [{ errorCode: 'JSON_PARSER_ERROR', message: 'The request body is not valid JSON.' }]);
    }
    jks = Buffer.from(parsed.jks ?? '', 'base64');
    password = parsed.password;
    label = parsed.label;
  } else {
    jks = body;
    password = req.headers['x-keystore-password'] as string | undefined;
    label = req.headers['x-certificate-label'] as string | undefined;
  }
  if (jks.length === 0) return sendJson(res, 400, [{ errorCode: 'INVALID_REQUEST', message: 'No keystore file was sent.' }]);
  if (password === undefined || password === '')
    return sendJson(res, 400, [{ errorCode: 'INVALID_REQUEST', message: 'The keystore password is required.' }]);
  try {
    const imported = importKeystore(ctx.db, ctx.org.id, { jks, password, label });
    return sendJson(res, 201, { imported });
  } catch (e) {
    if (e instanceof ToolError) return sendJson(res, 400, [{ errorCode: e.name, message: e.message, actions: e.actions }]);
    throw e;
  }
}
