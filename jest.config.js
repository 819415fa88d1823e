// LWC Jest configuration (sfdx-lwc-jest). The project is an ES module package, so this file is ESM.
// Only the components' __tests__ run here; everything else is vitest's (npm test runs both: see
// test/force-app/lwcJest.test.ts).
import sfdxLwcJest from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig } = sfdxLwcJest;

export default {
  ...jestConfig,
  rootDir: import.meta.dirname,
  roots: ['<rootDir>/force-app'],
  testMatch: ['**/lwc/**/__tests__/**/*.test.js'],
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/.local'],
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
};
