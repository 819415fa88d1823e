/**
 * Import rules for tools/ (npm run lint:imports; part of npm test). Arrows point one way:
 *   cli → provisioning → local-platform → apex → data → core, and inside the Apex runtime parse → check → lower → run.
 * certs and external-service sit beside provisioning, below cli; bench may import anything but cli.
 * Inside the runtime, model/ sits below every phase; compiler.ts (parse → check → lower) hands the runtime a
 * RunnableProgram (model/program.ts). lower/ is a closure compiler: the closures it emits call run/'s instruction
 * set, so lower/ may import run/ except the transaction entry (runtime.ts), and run/ imports no parse/, check/
 * or lower/ value. lib/ (system types) is the runtime's library: it imports model/ and run/'s values and calls, never
 * parse/, check/, lower/ or run/runtime.ts, and check/ imports nothing of lib/ (DEVELOPING.md, "Layout and layers").
 * Violations that existed when the rules were written are listed in .dependency-cruiser-known-violations.json:
 * they may only shrink; any new one fails.
 */
const layer = (name, mayNotImport, comment) => ({
  name,
  severity: 'error',
  comment,
  from: { path: `^tools/${name}/` },
  to: { path: `^tools/(${mayNotImport.join('|')})/` },
});
const phase = (name, later) => ({
  name: `apex-${name}-before-${later.join('-')}`,
  severity: 'error',
  comment: `The Apex runtime runs parse → check → lower → run: ${name}/ imports nothing of a later phase.`,
  from: { path: `^tools/apex/${name}/` },
  to: { path: `^tools/apex/(${later.join('|')})/`, dependencyTypesNot: ['type-only'] },
});
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes load order decide behaviour (an undefined constant once broke CI).',
      from: { path: '^tools/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    layer(
      'core',
      ['data', 'apex', 'local-platform', 'provisioning', 'cli', 'certs', 'external-service', 'bench', 'ci'],
      'core is the bottom layer.',
    ),
    layer(
      'data',
      ['apex', 'local-platform', 'provisioning', 'cli', 'certs', 'bench', 'external-service', 'ci'],
      'The data engine (SQLite store, SOQL, schema, ids) serves the platform and the Apex tests alike.',
    ),
    layer(
      'apex',
      ['local-platform', 'provisioning', 'cli', 'bench', 'external-service', 'ci'],
      'The Apex runtime knows nothing of the platform that hosts it.',
    ),
    layer('certs', ['apex', 'local-platform', 'provisioning', 'cli', 'bench', 'ci'], 'certs is a library below the tools that use it.'),
    layer('local-platform', ['provisioning', 'cli', 'bench', 'ci'], 'The platform is what provisioning talks to, never the other way.'),
    layer('external-service', ['provisioning', 'cli', 'bench', 'local-platform', 'ci'], 'The reference service stands alone.'),
    layer('provisioning', ['cli', 'bench'], 'Commands are thin: the libraries they call never import them.'),
    layer('ci', ['cli', 'bench'], 'The workflow runner is a library.'),
    layer('bench', ['cli'], 'Benchmarks call libraries, not commands.'),
    {
      name: 'apex-model-imports-no-phase',
      severity: 'error',
      comment:
        'model/ (types, class definitions, signatures, the program interface) is what every phase may import: it imports no phase and no library.',
      from: { path: '^tools/apex/model/' },
      to: { path: '^tools/apex/(parse|check|lower|run|lib)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'apex-only-parse-reads-the-grammar',
      severity: 'error',
      comment:
        "parse/ turns Salesforce's grammar (@apexdevtools/apex-parser's ANTLR contexts) into our own syntax tree (parse/ast.ts); " +
        'every later phase, and every other part of tools/ (deploys check syntax through parse/syntaxErrors.ts), ' +
        'reads that tree and never imports or names the grammar, not even its types.',
      from: { path: '^tools/', pathNot: '^tools/apex/parse/' },
      to: { path: 'node_modules/@apexdevtools/apex-parser/' },
    },
    phase('parse', ['check', 'lower', 'run', 'lib']),
    phase('check', ['lower', 'run', 'lib']),
    {
      name: 'apex-check-knows-no-library',
      severity: 'error',
      comment:
        "The checker reads the system library's signatures and the built-in exceptions from model/ (natives.ts, exceptions.ts), " +
        'which lib/ fills when it loads: parse/ and check/ import nothing of lib/, not even a type.',
      from: { path: '^tools/apex/(parse|check)/' },
      to: { path: '^tools/apex/lib/' },
    },
    {
      name: 'apex-lib-is-the-runtimes-library',
      severity: 'error',
      comment:
        "lib/ implements system types on the runtime's values and calls: it imports model/, run/ (never the transaction entry " +
        'run/runtime.ts), errors.ts, host.ts and core/, nothing else of tools/ (no parse/, check/, lower/, compiler, platform).',
      from: { path: '^tools/apex/lib/' },
      to: {
        path: '^tools/',
        pathNot: '^tools/(apex/(lib|model)/|apex/run/(?!runtime\\.ts$)|apex/(errors|host)\\.ts$|core/)',
      },
    },
    {
      name: 'apex-lower-calls-only-the-instruction-set',
      severity: 'error',
      comment:
        "lower/ builds closures that call the runtime's instruction set (run/'s values, operators, equality, members, calls, dml, data, " +
        'exceptions, types, frame, transaction, triggers): it may import those, never the transaction entry run/runtime.ts.',
      from: { path: '^tools/apex/lower/' },
      to: { path: '^tools/apex/run/runtime\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'apex-run-gets-compiled-programs',
      severity: 'error',
      comment: 'The runtime receives compiled programs (model/program.ts, built by compiler.ts): run/ never parses, checks or lowers.',
      from: { path: '^tools/apex/run/' },
      to: { path: '^tools/apex/(parse|check|lower)/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^tools/local-platform/lightning/(modules|client)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.mjs', '.js'],
    },
  },
};
