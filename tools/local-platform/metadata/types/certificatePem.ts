/**
 * App certificates arrive as a PEM string (what the Metadata API docs say: "the PEM-encoded certificate
 * string") or as base64 of that PEM (what some working projects deploy to ECAs). Which one Salesforce
 * treats as canonical is unverified (docs/salesforce-rules.md#certificate), so both are accepted and normalised to PEM.
 */
import { X509Certificate } from 'node:crypto';

export function normaliseCertificate(value: string): { pem: string } | { error: string } {
  let candidate = value.trim();
  if (!candidate.includes('-----BEGIN')) {
    const decoded = Buffer.from(candidate.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN CERTIFICATE-----')) candidate = decoded.trim();
  }
  if (!candidate.includes('-----BEGIN CERTIFICATE-----')) {
    return { error: 'The certificate must be a PEM-encoded X.509 certificate (-----BEGIN CERTIFICATE-----).' };
  }
  try {
    const cert = new X509Certificate(candidate);
    return { pem: cert.toString() };
  } catch {
    return { error: 'The certificate could not be parsed as an X.509 certificate.' };
  }
}
