/**
 * Time to produce a 2048-bit RSA key, a self-signed certificate and a JKS keystore: this project's
 * library (node:crypto key generation, node-forge certificate, our JKS encoder) against the usual
 * pipeline `openssl req -x509 -newkey rsa:2048` + `openssl pkcs12 -export` + `keytool -importkeystore`.
 * Both write their files to disk; passwords travel through the environment. Runs alternate so both see
 * the same machine load; the figure is the median. Target: ours under 0.5 s and at least 3x faster.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { createKeyMaterial } from '../certs/keyMaterial.ts';
import { encodeJks } from '../certs/jks.ts';
import { writeCertificateSet } from '../certs/writeCertificateSet.ts';
import { median } from './figures.ts';

const RUNS = 7;
const PASSWORD = 'bench-password-1';

async function ours(dir: string): Promise<void> {
  const material = await createKeyMaterial({ alias: 'Bench_Key', bits: 2048, days: 365 });
  writeFileSync(join(dir, 'bench.cert.pem'), material.certificatePem);
  writeFileSync(join(dir, 'bench.key.pem'), material.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'bench.jks'), encodeJks({ ...material, password: PASSWORD }), { mode: 0o600 });
}

async function oursFullSet(dir: string): Promise<void> {
  const material = await createKeyMaterial({ alias: 'Bench_Key', bits: 2048, days: 365 });
  writeCertificateSet(dir, material, { value: PASSWORD, source: 'env' }, { force: true });
}

async function pipeline(dir: string): Promise<void> {
  const env = { PW: PASSWORD };
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const p12 = join(dir, 'store.p12');
  await execa('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '365',
    '-subj',
    '/CN=Bench_Key',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  await execa('openssl', ['pkcs12', '-export', '-in', cert, '-inkey', key, '-name', 'bench_key', '-passout', 'env:PW', '-out', p12], {
    env,
  });
  await execa(
    'keytool',
    [
      '-importkeystore',
      '-noprompt',
      '-srckeystore',
      p12,
      '-srcstoretype',
      'PKCS12',
      '-srcstorepass:env',
      'PW',
      '-destkeystore',
      join(dir, 'store.jks'),
      '-deststoretype',
      'JKS',
      '-deststorepass:env',
      'PW',
      '-destkeypass:env',
      'PW',
    ],
    { env, stdin: 'ignore' },
  );
}

async function time(fn: (dir: string) => Promise<void>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-certs-'));
  try {
    const start = performance.now();
    await fn(dir);
    return (performance.now() - start) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (s: number): string => `${s.toFixed(3)} s`;

export async function run(): Promise<void> {
  await time(ours); // warm-up: module loading and JIT, not key generation, would otherwise dominate run 1
  await time(pipeline);
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(await time(ours));
    b.push(await time(pipeline));
    c.push(await time(oursFullSet));
  }
  const mine = median(a);
  const theirs = median(b);
  console.log(`2048-bit key + self-signed certificate + JKS, median of ${RUNS} runs (min..max):`);
  console.log(`  tools/certs (node:crypto + node-forge + our JKS)      ${fmt(mine)}  (${fmt(Math.min(...a))}..${fmt(Math.max(...a))})`);
  console.log(`  openssl req -x509 + openssl pkcs12 + keytool import   ${fmt(theirs)}  (${fmt(Math.min(...b))}..${fmt(Math.max(...b))})`);
  console.log(
    `  speed-up: ${(theirs / mine).toFixed(1)}x   target: ours < 0.500 s and >= 3x  -> ${mine < 0.5 && theirs / mine >= 3 ? 'met' : 'NOT met'}`,
  );
  console.log(`  full cert create set (also PKCS#12, atomic 0600 writes): ${fmt(median(c))}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
