/**
 * The reference external service: plain node:http, one JSON resource behind bearer-token verification
 * and an open health route. Refusals follow RFC 6750: 401 with
 * `WWW-Authenticate: Bearer realm=…, error="invalid_token", error_description=…`; a request with no
 * credentials gets the challenge without an error code (§3.1); a token in the query string is refused
 * with 400 invalid_request, since URLs end up in logs and proxies (§2.3, §5.3). Log lines carry the
 * path without its query, the cause, and a short digest of the token, never the token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ServiceConfig } from './config.ts';
import { createTokenVerifier, tokenDigest, type TokenVerifier } from './verifyToken.ts';

export const REALM = 'external-service';

/** The sample resource: a few users, as in the source document's sample service. */
export const USERS = [
  { id: 1, name: 'Ada Lovelace', email: 'ada@example.com' },
  { id: 2, name: 'Grace Hopper', email: 'grace@example.com' },
  { id: 3, name: 'Alan Turing', email: 'alan@example.com' },
];

export interface LogLine {
  at: string;
  method: string;
  path: string;
  status: number;
  reason?: string;
  sub?: string;
  token?: string;
}

export interface ExternalService {
  server: Server;
  url: string;
  verifier: TokenVerifier;
  close(): Promise<void>;
}

/** RFC 6750 §3: error_description is printable ASCII without " and \. */
const quote = (s: string) => `"${s.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?')}"`;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function createRequestHandler(config: ServiceConfig, verifier: TokenVerifier, log: (line: LogLine) => void) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://service.invalid');
    const method = req.method ?? 'GET';
    const line: LogLine = { at: new Date().toISOString(), method, path: url.pathname, status: 0 };
    const finish = (status: number, body: unknown, headers?: Record<string, string>) => {
      line.status = status;
      log(line);
      send(res, status, body, headers);
    };
    const refuse = (status: number, error: string | undefined, description: string) => {
      line.reason = description;
      const challenge = [
        `Bearer realm=${quote(REALM)}`,
        ...(error ? [`error=${quote(error)}`, `error_description=${quote(description)}`] : []),
      ].join(', ');
      finish(status, { error: error ?? 'unauthorized', error_description: description }, { 'WWW-Authenticate': challenge });
    };

    if (url.pathname === '/health') {
      if (method !== 'GET') return finish(405, { error: 'method_not_allowed' }, { Allow: 'GET' });
      return finish(200, {
        status: 'ok',
        issuer: config.issuer,
        audience: config.audience,
        trust: verifier.trust,
        clockSkewSeconds: config.clockSkewSeconds,
      });
    }
    if (url.pathname !== '/users')
      return finish(404, { error: 'not_found', error_description: `No resource ${url.pathname}; try /users or /health.` });
    if (method !== 'GET') return finish(405, { error: 'method_not_allowed' }, { Allow: 'GET' });

    if (url.searchParams.has('access_token')) {
      return refuse(400, 'invalid_request', 'access_token in the query string is refused: send it in the Authorization header');
    }
    const header = req.headers.authorization;
    if (!header) return refuse(401, undefined, 'no bearer token: send Authorization: Bearer <JWT>');
    const m = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/.exec(header);
    if (!m) return refuse(401, 'invalid_token', 'the Authorization header is not "Bearer <token>"');
    const token = m[1]!;
    line.token = tokenDigest(token);
    const verdict = await verifier.verify(token);
    if (!verdict.ok) return refuse(401, 'invalid_token', verdict.description);
    line.sub = String(verdict.claims.sub);
    return finish(200, { users: USERS, caller: { sub: verdict.claims.sub, iss: verdict.claims.iss } });
  };
}

/**
 * Starts the service; `port` 0 picks a free one, and a derived public URL and audience follow it. `now`
 * is the service's clock (tests set one that runs ahead or behind).
 */
export async function startExternalService(
  config: ServiceConfig,
  log: (line: LogLine) => void = () => {},
  now: () => number = Date.now,
): Promise<ExternalService> {
  let handle: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((req, res) => {
    if (!handle) return send(res, 503, { error: 'temporarily_unavailable', error_description: 'starting' });
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'server_error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const effective = config.publicUrlDefaulted
    ? { ...config, publicUrl: url, audience: config.audienceDefaulted ? url : config.audience }
    : config;
  let verifier: TokenVerifier;
  try {
    verifier = await createTokenVerifier(effective, now);
  } catch (e) {
    server.close();
    throw e;
  }
  handle = createRequestHandler(effective, verifier, log);
  return {
    server,
    url,
    verifier,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
