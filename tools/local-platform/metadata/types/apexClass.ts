/**
 * ApexClass: parsed with Salesforce's open-source Apex grammar through the runtime's parse/ phase, so a
 * syntax error fails the deploy with its line and column and Salesforce's wording
 * (apex/parse/syntaxErrors.ts); names and types are then checked by the runtime's checker.
 */
import type { RecordStore } from '../../http/contracts.ts';
import type { Handler } from './handler.ts';
import { readXml } from './handler.ts';
import type { Problem } from '../metadataXml.ts';
import type { DeployComponent } from '../readDeployZip.ts';
import type { SchemaOracle } from '../../../apex/check/checker.ts';
import { checkApexSyntax } from '../../../apex/parse/syntaxErrors.ts';

/**
 * What ApexClass and ApexTrigger share: the -meta.xml (apiVersion, status) and the source file.
 * `body` is undefined when the source is missing (the problem says so).
 */
export function readApexSource(
  c: DeployComponent,
  type: 'ApexClass' | 'ApexTrigger',
  ext: string,
  nameProblem?: string,
): { problems: Problem[]; body?: string; apiVersion?: string; status?: 'Active' | 'Inactive' | 'Deleted' } {
  const xml = readXml(c, type);
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  r.allowOnly(['apiVersion', 'packageVersions', 'status']);
  const apiVersion = r.string('apiVersion', { required: true });
  const status = r.enumValue('status', 'ApexCodeUnitStatus', ['Active', 'Inactive', 'Deleted'] as const) ?? 'Active';
  const problems: Problem[] = r.problems.map((p) => ({ ...p, fileName: c.xmlFileName }));
  if (nameProblem) return { problems: [...problems, { problem: nameProblem, fileName: c.fileName }] };
  const bodyBuf = c.files.get(c.fileName);
  if (!bodyBuf || c.fileName === c.xmlFileName)
    return { problems: [...problems, { problem: `Missing source file ${c.fullName}.${ext}`, fileName: c.fileName }] };
  return { problems, body: bodyBuf.toString('utf8'), apiVersion, status };
}

/**
 * Apex without its comments, read left to right so that a string holding `/*` or `//` (a REST
 * `urlMapping='/records/v1/*'`) stays a string; `strings` replaces string literals when given.
 */
function withoutComments(body: string, strings?: string): string {
  return body.replace(/'(?:\\.|[^'\\\n])*'|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => (m.startsWith("'") ? (strings ?? m) : ''));
}

export const apexClass: Handler = (c, env) => {
  const badName = !/^[A-Za-z][A-Za-z0-9_]*$/.test(c.fullName) || c.fullName.includes('__') || c.fullName.length > 40;
  const source = readApexSource(
    c,
    'ApexClass',
    'cls',
    badName ? `Invalid class name ${c.fullName}: up to 40 letters, digits and single underscores, starting with a letter.` : undefined,
  );
  const { problems, body, apiVersion, status } = source;
  if (body === undefined) return { problems };
  const syntax = checkApexSyntax(body);
  if (syntax) problems.push({ ...syntax, fileName: c.fileName });
  const declared = /\bclass\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(withoutComments(body, ''))?.[1];
  if (!syntax && declared && declared.toLowerCase() !== c.fullName.toLowerCase()) {
    // Wording unverified; Salesforce rejects a class whose name differs from its file name.
    problems.push({
      problem: `Invalid class name: ${declared}, expected ${c.fullName}`,
      fileName: c.fileName,
      lineNumber: 1,
      columnNumber: 1,
    });
  }
  const lengthWithoutComments = withoutComments(body).replace(/\s+/g, '').length;
  return {
    problems,
    data: { apiVersion, status },
    apply: (_db, records) => {
      upsertUnlessUnknownType(records, env.org.id, 'ApexClass', 'Name', {
        Name: c.fullName,
        Body: body,
        ApiVersion: Number(apiVersion),
        Status: status,
        IsValid: true,
        LengthWithoutComments: lengthWithoutComments,
        NamespacePrefix: null,
      });
    },
  };
};

