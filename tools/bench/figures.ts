/** What the benches share: the median of a sample, and a JWT bearer assertion signed RS256. */
import { createSign } from 'node:crypto';

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A JWT bearer grant's assertion for `sub`, valid for 10 minutes. */
export function jwtAssertion(clientId: string, sub: string, aud: string, keyPem: string): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64({ alg: 'RS256' })}.${b64({ iss: clientId, sub, aud, exp: Math.floor(Date.now() / 1000) + 600 })}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(keyPem).toString('base64url')}`;
}
