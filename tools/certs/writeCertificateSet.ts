/**
 * Writes one certificate set (certificate PEM, PKCS#8 key, JKS, PKCS#12, generated password) so that a
 * failure leaves nothing behind: everything is encoded in memory first, written to temporary files in the
 * target folder, then renamed into place. Secrets are 0600; keys never go inside force-app/ (deployed and
 * committed) and existing outputs are only replaced with `force`.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { certErrors } from './certErrors.ts';
import { encodeJks } from './jks.ts';
import type { KeyMaterial } from './keyMaterial.ts';
import type { KeystorePassword } from './keystorePassword.ts';
import { encodePkcs12 } from './pkcs12.ts';

export interface CertificateSetPaths {
  /** Public: paste into B's External Client App. */
  certificate: string;
  /** PKCS#8 PEM, for `sf org login jwt --jwt-key-file`. */
  privateKey: string;
  /** For Org A: Setup → Certificate and Key Management → Import from Keystore. */
  jks: string;
  pkcs12: string;
  /** Present when the password was generated (not taken from KEYSTORE_PASSWORD). */
  password?: string;
}

export interface CertificateSet extends CertificateSetPaths {
  passwordSource: KeystorePassword['source'];
}

export const SECRET_MODE = 0o600;
export const PUBLIC_MODE = 0o644;

/** File names are the alias plus a fixed suffix, so a rotated set (new alias) sits beside the old one. */
export function certificateSetPaths(outDir: string, alias: string): Required<CertificateSetPaths> {
  const base = join(resolve(outDir), alias);
  return {
    certificate: `${base}.cert.pem`,
    privateKey: `${base}.key.pem`,
    jks: `${base}.jks`,
    pkcs12: `${base}.p12`,
    password: `${base}.password`,
  };
}

/** Refuses any folder that is, or resolves (through symlinks) into, a `force-app` folder. */
export function assertOutsideForceApp(outDir: string): void {
  const abs = resolve(outDir);
  let existing = abs;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = join(realpathSync(existing), abs.slice(existing.length));
  for (const candidate of [abs, real]) {
    if (candidate.split(sep).includes('force-app')) throw certErrors.insideForceApp(outDir);
  }
}

/**
 * Inside a git work tree, the key must land in an ignored path (like .local/), or one `git add -A` would
 * commit it. Outside a repository, or without git, there is nothing to check.
 */
export function assertNotCommittable(filePath: string): void {
  const abs = resolve(filePath);
  let dir = dirname(abs);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const inside = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, encoding: 'utf8' });
  if (inside.status !== 0 || inside.stdout.trim() !== 'true') return;
  const ignored = spawnSync('git', ['check-ignore', '-q', abs], { cwd: dir });
  if (ignored.status === 1) throw certErrors.notIgnored(dirname(abs));
}

interface Planned {
  path: string;
  data: string | Buffer;
  mode: number;
}

export interface WriteOptions {
  force?: boolean;
}

export function writeCertificateSet(
  outDir: string,
  material: KeyMaterial,
  password: KeystorePassword,
  options: WriteOptions = {},
): CertificateSet {
  assertOutsideForceApp(outDir);
  const paths = certificateSetPaths(outDir, material.alias);
  assertNotCommittable(paths.privateKey);
  const generated = password.source === 'generated';

  const existing = Object.values(paths).filter((p) => existsSync(p) || isDanglingLink(p));
  if (existing.length > 0 && !options.force) throw certErrors.outputExists(existing);
  // With --force a rename must not fail half-way: every target that exists has to be a plain file.
  const blocked = existing.filter((p) => !lstatSync(p).isFile());
  if (blocked.length > 0) {
    throw certErrors.invalidOption(
      `Cannot replace ${blocked.join(', ')}: not a regular file.`,
      'Remove or rename it, or choose another --out folder.',
    );
  }

  // Encode everything before touching the disk: a bad key or certificate fails here, with nothing written.
  const planned: Planned[] = [
    { path: paths.certificate, data: material.certificatePem, mode: PUBLIC_MODE },
    { path: paths.privateKey, data: material.privateKeyPem, mode: SECRET_MODE },
    { path: paths.jks, data: encodeJks({ ...material, password: password.value }), mode: SECRET_MODE },
    { path: paths.pkcs12, data: encodePkcs12({ ...material, password: password.value }), mode: SECRET_MODE },
  ];
  if (generated) planned.push({ path: paths.password, data: `${password.value}\n`, mode: SECRET_MODE });

  const dir = resolve(outDir);
  let firstCreated: string | undefined;
  const temps: string[] = [];
  try {
    firstCreated = mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const file of planned) {
      const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
      temps.push(temp);
      writeFileExclusive(temp, file.data, file.mode);
    }
    planned.forEach((file, i) => renameSync(temps[i]!, file.path));
    // A password file left from an earlier generated run would now be wrong: the env password rules.
    if (!generated && existsSync(paths.password)) unlinkSync(paths.password);
  } catch (error) {
    for (const temp of temps) if (existsSync(temp)) unlinkSync(temp);
    if (firstCreated) removeCreatedDirs(dir, firstCreated);
    throw error;
  }
  return {
    certificate: paths.certificate,
    privateKey: paths.privateKey,
    jks: paths.jks,
    pkcs12: paths.pkcs12,
    ...(generated ? { password: paths.password } : {}),
    passwordSource: password.source,
  };
}

function writeFileExclusive(path: string, data: string | Buffer, mode: number): void {
  const fd = openSync(path, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(path, mode); // the umask may have removed bits; make the mode exact
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Removes the folders this call created (deepest first), leaving any that gained other files. */
function removeCreatedDirs(dir: string, firstCreated: string): void {
  for (let current = dir; current.length >= firstCreated.length; current = dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return;
    }
    if (current === firstCreated) return;
  }
}
