/**
 * Builds the desktop app into out/: main (with the worker entry beside it), preload and renderer.
 *
 * - out/main/index.js    the Electron main process (ES module)
 * - out/main/worker.js   the worker process entry; the core looks for `./worker.js` beside its own
 *                        code, so every chunk is written into out/main as well, never a subfolder
 * - out/main/import-worker.js the dataset import thread (src/core/datasets/import-thread.ts looks for it beside itself)
 * - out/main/webgpu-probe.js  the GPU probe's process entry (src/core/compute/probe.ts looks for it beside itself)
 * - out/main/series-worker.js the long series read thread (src/core/tracking/series-thread.ts likewise)
 * - out/preload/index.cjs the sandboxed preload (sandboxed preloads must be CommonJS)
 * - out/renderer/        the React UI, built with the same config as `trainyard serve` uses
 *
 * Dependencies stay external (loaded from node_modules at runtime): native modules above all.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import rendererConfig from './renderer.vite.config';

const root = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Native or WASM-backed packages that must be loaded from node_modules, never bundled. */
const NATIVE = ['better-sqlite3', /^@tensorflow\//, 'webgpu', /^webgpu\//];

/**
 * electron-vite gives every ES chunk that mentions `require(` a CommonJS shim, including
 * `const require = createRequire(import.meta.url)`. A module that declares its own `require` the same
 * way (as the compute capability does, to resolve package files) would then declare it twice and the
 * chunk would not load. Where the chunk already has its own, drop the shim's copy: both are the same.
 */
function oneRequirePerChunk(): Plugin {
  const shimLine = /^const require = __shims_module__\.createRequire\(import\.meta\.url\);\n/m;
  const ownRequire = /^(?:var|let|const) require = (?!__shims_module__)/m;
  return {
    name: 'trainyard:one-require-per-chunk',
    apply: 'build',
    enforce: 'post',
    renderChunk(code) {
      if (!shimLine.test(code) || !ownRequire.test(code)) return null;
      return { code: code.replace(shimLine, ''), map: null };
    },
  };
}

export default defineConfig({
  main: {
    plugins: [oneRequirePerChunk()],
    build: {
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: root('./src/main/index.ts'),
          worker: root('./src/worker/index.ts'),
          'import-worker': root('./src/core/datasets/import-worker.ts'),
          'webgpu-probe': root('./src/core/compute/webgpu-probe.ts'),
          'series-worker': root('./src/core/tracking/series-worker.ts'),
        },
        external: NATIVE,
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: '[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: root('./src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: rendererConfig.root,
    base: './',
    plugins: rendererConfig.plugins,
    resolve: rendererConfig.resolve,
    build: {
      outDir: root('./out/renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: root('./src/renderer/index.html') },
    },
  },
});
