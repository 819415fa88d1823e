/**
 * `npm run cert -- <create|inspect|rotate>`: parses flags, calls tools/certs, prints through its
 * formatters. Passwords come from KEYSTORE_PASSWORD or a generated file, never from argv.
 */
import { parseArgs } from 'node:util';
import { ToolError } from '../core/ToolError.ts';
import { createCertificateSet, DEFAULT_OUT_DIR } from '../certs/createCertificateSet.ts';
import { inspectFile } from '../certs/inspect.ts';
import { resolveNewKeystorePassword, PASSWORD_ENV } from '../certs/keystorePassword.ts';
import { rotateCertificateSet } from '../certs/rotateCertificateSet.ts';
import { createdHuman, createdJson, errorHuman, inspectedHuman, inspectedJson, rotatedHuman, rotatedJson } from '../certs/formatters.ts';

const USAGE = `Usage:
  npm run cert -- create [--out DIR] [--cn NAME] [--alias NAME] [--bits 2048|3072|4096] [--days N] [--force] [--json] [--show-password]
  npm run cert -- inspect FILE [--key KEY.pem] [--json]
  npm run cert -- rotate [--out DIR] [--alias CURRENT] [--cn NAME] [--bits N] [--days N] [--json] [--show-password]
Password: ${PASSWORD_ENV} from the environment, else generated into <alias>.password (0600) beside the keystore.
Default --out: ${DEFAULT_OUT_DIR} (git-ignored).`;

const OPTIONS = {
  out: { type: 'string' },
  cn: { type: 'string' },
  alias: { type: 'string' },
  bits: { type: 'string' },
  days: { type: 'string' },
  key: { type: 'string' },
  force: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  'show-password': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const ALLOWED: Record<string, string[]> = {
  create: ['out', 'cn', 'alias', 'bits', 'days', 'force', 'json', 'show-password', 'help'],
  rotate: ['out', 'cn', 'alias', 'bits', 'days', 'json', 'show-password', 'help'],
  inspect: ['key', 'json', 'help'],
};

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new ToolError(`--${flag} must be a whole number, got '${value}'.`, 'InvalidOption', [
      `Pass e.g. --${flag} ${flag === 'bits' ? 2048 : 365}`,
    ]);
  return Number(value);
}

function parse(argv: string[]) {
  const secretFlag = argv.find((a) => /^--?(password|pass|storepass|keypass)(=|$)/i.test(a));
  if (secretFlag) {
    throw new ToolError('Passwords are never taken on the command line (other users can read it with ps).', 'PasswordOnArgv', [
      `Set ${PASSWORD_ENV} in the environment, or omit it to have one generated into a 0600 file.`,
    ]);
  }
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new ToolError((cause as Error).message.split('\n')[0]!, 'InvalidOption', ['Run: npm run cert -- --help']);
  }
}

export async function main(argv: string[]): Promise<number> {
  const wantsJson = argv.includes('--json');
  try {
    const { values, positionals } = parse(argv);
    const [command, ...rest] = positionals;
    if (values.help || command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (command === undefined) {
      process.stderr.write(`${USAGE}\n`);
      return 1;
    }
    const allowed = ALLOWED[command];
    const misplaced =
      allowed && Object.keys(values).find((flag) => !allowed.includes(flag) && values[flag as keyof typeof values] !== false);
    if (misplaced) throw new ToolError(`--${misplaced} does not apply to ${command}.`, 'InvalidOption', ['Run: npm run cert -- --help']);
    const out = values.out ?? DEFAULT_OUT_DIR;
    const common = { alias: values.alias, cn: values.cn, bits: integer('bits', values.bits), days: integer('days', values.days) };
    if (command !== 'inspect' && rest.length > 0)
      throw new ToolError(`Unexpected argument '${rest[0]}'.`, 'InvalidOption', ['Run: npm run cert -- --help']);
    switch (command) {
      case 'create': {
        const password = resolveNewKeystorePassword();
        const result = await createCertificateSet(out, password, { ...common, force: values.force });
        print(values.json ? createdJson(result) : createdHuman(result, values['show-password'] ? password.value : undefined));
        return 0;
      }
      case 'rotate': {
        const password = resolveNewKeystorePassword();
        const result = await rotateCertificateSet(out, password, common);
        print(values.json ? rotatedJson(result) : rotatedHuman(result, values['show-password'] ? password.value : undefined));
        return 0;
      }
      case 'inspect': {
        if (rest.length !== 1)
          throw new ToolError('inspect takes exactly one FILE.', 'InvalidOption', [
            'Run: npm run cert -- inspect .local/certs/orga_jwt_signing.jks',
          ]);
        const report = inspectFile(rest[0]!, { keyPath: values.key });
        print(values.json ? inspectedJson(report) : inspectedHuman(report));
        return 0;
      }
      default:
        throw new ToolError(`Unknown subcommand '${command}'.`, 'InvalidOption', ['Use create, inspect or rotate: npm run cert -- --help']);
    }
  } catch (caught) {
    const error =
      caught instanceof ToolError
        ? caught
        : new ToolError(String((caught as Error)?.message ?? caught).split('\n')[0]!, 'UnexpectedError', [
            'Report this with the command you ran.',
          ]);
    if (wantsJson) process.stdout.write(`${JSON.stringify({ status: error.exitCode, ...error.toJson() }, null, 2)}\n`);
    else process.stderr.write(`${errorHuman(error)}\n`);
    return error.exitCode;
  }
}

function print(output: string | Record<string, unknown>): void {
  process.stdout.write(typeof output === 'string' ? `${output}\n` : `${JSON.stringify(output, null, 2)}\n`);
}

process.exitCode = await main(process.argv.slice(2));
