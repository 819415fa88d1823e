/**
 * SOAP 1.1 as the Metadata API speaks it to jsforce: requests are parsed into plain objects, responses are
 * `<soapenv:Envelope><soapenv:Body><{method}Response><result>…` in the metadata namespace, and faults are
 * HTTP 500 with `sf:`-prefixed fault codes (jsforce refreshes the session on `sf:INVALID_SESSION_ID`).
 */
import type { ServerResponse } from 'node:http';
import { escapeXml, parseXml, type XmlNode } from './metadataXml.ts';

export interface SoapCall {
  method: string;
  args: XmlNode;
  sessionId?: string;
}

export function parseSoapRequest(body: Buffer): SoapCall {
  const doc = parseXml(body.toString('utf8'));
  const env = doc['Envelope'] as XmlNode | undefined;
  if (!env || typeof env !== 'object') throw new Error('The request is not a SOAP envelope');
  const header = env['Header'] as XmlNode | undefined;
  const sessionHeader = header && typeof header === 'object' ? (header['SessionHeader'] as XmlNode | undefined) : undefined;
  const sessionId = sessionHeader && typeof sessionHeader === 'object' ? String(sessionHeader['sessionId'] ?? '') : undefined;
  const soapBody = env['Body'] as XmlNode | undefined;
  if (!soapBody || typeof soapBody !== 'object') throw new Error('The SOAP envelope has no Body');
  const method = Object.keys(soapBody).find((k) => !k.startsWith('@_'));
  if (!method) throw new Error('The SOAP Body is empty');
  const args = soapBody[method];
  return { method, args: typeof args === 'object' && args !== null ? (args as XmlNode) : {}, sessionId };
}

/** Serialises a value the way the Metadata API WSDL lays it out: arrays repeat the element. */
export function toXml(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const attrs = entries
      .filter(([k]) => k.startsWith('@'))
      .map(([k, v]) => ` ${k.slice(1)}="${escapeXml(String(v))}"`)
      .join('');
    const inner = entries
      .filter(([k]) => !k.startsWith('@'))
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<${name}${attrs}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

export function sendSoapResult(res: ServerResponse, method: string, result: unknown): void {
  const xml = ENVELOPE_OPEN + `<${method}Response>${toXml('result', result)}</${method}Response>` + ENVELOPE_CLOSE;
  res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
  res.end(xml);
}

/** `code` like `sf:INVALID_SESSION_ID` or `soapenv:Client`. */
export function sendSoapFault(res: ServerResponse, code: string, message: string): void {
  const exceptionCode = code.replace(/^\w+:/, '');
  const detail = code.startsWith('sf:')
    ? `<detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>${escapeXml(exceptionCode)}</sf:exceptionCode><sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage></sf:UnexpectedErrorFault></detail>`
    : '';
  const faultstring = code.startsWith('sf:') ? `${exceptionCode}: ${message}` : message;
  const xml =
    ENVELOPE_OPEN +
    `<soapenv:Fault><faultcode>${escapeXml(code)}</faultcode><faultstring>${escapeXml(faultstring)}</faultstring>${detail}</soapenv:Fault>` +
    ENVELOPE_CLOSE;
  res.writeHead(500, { 'Content-Type': 'text/xml; charset=utf-8' });
  res.end(xml);
}
