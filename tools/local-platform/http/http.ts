import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors.ts';
import { jsonTooDeep, jsonTooDeepMessage } from '../../core/jsonDepth.ts';

/** Small response helpers shared by the routes; every error body has Salesforce's shape. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendApiError(res: ServerResponse, e: ApiError): void {
  sendJson(res, e.status, e.body());
}

export function sendOAuthError(res: ServerResponse, status: number, error: string, description: string): void {
  sendJson(res, status, { error, error_description: description });
}

/** Parses a JSON request body or throws JSON_PARSER_ERROR as the REST API does. */
export function parseJsonBody(req: IncomingMessage, body: Buffer): unknown {
  const type = String(req.headers['content-type'] ?? 'application/json').toLowerCase();
  if (body.length > 0 && !type.includes('json') && !type.includes('text/plain')) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content type '${type}' is not supported; send application/json.`);
  }
  if (body.length === 0) throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body is empty; send a JSON object.');
  return parseJsonText(body.toString('utf8'));
}

/** JSON from a request, bounded in depth (tools/core/jsonDepth.ts); any failure is 400 JSON_PARSER_ERROR. */
export function parseJsonText(text: string): unknown {
  if (jsonTooDeep(text)) throw new ApiError(400, 'JSON_PARSER_ERROR', jsonTooDeepMessage());
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', `Unexpected character in JSON body: ${(e as Error).message}`);
  }
}

export function parseForm(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) out[k] = v;
  return out;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : undefined;
}

/**
 * Metadata and SOAP XML never needs a DTD: refusing any DOCTYPE shuts out external entities (XXE) and
 * entity expansion. The text is what a Java XML stack with DTDs disallowed (Xerces) says; unverified
 * for Salesforce.
 */
export const DOCTYPE_REFUSED = 'DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.';

export function hasDoctype(text: string | Buffer): boolean {
  return /<!DOCTYPE/i.test(typeof text === 'string' ? text : text.toString('latin1'));
}

/** A SOAP fault as Salesforce's partner, Apex and Metadata endpoints send them (HTTP 500); `code` without a prefix gets `sf:`. */
export function sendSoapFault(res: ServerResponse, code: string, message: string): void {
  const esc = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const xml = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>${code.includes(':') ? code : `sf:${code}`}</faultcode><faultstring>${esc}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
  res.writeHead(500, { 'Content-Type': 'text/xml;charset=UTF-8', 'Content-Length': String(Buffer.byteLength(xml)) }).end(xml);
}
