/**
 * Runs one job of a GitHub Actions workflow file on this machine, as a runner would, so a test can prove
 * the workflow works before GitHub runs it: the file is read and checked by GitHub's own parser
 * (@actions/workflow-parser), every `${{ }}` is evaluated by GitHub's expression library
 * (@actions/expressions) with the runner's semantics, and each `run:` step runs in bash with its `env:`
 * and `if:`. `uses:` steps are skipped: the caller runs in a checkout that already has what they set up.
 *
 * Semantics followed (GitHub Docs, "Contexts", "Expressions", "Workflow commands", "Store information in variables"):
 * - an unset secret or variable is the empty string;
 * - a step's `if:` without a status function is `success() && (…)`; `always()`, `success()`, `failure()`
 *   and `cancelled()` look at the steps before it; a failed step makes later ones skip unless they ask;
 * - a `run:` step with no `shell:` runs as `bash -e {0}`;
 * - lines a step appends to `$GITHUB_ENV` (`NAME=value` or `NAME<<DELIM`) are set for the later steps,
 *   `$GITHUB_PATH` lines go in front of PATH;
 * - RUNNER_TEMP, GITHUB_WORKSPACE, GITHUB_ENV, GITHUB_PATH, GITHUB_OUTPUT, CI, GITHUB_ACTIONS, RUNNER_OS are set.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { TokenType } from '@actions/expressions/lexer';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { convertWorkflowTemplate, isBasicExpression, isString, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { Job, Step } from '@actions/workflow-parser/model/workflow-template';

export interface WorkflowRunOptions {
  /** The workflow file (read, parsed and checked as GitHub does). */
  workflowFile: string;
  /** The id of the job to run (its `needs:` are taken as succeeded). */
  job: string;
  /** The checkout: steps run here (GITHUB_WORKSPACE). */
  workspace: string;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** The runner's own environment (PATH, HOME, …); the workflow's and job's `env:` go on top. */
  runnerEnv?: Record<string, string | undefined>;
  /**
   * `run:` scripts not to run, with the reason recorded instead (e.g. `npm ci` where the checkout's
   * node_modules came from the same lockfile). Matched against the whole script, trimmed.
   */
  skipRuns?: Record<string, string>;
  /** Each step's output as it comes (stdout and stderr together). */
  onOutput?: (step: string, text: string) => void;
  /** Per-step time limit (default 20 minutes). */
  stepTimeoutMs?: number;
}

export type StepOutcome = 'success' | 'failure' | 'skipped';

export interface StepResult {
  name: string;
  outcome: StepOutcome;
  /** Why a step did not run: its `if:` was false, it is a `uses:` step, or a skipRuns entry. */
  reason?: string;
  exitCode?: number;
  output: string;
}

export interface JobResult {
  conclusion: 'success' | 'failure';
  steps: StepResult[];
}

/** Parses the workflow with GitHub's parser; any error in the file fails here with GitHub's message. */
export async function loadJob(workflowFile: string, jobId: string): Promise<{ job: Job; workflowEnv?: TemplateToken }> {
  const content = await readFile(workflowFile, 'utf8');
  const parsed = parseWorkflow({ name: workflowFile, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length || !parsed.value) throw new Error(`${workflowFile} does not parse: ${errors.map((e) => e.message).join('; ')}`);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors?.length) throw new Error(`${workflowFile}: ${template.errors.map((e) => e.Message).join('; ')}`);
  const job = template.jobs.find((j) => j.id.value === jobId);
  if (!job || job.type !== 'job') throw new Error(`${workflowFile} has no job '${jobId}'.`);
  return { job, workflowEnv: template.env };
}

/** Every `secrets.NAME` / `vars.NAME` the file mentions, so an unset one reads as '' (as GitHub gives it). */
async function namesUsed(workflowFile: string, context: 'secrets' | 'vars'): Promise<string[]> {
  const text = await readFile(workflowFile, 'utf8');
  return [...text.matchAll(new RegExp(`\\b${context}\\.([A-Za-z_][A-Za-z0-9_]*)`, 'g'))].map((m) => m[1]!);
}