/**
 * The ApexClass sObject row makes `SELECT … FROM ApexClass` work; a store that doesn't model ApexClass
 * (INVALID_TYPE) must not fail the deploy, since the class itself is stored in md_components.
 */
export function upsertUnlessUnknownType(
  records: RecordStore,
  orgId: string,
  sobject: string,
  key: string,
  fields: Record<string, unknown>,
): void {
  try {
    records.upsert(orgId, sobject, key, fields);
  } catch (e) {
    if ((e as { errorCode?: string }).errorCode !== 'INVALID_TYPE') throw e;
  }
}

/**
 * The compile phase of the local Apex runtime over the org's classes as the deploy would leave them:
 * Salesforce's compile errors (unknown variables and methods, illegal assignments, missing returns,
 * duplicate locals, invalid types …) with line and column. Only problems in this deploy's classes are
 * reported. The phase refuses only what Salesforce certainly refuses (tools/apex/README.md); what the
 * local runtime does not know comes back as a Warning (the class deploys). If the runtime itself fails
 * on a class, the syntax check above stands alone, so a runtime gap never fails a deploy.
 */
export async function checkApexTypes(
  batch: { name: string; body: string; fileName: string }[],
  stored: { name: string; body: string }[],
  schema?: SchemaOracle,
  triggers: { name: string; body: string; fileName: string }[] = [],
): Promise<{ name: string; type: 'ApexClass' | 'ApexTrigger'; problem: Problem }[]> {
  if (batch.length === 0 && triggers.length === 0) return [];
  let errors: { message: string; fileName: string; line: number; column: number }[];
  let warnings: typeof errors;
  try {
    const { Program } = await import('../../../apex/check/program.ts');
    const byName = new Map(stored.map((c) => [c.name.toLowerCase(), c]));
    for (const c of batch) byName.set(c.name.toLowerCase(), c);
    const program = new Program(
      [...byName.values()].map(({ name, body }) => ({ name, body })),
      schema,
    );
    errors = [...program.errors];
    warnings = [...program.warnings];
    for (const t of triggers) {
      const r = program.checkTrigger(t.name, t.body);
      errors.push(...r.errors);
      warnings.push(...r.warnings);
    }
  } catch {
    return [];
  }
  const units = [
    ...batch.map((c) => ({ ...c, type: 'ApexClass' as const, file: `${c.name}.cls` })),
    ...triggers.map((t) => ({ ...t, type: 'ApexTrigger' as const, file: `${t.name}.trigger` })),
  ];
  const unitOf = (fileName: string) => units.find((u) => u.file.toLowerCase() === fileName.toLowerCase());
  const out: { name: string; type: 'ApexClass' | 'ApexTrigger'; problem: Problem }[] = [];
  for (const w of warnings) {
    const u = unitOf(w.fileName);
    if (u)
      out.push({
        name: u.name,
        type: u.type,
        problem: { problem: w.message, fileName: u.fileName, lineNumber: w.line, columnNumber: w.column, problemType: 'Warning' },
      });
  }
  for (const e of errors) {
    const u = unitOf(e.fileName);
    // A construct the runtime cannot lower is its gap, not the class's fault.
    if (!u || /^(no type declaration|unexpected member)/.test(e.message)) continue;
    let { line: lineNumber, column: columnNumber } = e;
    const superType = /^Invalid type: (.+)$/.exec(e.message);
    if (superType && lineNumber === 1 && columnNumber === 1) {
      // Linking reports a missing superclass without a position: point at its `extends`.
      const at = u.body.search(new RegExp(`\\bextends\\s+${superType[1]!.replace(/[.]/g, '\\.')}\\b`, 'i'));
      const before = at >= 0 ? u.body.slice(0, at) : '';
      lineNumber = at >= 0 ? before.split('\n').length : 1;
      columnNumber = at >= 0 ? at - before.lastIndexOf('\n') : 1;
    }
    out.push({ name: u.name, type: u.type, problem: { problem: e.message, fileName: u.fileName, lineNumber, columnNumber } });
  }
  return out;
}
