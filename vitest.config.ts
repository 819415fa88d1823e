import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Suites start local servers and the sf CLI; two cores cannot take more at once.
    maxWorkers: 2,
  },
});
