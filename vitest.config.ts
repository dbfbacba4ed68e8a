import { defineConfig } from 'vitest/config';

// One vitest run covers every package: unit tests beside the shared packages, integration tests
// that start each server's built bin, and the cross-server suites under test/.
export default defineConfig({
  test: {
    include: ['shared/*/test/**/*.test.ts', 'servers/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
