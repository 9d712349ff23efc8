import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // chDB allows one data directory per process: each test file runs in its own fork.
    pool: 'forks',
    testTimeout: 60_000,
    // Hooks start servers and real clients (ClickHouse, a language server): on a loaded 2-core machine
    // that takes longer than vitest's default 10 s.
    hookTimeout: 60_000,
  },
});
