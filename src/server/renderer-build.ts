/**
 * The browser face serves the built renderer. A fresh checkout has none, so `trainyard serve` builds
 * it once with Vite (and `trainyard build-ui` rebuilds it on demand).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Unavailable } from '../shared/errors';
import { defaultRendererDir, packageRoot } from './paths';

export const BUILD_MESSAGE = 'Building the Trainyard UI once (about a minute)...';

export interface EnsureRendererOptions {
  /** Build even when a build is already there. */
  force?: boolean;
  /** Where progress lines go; the console unless given. */
  log?: (line: string) => void;
}

let inFlight: Promise<string> | null = null;

/** Returns the folder holding the built renderer (with its index.html), building it first when needed. */
export async function ensureRendererBuilt(opts: EnsureRendererOptions = {}): Promise<string> {
  const outDir = defaultRendererDir();
  const index = path.join(outDir, 'index.html');
  if (!opts.force && existsSync(index)) return outDir;
  // Two callers at once share one build.
  inFlight ??= build(outDir, opts.log ?? ((line) => console.log(line))).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function build(outDir: string, log: (line: string) => void): Promise<string> {
  const root = packageRoot();
  const configFile = path.join(root, 'renderer.vite.config.ts');
  if (!existsSync(configFile)) {
    throw new Unavailable(`Cannot build the UI: ${configFile} is missing`);
  }
  log(BUILD_MESSAGE);
  const started = Date.now();
  // Vite is only needed here, so it is loaded only here.
  const vite = await import('vite');
  // A relative `root` in the config means relative to the package, wherever the command was run from.
  const loaded = await vite.loadConfigFromFile({ command: 'build', mode: 'production' }, configFile, root, 'silent');
  const configRoot = loaded?.config.root;
  try {
    await vite.build({
      configFile,
      root: path.resolve(root, configRoot ?? '.'),
      mode: 'production',
      logLevel: 'warn',
    });
  } catch (err) {
    throw new Unavailable(`Building the UI failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!existsSync(path.join(outDir, 'index.html'))) {
    throw new Unavailable(`Building the UI produced no ${path.join(outDir, 'index.html')}`);
  }
  log(`UI built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return outDir;
}
