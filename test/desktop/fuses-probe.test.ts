/**
 * The fuses the packaged app is built with and the code that runs in it agree: with `runAsNode` off,
 * the Electron binary cannot be started as plain Node, so nothing that runs in the desktop app may
 * spawn `process.execPath` with ELECTRON_RUN_AS_NODE, and the GPU probe runs as a utilityProcess.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { backendCandidates, detectBackends, forkProbeProcess, webgpuBackend, webgpuProbeEntry, type ProbeProcess } from '../../src/core/compute';
import { ELECTRON_FUSES } from '../../src/main/fuses';
import { NATIVE_FILE, PACKAGED_NATIVE_DIR } from '../../src/main/native-binding';
import { utilityProbeProcess } from '../../src/main/utility-process';
import { created, standInFork } from '../fixtures/utility-process-standin';

const root = fileURLToPath(new URL('../..', import.meta.url));
afterEach(() => created.splice(0).forEach((p) => p.child.kill('SIGKILL')));

/** Every source file that runs inside the desktop app: main, the core it starts, the worker. */
function desktopSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.(ts|mts|js|mjs)$/.test(name) && !/\.test\.ts$/.test(name)) files.push(file);
    }
  };
  for (const room of ['main', 'core', 'worker', 'shared']) walk(path.join(root, 'src', room));
  return files;
}

/** electron-builder's own reading of the packaging config (the same loader `electron-builder` uses). */
async function packagingConfig(): Promise<Record<string, unknown>> {
  const load = createRequire(path.join(root, 'package.json'));
  const { getConfig, validateConfiguration } = load('app-builder-lib/out/util/config/config.js') as {
    getConfig(dir: string, file: string | null, extra: null): Promise<Record<string, unknown>>;
    validateConfiguration(config: unknown, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = load('builder-util') as { DebugLogger: new () => unknown };
  const config = await getConfig(root, null, null);
  await validateConfiguration(config, new DebugLogger());
  return config;
}

describe('fuses and the backend probe', () => {
  it('packages with the fuses from src/main/fuses.ts, runAsNode off, and no in-place rebuild of node_modules', async () => {
    expect(ELECTRON_FUSES.runAsNode).toBe(false);
    const config = await packagingConfig();
    expect(config.electronFuses).toEqual(ELECTRON_FUSES);
    expect(config.npmRebuild).toBe(false);
    // SQLite's Electron build ships as a resource, where src/main/native-binding.ts looks for it.
    const extra = config.extraResources as { from: string; to: string; filter?: string[] }[];
    const native = extra.find((r) => r.to === PACKAGED_NATIVE_DIR);
    expect(native?.filter).toEqual([NATIVE_FILE]);
    expect(native?.from).toMatch(/node_modules\/\.cache\/trainyard\/native\/electron-\d+-/);
  });

  it('has no code path in the desktop app that relies on ELECTRON_RUN_AS_NODE or spawns process.execPath', () => {
    const offenders = desktopSources().filter((file) => {
      // Code only: the comments that explain the rule may name it.
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      return text.includes('ELECTRON_RUN_AS_NODE') || /(spawn|execFile|exec|spawnSync|execFileSync)\(\s*process\.execPath/.test(text);
    });
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });

  it('gives the core a utilityProcess probe in the main process', () => {
    const main = readFileSync(path.join(root, 'src/main/index.ts'), 'utf8');
    expect(main).toMatch(/probeProcess:\s*utilityProbe\b/);
    const launcher = readFileSync(path.join(root, 'src/main/worker-launcher.ts'), 'utf8');
    expect(launcher).toMatch(/utilityProbe = utilityProbeProcess\(electronFork\)/);
    expect(launcher).toMatch(/utilityProcess\.fork\(/);
  });

  it('answers the same through the utilityProcess probe as through the Node one', async () => {
    // The stand-in runs the TypeScript entry itself, as a utilityProcess runs the built webgpu-probe.js.
    const utilityProbe = utilityProbeProcess(standInFork);
    const viaUtility: ProbeProcess = (entry, timeoutMs) => utilityProbe({ file: entry.file, execArgv: [] }, timeoutMs);
    const answer = await viaUtility(webgpuProbeEntry(), 30_000);
    expect(answer).toSatisfy((a: object) => 'info' in a || 'error' in a);
    const [utility, node] = await Promise.all([
      detectBackends(backendCandidates(viaUtility)),
      detectBackends(backendCandidates(forkProbeProcess)),
    ]);
    const webgpu = (found: typeof node) => found.find((b) => b.name === 'webgpu');
    expect(webgpu(utility)).toEqual(webgpu(node));
    expect(webgpu(utility)?.reason ?? '').not.toMatch(/exited|timed out|built JavaScript/);
  });

  it('refuses to run a TypeScript entry in a utilityProcess, saying why', async () => {
    await expect(utilityProbeProcess(standInFork)(webgpuProbeEntry(), 5_000)).rejects.toThrow(/runs built JavaScript only/);
  });

  describe('in Electron processes', () => {
    const saved = Object.getOwnPropertyDescriptor(process, 'type');
    afterEach(() => {
      if (saved) Object.defineProperty(process, 'type', saved);
      else delete (process as { type?: string }).type;
    });
    const asElectron = (type: string) => Object.defineProperty(process, 'type', { value: type, configurable: true });

    it('never forks from the main process: without a utilityProcess probe the backend says so', async () => {
      asElectron('browser');
      const [found] = await detectBackends([webgpuBackend()]);
      expect(found).toEqual({ name: 'webgpu', available: false, reason: 'the Electron main process was given no way to run the GPU probe' });
    });

    it('asks in process inside a utilityProcess worker (which cannot start processes of its own)', async () => {
      asElectron('utility');
      const [fresh] = await detectBackends([webgpuBackend()]);
      const [node] = await detectBackends([webgpuBackend(forkProbeProcess)]);
      expect(fresh).toEqual(node);
    });
  });
});
