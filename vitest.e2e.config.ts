import { defineConfig } from 'vitest/config';

// End-to-end tests: Playwright drives Debian's Chromium against `trainyard serve` with a temp data dir.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
