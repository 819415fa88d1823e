/**
 * Output of the `cert` command, apart from the command itself: human text and the `--json` shape.
 * Neither ever includes the private key or the password (except the explicit --show-password line).
 */
import { relative } from 'node:path';
import type { ToolError } from '../core/ToolError.ts';
import type { CertificateSetResult } from './createCertificateSet.ts';
import type { InspectReport } from './inspect.ts';
import type { RotateResult } from './rotateCertificateSet.ts';
import { PASSWORD_ENV } from './keystorePassword.ts';

const rel = (p: string): string => relative(process.cwd(), p) || '.';

/** The `--json` form of a created set: paths and public facts only. */
export function createdJson(result: CertificateSetResult): Record<string, unknown> {
  const { passwordSource, ...paths } = result.paths;
  return {
    alias: result.alias,
    cn: result.cn,
    bits: result.bits,
    fingerprintSha256: result.fingerprintSha256,
    serialHex: result.serialHex,
    notBefore: result.notBefore,
    notAfter: result.notAfter,
    passwordSource,
    paths,
  };
}

export function createdHuman(result: CertificateSetResult, password?: string): string {
  const p = result.paths;
  const lines = [
    `Created certificate set '${result.alias}' (RSA ${result.bits}, CN=${result.cn})`,
    `  certificate  ${rel(p.certificate)}   <- paste into Org B's External Client App (Use digital signatures)`,
    `  private key  ${rel(p.privateKey)}   (PKCS#8, 0600; for sf org login jwt --jwt-key-file)`,
    `  keystore     ${rel(p.jks)}   <- Org A: Setup > Certificate and Key Management > Import from Keystore`,
    `  PKCS#12      ${rel(p.pkcs12)}`,
    p.password
      ? `  password     ${rel(p.password)}   (generated, 0600; key password = keystore password)`
      : `  password     from ${PASSWORD_ENV} (key password = keystore password)`,
    `  SHA-256      ${result.fingerprintSha256}`,
    `  serial       ${result.serialHex}`,
    `  valid        ${result.notBefore} .. ${result.notAfter}`,
  ];
  if (password !== undefined) lines.push(`  keystore password: ${password}`);
  return lines.join('\n');
}

export function rotatedJson(result: RotateResult): Record<string, unknown> {
  return { previous: result.previous, current: createdJson(result.current) };
}

export function rotatedHuman(result: RotateResult, password?: string): string {
  return [
    `Rotated '${result.previous.alias}' (SHA-256 ${result.previous.fingerprintSha256}, valid until ${result.previous.notAfter})`,
    createdHuman(result.current, password),
    `Next: import ${rel(result.current.paths.jks)} into Org A (a new Unique Name, so both certificates coexist),`,
    `switch Org A's signing to '${result.current.alias}', paste the new certificate into Org B's app, then retire '${result.previous.alias}'.`,
  ].join('\n');
}

export function inspectedJson(report: InspectReport): Record<string, unknown> {
  return { ...report };
}

export function inspectedHuman(report: InspectReport): string {
  const lines = [`${rel(report.file)}: ${report.kind}${report.keyFile ? ` (checked against ${rel(report.keyFile)})` : ''}`];
  for (const e of report.entries) {
    if (e.alias) lines.push(`  alias        ${e.alias}`);
    if (e.subject) lines.push(`  subject      ${e.subject}`);
    if (e.issuer && e.issuer !== e.subject) lines.push(`  issuer       ${e.issuer}`);
    if (e.keyType)
      lines.push(
        `  key          ${e.keyType.toUpperCase()} ${e.keyBits ?? '?'} bits${e.keyFormat ? ` (${e.keyFormat === 'pkcs1' ? 'PKCS#1: convert to PKCS#8 before use' : e.keyFormat.toUpperCase().replace('PKCS8', 'PKCS#8')})` : ''}`,
      );
    if (e.fingerprintSha256) lines.push(`  SHA-256      ${e.fingerprintSha256}`);
    if (e.serialHex) lines.push(`  serial       ${e.serialHex}`);
    if (e.notAfter) lines.push(`  valid        ${e.notBefore} .. ${e.notAfter} (${e.expired ? 'EXPIRED' : `${e.daysLeft} days left`})`);
    lines.push(`  key matches certificate: ${e.keyMatchesCertificate === null ? 'not checked (only one of them available)' : 'yes'}`);
  }
  return lines.join('\n');
}

/** `Error (Name): message` then one `Try this:` line per action, as the sf CLI prints errors. */
export function errorHuman(error: ToolError): string {
  return [`Error (${error.name}): ${error.message}`, ...error.actions.map((a) => `Try this: ${a}`)].join('\n');
}
