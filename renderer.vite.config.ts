/**
 * Builds the renderer (the React UI) on its own: `npx vite build -c renderer.vite.config.ts`.
 * The output in out/renderer is what `trainyard serve` hands to a browser and what the desktop
 * window loads through its custom protocol, so every asset URL is relative (base './').
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const CSP_META = /\s*<meta http-equiv="Content-Security-Policy"[^>]*>/;

/**
 * The dev server injects an inline module script (React Fast Refresh) that the strict CSP would
 * block; drop the policy only while serving in development. Built files keep it.
 */
function relaxCspInDev(): Plugin {
  return {
    name: 'trainyard-relax-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(CSP_META, ''),
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  base: './',
  plugins: [react(), relaxCspInDev()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
  },
});