function dictionary(values: Record<string, string>): data.Dictionary {
  const d = new data.Dictionary();
  for (const [k, v] of Object.entries(values)) d.add(k, new data.StringData(v));
  return d;
}

const CONTEXTS = ['github', 'env', 'vars', 'secrets', 'runner', 'job', 'steps', 'needs', 'inputs', 'matrix', 'strategy'];

/** Evaluates one expression (without `${{ }}`) with GitHub's library and the job's status so far. */
function evaluate(expression: string, context: data.Dictionary, jobFailed: boolean): data.ExpressionData {
  const status = (name: string, value: () => boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value()),
  });
  const functions = [
    status('always', () => true),
    status('success', () => !jobFailed),
    status('failure', () => jobFailed),
    status('cancelled', () => false),
  ];
  const hashFiles: FunctionDefinition = { name: 'hashFiles', minArgs: 1, maxArgs: 255, call: () => new data.StringData('') };
  const all = [...functions, hashFiles];
  const lexed = new Lexer(expression).lex();
  // @actions/expressions 0.3.61 unescapes only the first '' of a string literal (lexer.js: value.replace("''", "'"));
  // GitHub unescapes each ("Expressions" → Literals: escape a single quote with a single quote).
  for (const token of lexed.tokens) {
    if (token.type === TokenType.STRING) (token as { value?: unknown }).value = token.lexeme.slice(1, -1).replaceAll("''", "'");
  }
  const tree = new Parser(lexed.tokens, CONTEXTS, all).parse();
  return new Evaluator(tree, context, new Map(all.map((f) => [f.name.toLowerCase(), f]))).evaluate();
}

function truthy(value: data.ExpressionData): boolean {
  switch (value.kind) {
    case data.Kind.Null:
      return false;
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Number:
      return (value as data.NumberData).value !== 0 && !Number.isNaN((value as data.NumberData).value);
    case data.Kind.String:
      return (value as data.StringData).value !== '';
    default:
      return true;
  }
}

/** A token's value as a string: literal text, or an expression evaluated and coerced as GitHub does (null → ''). */
function tokenString(token: TemplateToken, context: data.Dictionary, jobFailed: boolean): string {
  if (isString(token)) return token.value;
  if (isBasicExpression(token)) {
    const v = evaluate(token.expression, context, jobFailed);
    return v.kind === data.Kind.Null ? '' : v.coerceString();
  }
  return token.toString();
}

/** A mapping token's pairs (`env:`), each value evaluated. */
function mappingValues(token: TemplateToken | undefined, context: data.Dictionary, jobFailed: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (!token) return out;
  const mapping = token as unknown as { count: number; get(i: number): { key: TemplateToken; value: TemplateToken } };
  for (let i = 0; i < mapping.count; i++) {
    const pair = mapping.get(i);
    out[tokenString(pair.key, context, jobFailed)] = tokenString(pair.value, context, jobFailed);
  }
  return out;
}

function stepName(step: Step, index: number): string {
  const s = step as Step & { name?: TemplateToken; run?: TemplateToken; uses?: TemplateToken };
  if (s.name && isString(s.name)) return s.name.value;
  if (s.uses && isString(s.uses)) return `uses ${s.uses.value}`;
  if (s.run && isString(s.run)) return `run ${s.run.value.trim().split('\n')[0]}`;
  return `step ${index + 1}`;
}

