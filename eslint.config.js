// Lint for the TypeScript of tools/ and test/ (npm run lint; part of npm test). Formatting is prettier's.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.local/**',
      'force-app/**',
      'tools/local-platform/lightning/modules/**',
      'tools/local-platform/lightning/client/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    // Small files (DEVELOPING.md, "Layout and layers"): no source file over 600 lines, tests included; split by concern.
    files: ['**/*.{ts,js,mjs,cjs}'],
    rules: { 'max-lines': ['error', { max: 600, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // Type-only imports marked as such, so the import check (dependency-cruiser) tells them from value imports.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The Apex runtime handles values of any Apex type; `any` at those seams is deliberate.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Class chains are walked from `this` (for (let c = this; c; c = c.superClass)); proxies keep their parent.
      '@typescript-eslint/no-this-alias': 'off',
      // A handler declared before the server that calls it and assigned once the server listens.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
);
