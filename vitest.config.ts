import { defineConfig } from 'vitest/config';

/** Unit, room, HTTP and database tests. The browser test has its own config (test/browser). */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
