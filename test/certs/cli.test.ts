/**
 * `npm run cert` as a user runs it (tsx on tools/cli/cert.ts), checked with keytool and openssl: the files
 * it writes, their modes, the --json output, and every bad input (one-line error, non-zero exit, nothing
 * left behind).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { listAll, keytool, openssl, pemBody, PKCS8_HEADER, removeDir, runCli, tempDir, type CliRun } from './helpers.ts';

let root: string;

beforeAll(() => {
  root = tempDir('certs-cli-');
});
afterAll(() => removeDir(root));

const mode = (path: string): number => statSync(path).mode & 0o777;
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** One error line `Error (Name): …` on stderr, then only `Try this:` lines; non-zero exit. */
function expectOneLineError(run: CliRun, name: string, messagePart?: string): void {
  expect(run.exitCode, run.stdout + run.stderr).not.toBe(0);
  const lines = run.stderr.trim().split('\n');
  expect(lines[0]).toMatch(new RegExp(`^Error \\(${name}\\): \\S`));
  if (messagePart) expect(lines[0]).toContain(messagePart);
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toMatch(/^Try this: \S/);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('cert create', () => {
  let out: string;
  let created: CliRun;
  let json: Record<string, any>;
  let password: string;

  beforeAll(async () => {
    out = join(root, 'create');
    created = await runCli(['create', '--out', out, '--alias', 'OrgA_JWT_Signing', '--cn', 'Org A signing', '--days', '30', '--json']);
    json = JSON.parse(created.stdout);
    password = readFileSync(join(out, 'orga_jwt_signing.password'), 'utf8').trim();
  });

  it('writes certificate, PKCS#8 key, JKS, PKCS#12 and the generated password; secrets 0600', () => {
    expect(created.exitCode, created.stderr).toBe(0);
    expect(listAll(out)).toEqual([
      'orga_jwt_signing.cert.pem',
      'orga_jwt_signing.jks',
      'orga_jwt_signing.key.pem',
      'orga_jwt_signing.p12',
      'orga_jwt_signing.password',
    ]);
    for (const secret of ['key.pem', 'jks', 'p12', 'password']) expect(mode(join(out, `orga_jwt_signing.${secret}`)), secret).toBe(0o600);
    expect(mode(join(out, 'orga_jwt_signing.cert.pem'))).toBe(0o644);
    expect(password.length).toBeGreaterThanOrEqual(24);
  });

  it('--json has paths, alias, fingerprint, serial, validity and no secret', () => {
    expect(json).toMatchObject({ alias: 'orga_jwt_signing', cn: 'Org A signing', bits: 2048, passwordSource: 'generated' });
    expect(json.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(json.serialHex).toMatch(/^[0-9a-f]{32}$/);
    expect(new Date(json.notAfter).getTime() - new Date(json.notBefore).getTime()).toBe(30 * 86_400_000);
    expect(json.paths.jks).toBe(join(out, 'orga_jwt_signing.jks'));
    expect(created.stdout).not.toContain(password);
    expect(created.stdout).not.toContain('PRIVATE KEY');
    const keyBody = pemBody(readFileSync(json.paths.privateKey, 'utf8'));
    expect(created.stdout).not.toContain(keyBody.slice(40, 80));
    expect(created.stderr).toBe('');
  });

  it('keytool reads the JKS with the password from the generated file; fingerprint matches --json', async () => {
    const r = await keytool(['-list', '-v', '-keystore', json.paths.jks, '-storepass:file', json.paths.password]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout)).toContain('Alias name: orga_jwt_signing');
    expect(String(r.stdout)).toContain('Entry type: PrivateKeyEntry');
    expect(String(r.stdout)).toContain(`SHA256: ${json.fingerprintSha256}`);
  });

  it('openssl: the key is PKCS#8 and matches the certificate; the PKCS#12 opens with the same password', async () => {
    expect(readFileSync(json.paths.privateKey, 'utf8').startsWith(PKCS8_HEADER)).toBe(true);
    const keyMod = await openssl(['rsa', '-in', json.paths.privateKey, '-noout', '-modulus']);
    const certMod = await openssl(['x509', '-in', json.paths.certificate, '-noout', '-modulus']);
    expect(String(keyMod.stdout).trim()).toMatch(/^Modulus=/);
    expect(String(keyMod.stdout)).toBe(String(certMod.stdout));
    const p12 = await openssl(['pkcs12', '-in', json.paths.pkcs12, '-passin', 'env:PW', '-nokeys'], password);
    expect(p12.exitCode, String(p12.stderr)).toBe(0);
    expect(pemBody(String(p12.stdout).slice(String(p12.stdout).indexOf('-----BEGIN CERTIFICATE')))).toBe(
      pemBody(readFileSync(json.paths.certificate, 'utf8')),
    );
  });

  it('human output names the files and does not print the password; --show-password does', async () => {
    const quiet = await runCli(['create', '--out', join(root, 'human')]);
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    expect(quiet.stdout).toContain('Import from Keystore');
    const generated = readFileSync(join(root, 'human', 'orga_jwt_signing.password'), 'utf8').trim();
    expect(quiet.stdout).not.toContain(generated);
    const shown = await runCli(['create', '--out', join(root, 'shown'), '--show-password']);
    const shownPassword = readFileSync(join(root, 'shown', 'orga_jwt_signing.password'), 'utf8').trim();
    expect(shown.stdout).toContain(`keystore password: ${shownPassword}`);
  });

  it('KEYSTORE_PASSWORD from the environment: no password file, keytool opens the JKS with it', async () => {
    const dir = join(root, 'env');
    const run = await runCli(['create', '--out', dir, '--alias', 'Env_Key', '--bits', '3072', '--json'], {
      env: { KEYSTORE_PASSWORD: 'from-the-env-123' },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('from-the-env-123');
    expect(JSON.parse(run.stdout).passwordSource).toBe('env');
    expect(listAll(dir)).not.toContain('env_key.password');
    const r = await keytool(['-list', '-v', '-keystore', join(dir, 'env_key.jks'), '-storepass:env', 'PW'], 'from-the-env-123');
    expect(String(r.stdout)).toContain('3072-bit RSA key');
  });

  it('refuses to overwrite without --force and leaves the old set untouched; --force replaces it', async () => {
    const before = listAll(out).map((f) => sha(join(out, f)));
    const again = await runCli(['create', '--out', out, '--alias', 'OrgA_JWT_Signing']);
    expectOneLineError(again, 'OutputExists', 'orga_jwt_signing.cert.pem');
    expect(again.stderr).toContain('Try this: Add --force');
    expect(listAll(out).map((f) => sha(join(out, f)))).toEqual(before);

    const forced = await runCli(['create', '--out', out, '--alias', 'OrgA_JWT_Signing', '--force', '--json']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).fingerprintSha256).not.toBe(json.fingerprintSha256);
    expect(listAll(out)).toHaveLength(5); // no temp files left
    const r = await keytool([
      '-list',
      '-keystore',
      join(out, 'orga_jwt_signing.jks'),
      '-storepass:file',
      join(out, 'orga_jwt_signing.password'),
    ]);
    expect(String(r.stdout)).toContain(JSON.parse(forced.stdout).fingerprintSha256);
  });
});

describe('cert create: bad input', () => {
  it('a folder inside force-app/ (nothing created)', async () => {
    const target = join(root, 'proj', 'force-app', 'main', 'default', 'certs');
    const run = await runCli(['create', '--out', target]);
    expectOneLineError(run, 'OutputInsideForceApp');
    expect(listAll(join(root, 'proj'))).toEqual([]);
  });

  it('a folder git would commit (inside a work tree, not ignored); an ignored one is fine', async () => {
    const repo = join(root, 'repo');
    mkdirSync(repo);
    await execa('git', ['init', '-q', repo]);
    writeFileSync(join(repo, '.gitignore'), '.local/\n');
    const run = await runCli(['create', '--out', 'keys'], { cwd: repo });
    expectOneLineError(run, 'OutputNotIgnored');
    expect(run.stderr).toContain('Try this: Write them to a git-ignored folder');
    expect(listAll(repo)).toEqual(['.git', '.gitignore']);
    const ok = await runCli(['create', '--json'], { cwd: repo }); // default --out .local/certs
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).paths.jks).toBe(join(repo, '.local', 'certs', 'orga_jwt_signing.jks'));
    const status = await execa('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo });
    expect(String(status.stdout).trim()).toBe('?? .gitignore');
  });

  it('an alias that is not a Salesforce API name', async () => {
    const dir = join(root, 'bad-alias');
    for (const alias of ['2fa_key', 'double__underscore', 'ends_', 'has-dash']) {
      const run = await runCli(['create', '--out', dir, '--alias', alias]);
      expectOneLineError(run, 'InvalidAlias', alias);
    }
    expect(listAll(dir)).toEqual([]);
  });

  it('an unsupported key size, with Salesforce wording', async () => {
    const dir = join(root, 'bad-bits');
    const run = await runCli(['create', '--out', dir, '--bits', '1024']);
    expectOneLineError(run, 'UnsupportedKeySize', 'Imported keys must have a bit size of 2048, 3072, or 4096.');
    expect(listAll(dir)).toEqual([]);
  });

  it('a password on the command line is refused and never echoed', async () => {
    const run = await runCli(['create', '--out', join(root, 'argv'), '--password=hunter2hunter2']);
    expectOneLineError(run, 'PasswordOnArgv');
    expect(run.stderr).not.toContain('hunter2');
    expect(listAll(join(root, 'argv'))).toEqual([]);
  });

  it('bad --days and unknown flags', async () => {
    expectOneLineError(await runCli(['create', '--out', join(root, 'days'), '--days', '0']), 'InvalidOption', '--days');
    expectOneLineError(await runCli(['create', '--out', join(root, 'days'), '--days', 'ten']), 'InvalidOption', '--days');
    expectOneLineError(await runCli(['create', '--bogus']), 'InvalidOption');
    expectOneLineError(await runCli(['create', '--key', 'x.pem']), 'InvalidOption', '--key does not apply to create');
    expectOneLineError(await runCli(['launch']), 'InvalidOption', "Unknown subcommand 'launch'");
    expect(listAll(join(root, 'days'))).toEqual([]);
  });

  it('--force over a folder where a file should be: refused before anything is replaced', async () => {
    const dir = join(root, 'blocked');
    const first = await runCli(['create', '--out', dir, '--alias', 'Blocked']);
    expect(first.exitCode, first.stderr).toBe(0);
    const before = ['blocked.cert.pem', 'blocked.key.pem', 'blocked.jks'].map((f) => sha(join(dir, f)));
    removeDir(join(dir, 'blocked.p12'));
    mkdirSync(join(dir, 'blocked.p12'));
    const run = await runCli(['create', '--out', dir, '--alias', 'Blocked', '--force']);
    expectOneLineError(run, 'InvalidOption', 'not a regular file');
    expect(['blocked.cert.pem', 'blocked.key.pem', 'blocked.jks'].map((f) => sha(join(dir, f)))).toEqual(before);
    expect(listAll(dir)).toEqual(['blocked.cert.pem', 'blocked.jks', 'blocked.key.pem', 'blocked.p12', 'blocked.password']);
  });

  it('--json errors are JSON on stdout with name, message and actions', async () => {
    const run = await runCli(['create', '--out', join(root, 'jsonerr'), '--bits', '512', '--json']);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 1,
      name: 'UnsupportedKeySize',
      message: 'Imported keys must have a bit size of 2048, 3072, or 4096.',
    });
  });
});

