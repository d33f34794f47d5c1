import { defineConfig } from 'vitest/config';

/**
 * The browser test: a real server, the built client and Debian's Chromium (/usr/bin/chromium, driven
 * by playwright-core). Run with `npm run test:browser`. Long timeouts: building the client and
 * starting Chromium take seconds.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
