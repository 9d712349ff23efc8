import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // chDB allows one data directory per process: each test file runs in its own fork.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