describe('cert inspect', () => {
  let dir: string;
  let other: string;

  beforeAll(async () => {
    dir = join(root, 'inspect');
    other = join(root, 'inspect-other');
    const [a, b] = await Promise.all([
      runCli(['create', '--out', dir, '--alias', 'Inspect_Me', '--days', '10']),
      runCli(['create', '--out', other, '--alias', 'Someone_Else']),
    ]);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
  });

  it('a JKS (password from its .password file): alias, subject, key size, fingerprint, days left, match', async () => {
    const run = await runCli(['inspect', join(dir, 'inspect_me.jks'), '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.kind).toBe('jks');
    expect(report.entries[0]).toMatchObject({
      alias: 'inspect_me',
      subject: 'CN=Inspect_Me',
      keyBits: 2048,
      keyType: 'rsa',
      keyMatchesCertificate: true,
      expired: false,
    });
    expect([9, 10]).toContain(report.entries[0].daysLeft);
    const list = await keytool(['-list', '-keystore', join(dir, 'inspect_me.jks'), '-storepass:file', join(dir, 'inspect_me.password')]);
    expect(String(list.stdout)).toContain(report.entries[0].fingerprintSha256);
    expect(run.stdout).not.toContain('PRIVATE KEY');
  });

  it('a PKCS#12, a certificate with its key beside it, a key alone, in human form', async () => {
    const p12 = await runCli(['inspect', join(dir, 'inspect_me.p12')]);
    expect(p12.exitCode, p12.stderr).toBe(0);
    expect(p12.stdout).toContain('pkcs12');
    expect(p12.stdout).toContain('key matches certificate: yes');
    const cert = await runCli(['inspect', join(dir, 'inspect_me.cert.pem')]);
    expect(cert.stdout).toMatch(/valid .* \(\d+ days left\)/);
    expect(cert.stdout).toContain('key matches certificate: yes');
    const key = await runCli(['inspect', join(dir, 'inspect_me.key.pem'), '--json']);
    expect(JSON.parse(key.stdout).entries[0]).toMatchObject({
      keyType: 'rsa',
      keyBits: 2048,
      keyFormat: 'pkcs8',
      keyMatchesCertificate: null,
    });
    expect(key.stdout).not.toContain('PRIVATE KEY');
  });

  it('a keystore made by keytool -genkeypair', async () => {
    const path = join(root, 'kt.jks');
    const gen = await keytool(
      [
        '-genkeypair',
        '-alias',
        'kt_made',
        '-dname',
        'CN=keytool',
        '-keyalg',
        'RSA',
        '-keysize',
        '2048',
        '-storetype',
        'JKS',
        '-keystore',
        path,
        '-storepass:env',
        'PW',
        '-keypass:env',
        'PW',
      ],
      'keytool-pass',
    );
    expect(gen.exitCode, String(gen.stderr)).toBe(0);
    const run = await runCli(['inspect', path, '--json'], { env: { KEYSTORE_PASSWORD: 'keytool-pass' } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).entries[0]).toMatchObject({ alias: 'kt_made', subject: 'CN=keytool', keyMatchesCertificate: true });
  });

  it('wrong password', async () => {
    const run = await runCli(['inspect', join(dir, 'inspect_me.jks')], { env: { KEYSTORE_PASSWORD: 'definitely-wrong' } });
    expectOneLineError(run, 'KeystorePasswordIncorrect');
    const p12 = await runCli(['inspect', join(dir, 'inspect_me.p12')], { env: { KEYSTORE_PASSWORD: 'definitely-wrong' } });
    expectOneLineError(p12, 'KeystorePasswordIncorrect');
  });

  it('a key that does not match its certificate', async () => {
    const run = await runCli(['inspect', join(dir, 'inspect_me.cert.pem'), '--key', join(other, 'someone_else.key.pem')]);
    expectOneLineError(run, 'KeyCertificateMismatch', 'The private key does not match the certificate chain in the keystore.');
  });

  it('a corrupt keystore', async () => {
    const path = join(root, 'corrupt.jks');
    writeFileSync(path, readFileSync(join(dir, 'inspect_me.jks')).subarray(0, 300));
    copyFileSync(join(dir, 'inspect_me.password'), join(root, 'corrupt.password'));
    expectOneLineError(await runCli(['inspect', path]), 'CorruptKeystore');
  });

  it('a key password different from the store password (Salesforce wording)', async () => {
    const path = join(root, 'keypass.jks');
    const gen = await keytool(
      [
        '-genkeypair',
        '-alias',
        'two_passwords',
        '-dname',
        'CN=x',
        '-keyalg',
        'RSA',
        '-keysize',
        '2048',
        '-storetype',
        'JKS',
        '-keystore',
        path,
        '-storepass:env',
        'PW',
        '-keypass:env',
        'KP',
      ],
      'store-pass',
      { KP: 'key-pass-other' },
    );
    expect(gen.exitCode, String(gen.stderr)).toBe(0);
    const run = await runCli(['inspect', path], { env: { KEYSTORE_PASSWORD: 'store-pass' } });
    expectOneLineError(
      run,
      'KeyPasswordDiffers',
      "The Keystore contains a certificate 'two_passwords' whose per key password is not the same as the keystore password.",
    );
  });

  it('a missing file and a keystore without a password', async () => {
    expectOneLineError(await runCli(['inspect', join(root, 'nope.pem')]), 'UnreadableFile', 'no such file');
    const lonely = join(root, 'lonely.jks');
    copyFileSync(join(dir, 'inspect_me.jks'), lonely);
    expectOneLineError(await runCli(['inspect', lonely]), 'KeystorePasswordMissing');
  });
});

describe('cert rotate', () => {
  it('writes the next set beside the current one under a new alias; the old set is untouched', async () => {
    const dir = join(root, 'rotate');
    const first = await runCli(['create', '--out', dir, '--alias', 'Signing', '--cn', 'Org A signing', '--json']);
    expect(first.exitCode, first.stderr).toBe(0);
    const before = listAll(dir).map((f) => sha(join(dir, f)));
    const rotated = await runCli(['rotate', '--out', dir, '--json']);
    expect(rotated.exitCode, rotated.stderr).toBe(0);
    const result = JSON.parse(rotated.stdout);
    expect(result.previous).toMatchObject({ alias: 'signing', fingerprintSha256: JSON.parse(first.stdout).fingerprintSha256 });
    expect(result.current).toMatchObject({ alias: 'signing_v2', cn: 'Org A signing' });
    expect(result.current.fingerprintSha256).not.toBe(result.previous.fingerprintSha256);
    expect(
      listAll(dir)
        .filter((f) => f.startsWith('signing.'))
        .map((f) => sha(join(dir, f))),
    ).toEqual(before);
    const r = await keytool(['-list', '-keystore', result.current.paths.jks, '-storepass:file', result.current.paths.password]);
    expect(String(r.stdout)).toContain('signing_v2, ');
    expect(rotated.stdout).not.toContain(readFileSync(result.current.paths.password, 'utf8').trim());

    const third = await runCli(['rotate', '--out', dir, '--json']);
    expect(JSON.parse(third.stdout).current.alias).toBe('signing_v3');
  });

  it('nothing to rotate', async () => {
    expectOneLineError(await runCli(['rotate', '--out', join(root, 'empty')]), 'NothingToRotate');
  });
});
