import { defineConfig } from 'vitest/config';

// Unit and integration tests: they sit beside the code, against real SQLite files and real worker processes.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // AssemblyScript sources (the WebAssembly kernels) are not TypeScript for Node.
    exclude: ['test/e2e/**', 'node_modules/**', 'src/core/kernels/assembly/**'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