/** Parses `$GITHUB_ENV` lines: `NAME=value` and the multi-line `NAME<<DELIMITER … DELIMITER`. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]!);
      out[heredoc[1]!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function runBash(
  script: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
  onOutput: (t: string) => void,
): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      onOutput(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : 1), output });
    });
  });
}

/** Runs the job's steps in order and reports each; never throws for a failing step (the job fails). */
export async function runWorkflowJob(options: WorkflowRunOptions): Promise<JobResult> {
  const { job, workflowEnv } = await loadJob(options.workflowFile, options.job);
  const secrets: Record<string, string> = Object.fromEntries((await namesUsed(options.workflowFile, 'secrets')).map((n) => [n, '']));
  const vars: Record<string, string> = Object.fromEntries((await namesUsed(options.workflowFile, 'vars')).map((n) => [n, '']));
  Object.assign(secrets, options.secrets);
  Object.assign(vars, options.vars);
  const runnerTemp = await mkdtemp(join(tmpdir(), 'runner-temp-'));
  const files = {
    env: join(runnerTemp, '_github_env'),
    path: join(runnerTemp, '_github_path'),
    output: join(runnerTemp, '_github_output'),
  };
  const runnerEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.runnerEnv ?? process.env)) if (v !== undefined) runnerEnv[k] = v;
  Object.assign(runnerEnv, {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_JOB: options.job,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_OUTPUT: files.output,
  });

  const base = (env: Record<string, string>) => {
    const d = new data.Dictionary();
    d.add('secrets', dictionary(secrets));
    d.add('vars', dictionary(vars));
    d.add('env', dictionary(env));
    d.add('github', dictionary({ workspace: options.workspace, job: options.job, event_name: 'push' }));
    d.add('runner', dictionary({ os: 'Linux', temp: runnerTemp }));
    return d;
  };
  const steps: StepResult[] = [];
  let failed = false;
  const exported: Record<string, string> = {};
  const pathPrefix: string[] = [];
  try {
    // Workflow env, then job env (each sees what came before it).
    const envSoFar = mappingValues(workflowEnv, base({}), false);
    Object.assign(envSoFar, mappingValues(job.env, base(envSoFar), false));
    for (const [index, step] of job.steps.entries()) {
      const name = stepName(step, index);
      const s = step as Step & { if?: { expression: string }; run?: TemplateToken; uses?: TemplateToken; env?: TemplateToken };
      const contextEnv = { ...envSoFar, ...exported };
      const condition = s.if?.expression ?? 'success()';
      if (!truthy(evaluate(condition, base(contextEnv), failed))) {
        steps.push({ name, outcome: 'skipped', reason: `if: ${condition}`, output: '' });
        continue;
      }
      if (s.uses) {
        steps.push({ name, outcome: 'skipped', reason: 'a uses: step (the checkout stands for it)', output: '' });
        continue;
      }
      if (!s.run) {
        steps.push({ name, outcome: 'skipped', reason: 'neither run: nor uses:', output: '' });
        continue;
      }
      const stepEnv = mappingValues(s.env, base(contextEnv), failed);
      const script = tokenString(s.run, base({ ...contextEnv, ...stepEnv }), failed);
      const skip = options.skipRuns?.[script.trim()];
      if (skip) {
        steps.push({ name, outcome: 'skipped', reason: skip, output: '' });
        continue;
      }
      await writeFile(files.env, '');
      await writeFile(files.path, '');
      const scriptFile = join(runnerTemp, `step-${index}.sh`);
      await writeFile(scriptFile, script, { mode: 0o700 });
      const env = { ...runnerEnv, ...contextEnv, ...stepEnv };
      env.PATH = [...pathPrefix, env.PATH ?? ''].join(':');
      const r = await runBash(scriptFile, options.workspace, env, options.stepTimeoutMs ?? 20 * 60_000, (t) => options.onOutput?.(name, t));
      Object.assign(exported, parseEnvFile(await readFile(files.env, 'utf8')));
      pathPrefix.unshift(...(await readFile(files.path, 'utf8')).split('\n').filter(Boolean).reverse());
      const outcome: StepOutcome = r.exitCode === 0 ? 'success' : 'failure';
      if (outcome === 'failure') failed = true;
      steps.push({ name, outcome, exitCode: r.exitCode, output: r.output });
    }
  } finally {
    await rm(runnerTemp, { recursive: true, force: true });
  }
  return { conclusion: failed ? 'failure' : 'success', steps };
}
