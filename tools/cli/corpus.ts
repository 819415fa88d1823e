/**
 * `npm run corpus -- [--manifest test/corpus/projects.json] [--dir .local/corpus] [--from-mirrors DIR] [--only a,b] [--json] [--timeout 600]`:
 * runs the tests of the public Apex projects listed in a corpus manifest (test/corpus/projects.json, or
 * the held-out set test/corpus/heldout.json) on the local Apex
 * runtime (what `npm run apex-test -- --json --source-dir …` does, one child process per project) and
 * prints per project the test methods passed of all, and the compile errors (`--save DIR` keeps each
 * project's apex-test JSON, to read the failures). The projects' code is
 * never in this repository: each is a checkout in `<dir>/<owner>+<name>` (git-ignored), made by the
 * developer (`git clone` + `git checkout <commit>`) or with `--from-mirrors` from local git mirrors.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFlags } from './flags.ts';
import { runMain } from './runMain.ts';
import { ToolError } from '../core/ToolError.ts';
import { apexNames, checkoutName, dependencyOrder, readManifest, type CorpusProject } from './corpusManifest.ts';

const USAGE =
  'Usage: npm run corpus -- [--manifest test/corpus/projects.json] [--dir .local/corpus] [--from-mirrors DIR] [--only owner/name,...] [--json] [--timeout SECONDS] [--save DIR]';
const ROOT = resolve(import.meta.dirname, '..', '..');
const MANIFEST = join(ROOT, 'test', 'corpus', 'projects.json');

export interface CorpusRow {
  repo: string;
  passed: number;
  total: number;
  compileErrors: number;
  warnings: number;
  seconds: number;
  /** Why the project could not be measured (missing checkout, crash, timeout). */
  problem?: string;
  firstCompileErrors: string[];
}

/** Extracts the project's pinned commit from a local mirror (a bare repository or a `.git` folder). */
function materialize(p: CorpusProject, mirrors: string, target: string): void {
  const base = join(mirrors, checkoutName(p));
  const candidates = [join(base, 'repo'), join(base, 'repo', '.git'), base, join(base, '.git')];
  const gitDir = candidates.find((d) => existsSync(join(d, 'HEAD')));
  if (!gitDir)
    throw new ToolError(`No git mirror of ${p.repo} under ${mirrors}.`, 'CorpusMirrorMissing', [
      `git clone --mirror https://github.com/${p.repo} ${join(mirrors, checkoutName(p), 'repo')}`,
    ]);
  mkdirSync(target, { recursive: true });
  // only what a run reads (mirrors may lack large binaries elsewhere in the tree): the source folders and top-level files
  const top = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '--name-only', p.commit], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => /^(licen[cs]e|copying|sfdx-project\.json|readme)/i.test(f));
  const archive = execFileSync('git', ['--git-dir', gitDir, 'archive', p.commit, '--', ...top, ...p.sourceDirs], {
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  execFileSync('tar', ['-x', '-C', target], { input: archive });
}

/** A checkout and the source folders of it a run deploys. */
interface Deployed {
  project: CorpusProject;
  checkout: string;
}

function runProject(target: Deployed, deps: Deployed[], timeoutMs: number, save?: string): Promise<CorpusRow> {
  const p = target.project;
  const started = Date.now();
  const row: CorpusRow = { repo: p.repo, passed: 0, total: 0, compileErrors: 0, warnings: 0, seconds: 0, firstCompileErrors: [] };
  const dirs = (d: Deployed) => d.project.sourceDirs.map((s) => join(d.checkout, s));
  // with dependencies deployed beside it, only the project's own classes' tests and errors count
  const own = deps.length ? apexNames(dirs(target)) : undefined;
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'tools', 'cli', 'apexTest.ts'),
    '--json',
    ...[...deps, target].flatMap(dirs).flatMap((d) => ['--source-dir', d]),
    ...(own ? ['--class-names', [...own].join(',')] : []),
  ];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      row.seconds = Math.round((Date.now() - started) / 1000);
      if (signal) row.problem = `stopped after ${Math.round(timeoutMs / 1000)} s`;
      else {
        try {
          if (save) writeFileSync(join(save, `${checkoutName(p)}.json`), out);
          const r = JSON.parse(out).result as {
            tests: { MethodName: string; Outcome: string }[];
            compileErrors: { className: string; message: string; line: number }[];
            compileWarnings?: { className: string }[];
          };
          const mine = <T extends { className: string }>(es: T[]) => (own ? es.filter((e) => own.has(e.className.toLowerCase())) : es);
          const errors = mine(r.compileErrors);
          const methods = r.tests.filter((t) => t.MethodName !== '<compile>');
          row.total = methods.length;
          row.passed = methods.filter((t) => t.Outcome === 'Pass').length;
          row.compileErrors = errors.length;
          row.warnings = mine((r.compileWarnings ?? []) as { className: string }[]).length;
          row.firstCompileErrors = errors.slice(0, 3).map((e) => `${e.className}:${e.line} ${e.message}`);
        } catch {
          row.problem = `apex-test exited ${code}: ${(err || out).trim().split('\n').slice(0, 3).join(' | ')}`;
        }
      }
      done(row);
    });
  });
}

