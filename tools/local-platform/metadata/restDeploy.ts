/**
 * The REST form of deploy that the CLI uses when `org-metadata-rest-deploy` is set:
 * `POST /services/data/vXX/metadata/deployRequest` (multipart: `entity_content` JSON with deployOptions, and
 * `file`, the zip) and `GET …/deployRequest/<id>[?includeDetails=true]`. Same engine and stored results as
 * the SOAP calls.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../http/contracts.ts';
import type { DeployOptions, DeployResult } from './deployPackage.ts';

interface Part {
  name: string;
  headers: Record<string, string>;
  body: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw new Error('multipart/form-data without a boundary');
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: Part[] = [];
  let start = body.indexOf(boundary);
  while (start >= 0) {
    const next = body.indexOf(boundary, start + boundary.length);
    if (next < 0) break;
    const chunk = body.subarray(start + boundary.length + 2, next - 2); // skip CRLF after boundary and before next
    const split = chunk.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers: Record<string, string> = {};
      for (const line of chunk.subarray(0, split).toString('utf8').split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const name = /name="([^"]*)"/.exec(headers['content-disposition'] ?? '')?.[1] ?? '';
      parts.push({ name, headers, body: chunk.subarray(split + 4) });
    }
    start = next;
  }
  return parts;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

const PATH = /^\/services\/data\/v(\d+\.\d+)\/metadata\/deployRequest(?:\/([A-Za-z0-9]{15,18}))?\/?$/;

export async function restDeployRoute(
  ctx: RequestContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  deps: { runDeploy(zip: Buffer, options: DeployOptions): Promise<string>; load(id: string): DeployResult | undefined },
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://x');
  const m = PATH.exec(url.pathname);
  if (!m) return false;
  if (!ctx.userId) {
    json(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    return true;
  }
  const base = `/services/data/v${m[1]}/metadata/deployRequest`;
  if (req.method === 'POST' && !m[2]) {
    let parts: Part[];
    try {
      parts = parseMultipart(body, String(req.headers['content-type'] ?? ''));
    } catch (e) {
      json(res, 400, [{ errorCode: 'INVALID_MULTIPART_REQUEST', message: (e as Error).message }]);
      return true;
    }
    const file = parts.find((p) => p.name === 'file');
    const entity = parts.find((p) => p.name === 'entity_content' || p.name === 'json');
    if (!file) {
      json(res, 400, [{ errorCode: 'INVALID_MULTIPART_REQUEST', message: 'The multipart request has no file part with the zip.' }]);
      return true;
    }
    let deployOptions: DeployOptions = {};
    try {
      deployOptions = entity ? ((JSON.parse(entity.body.toString('utf8')) as { deployOptions?: DeployOptions }).deployOptions ?? {}) : {};
    } catch {
      json(res, 400, [{ errorCode: 'JSON_PARSER_ERROR', message: 'entity_content is not valid JSON.' }]);
      return true;
    }
    const id = await deps.runDeploy(file.body, deployOptions);
    json(res, 201, {
      id,
      url: `${base}/${id}`,
      deployOptions,
      deployResult: { id, done: false, status: 'Pending', success: false, checkOnly: !!deployOptions.checkOnly },
    });
    return true;
  }
  if (m[2] && (req.method === 'GET' || req.method === 'PATCH')) {
    const r = deps.load(m[2]);
    if (!r) {
      json(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      return true;
    }
    const includeDetails = url.searchParams.get('includeDetails') === 'true';
    // PATCH (cancel) finds the deploy already finished, as deploys complete inside the request.
    json(res, req.method === 'PATCH' ? 202 : 200, {
      id: r.id,
      url: `${base}/${r.id}`,
      deployResult: includeDetails ? r : { ...r, details: undefined },
    });
    return true;
  }
  json(res, 405, [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${req.method}' not allowed. Allowed are GET,PATCH,POST` }]);
  return true;
}
