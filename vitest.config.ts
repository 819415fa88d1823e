import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * Three loops (DEVELOPING.md): `unit` runs in-process only (no sf CLI, no background platform, no browser),
 * `e2e` drives real processes (the sf CLI, tsx commands, Jest, background servers), `browser` drives Chromium.
 * A new test that starts a process belongs in e2e: name it *.e2e.test.ts or list it here.
 */
const E2E = [
  'test/**/*.e2e.test.ts',
  'test/apex/projectTests.test.ts',
  'test/certs/cli.test.ts',
  'test/cli/commands.test.ts',
  'test/force-app/lwcJest.test.ts',
  'test/force-app/codeAnalyzer.test.ts',
  'test/local-platform/apex/apexRoutes.test.ts',
  'test/local-platform/apex/compileErrors.test.ts',
  'test/local-platform/hostile/process.test.ts',
  'test/local-platform/licenses.test.ts',
  'test/local-platform/localOrgsCli.test.ts',
  'test/local-platform/metadata/sfDeployRetrieve.test.ts',
  'test/local-platform/sfCliCompat.test.ts',
  'test/ci/workflowRunner.test.ts',
  'test/provisioning/teardown.test.ts',
];
const BROWSER = ['test/browser/**/*.test.ts'];

export default defineConfig({
  plugins: [
    {
      // Inlined @actions/workflow-parser (below) points its source maps at sources it does not ship: Vite
      // would warn once per file. Its files load without the map comment.
      name: 'workflow-parser-without-source-maps',
      enforce: 'pre',
      load(id) {
        const file = id.split('?')[0]!;
        if (!/\/@actions\/workflow-parser\/dist\/.*\.js$/.test(file)) return null;
        return readFileSync(file, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
      },
    },
  ],
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Suites start local servers and the sf CLI; two cores cannot take more at once.
    maxWorkers: 2,
    // @actions/workflow-parser imports its JSON schema without `with { type: 'json' }`, which Node's ESM
    // loader refuses; Vite transforms it (test/ci).
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    projects: [
      // Unit files share each worker's module graph (isolate: false): re-importing the Apex runtime and the
      // platform for every file was over a third of the loop's time. So a unit test leaves process.env and
      // module state as it found them.
      { extends: true, test: { name: 'unit', isolate: false, include: ['test/**/*.test.ts'], exclude: [...E2E, ...BROWSER] } },
      { extends: true, test: { name: 'e2e', include: E2E, exclude: BROWSER } },
      { extends: true, test: { name: 'browser', include: BROWSER } },
    ],
  },
});