export function corpusTable(rows: CorpusRow[]): string {
  const pct = (r: CorpusRow) => (r.total ? `${Math.round((r.passed / r.total) * 100)}%` : '-');
  const lines = rows.map((r) =>
    [
      r.repo.padEnd(40),
      `${r.passed}/${r.total}`.padStart(9),
      pct(r).padStart(5),
      String(r.compileErrors).padStart(7),
      `${r.seconds}s`.padStart(6),
      r.problem ?? '',
    ]
      .join('  ')
      .trimEnd(),
  );
  const sum = (k: 'passed' | 'total' | 'compileErrors') => rows.reduce((n, r) => n + r[k], 0);
  const total = `TOTAL ${rows.length} projects: ${sum('passed')}/${sum('total')} test methods pass (${sum('total') ? Math.round((sum('passed') / sum('total')) * 100) : 0}%), ${sum('compileErrors')} compile errors, ${rows.filter((r) => r.compileErrors === 0 && r.total && r.passed / r.total >= 0.9).length} projects at 0 errors and >= 90%`;
  return (
    [
      ['PROJECT'.padEnd(40), 'PASSED'.padStart(9), 'RATE'.padStart(5), 'CERRORS'.padStart(7), 'TIME'.padStart(6)].join('  '),
      ...lines,
      total,
    ].join('\n') + '\n'
  );
}

async function main(argv: string[]): Promise<number> {
  const args = parseFlags(USAGE, {
    args: argv,
    options: {
      dir: { type: 'string', default: '.local/corpus' },
      manifest: { type: 'string', default: MANIFEST },
      'from-mirrors': { type: 'string' },
      only: { type: 'string' },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '600' },
      save: { type: 'string' },
    },
  }).values;
  const dir = resolve(args.dir!);
  const only = args.only?.split(',').map((s) => s.trim().toLowerCase());
  const manifest = readManifest(resolve(args.manifest!));
  const projects = manifest.projects.filter((p) => !only || only.some((o) => p.repo.toLowerCase().includes(o)));
  const rows: CorpusRow[] = [];
  const checkoutOf = (p: CorpusProject): string | undefined => {
    const checkout = join(dir, checkoutName(p));
    if (!existsSync(checkout) && args['from-mirrors']) materialize(p, resolve(args['from-mirrors']), checkout);
    return existsSync(checkout) ? checkout : undefined;
  };
  const missing = (p: CorpusProject) =>
    `no checkout at ${join(dir, checkoutName(p))} (git clone https://github.com/${p.repo} ${join(dir, checkoutName(p))} && git -C ${join(dir, checkoutName(p))} checkout ${p.commit})`;
  for (const p of projects) {
    const checkout = checkoutOf(p);
    const deps = dependencyOrder(p, manifest).map((d) => ({ project: d, checkout: checkoutOf(d) }));
    const absent = [...deps.filter((d) => !d.checkout).map((d) => d.project), ...(checkout ? [] : [p])];
    if (absent.length) {
      rows.push({
        repo: p.repo,
        passed: 0,
        total: 0,
        compileErrors: 0,
        warnings: 0,
        seconds: 0,
        firstCompileErrors: [],
        problem: absent.map(missing).join('; '),
      });
      continue;
    }
    if (args.save) mkdirSync(args.save, { recursive: true });
    const row = await runProject({ project: p, checkout: checkout! }, deps as Deployed[], Number(args.timeout) * 1000, args.save);
    rows.push(row);
    if (!args.json)
      process.stderr.write(
        `${p.repo}: ${row.passed}/${row.total}, ${row.compileErrors} compile errors${row.problem ? ` (${row.problem})` : ''}\n`,
      );
  }
  process.stdout.write(args.json ? JSON.stringify({ status: 0, result: rows }, null, 2) + '\n' : corpusTable(rows));
  return 0;
}

runMain(main);
