/**
 * Compute backends, in order of preference: tfjs-node-gpu (CUDA) → tfjs-node (native CPU) →
 * WebGPU through Dawn (the `webgpu` package) → wasm → cpu. Each candidate can say whether it can
 * run here (`probe`: no TensorFlow.js loaded, the core calls it for the system info) and make
 * itself the active tfjs backend (`activate`, in the worker).
 *
 * The two tfjs-node packages are optional: they download libtensorflow when installed, which
 * fails without internet, so they are loaded with a guarded import and a machine without them
 * simply skips them. The WebGPU adapter is asked for in a short-lived process (see probe.ts), so
 * that a GPU driver that crashes or hangs takes down the probe, never the core.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { electronProcessType, forkProbeProcess, webgpuProbeEntry, type AdapterInfo, type ProbeAnswer, type ProbeProcess } from './probe';
import { nvidiaSmi } from '../monitor';

export interface Probe {
  available: boolean;
  /** Why not, when it is not available. */
  reason: string | null;
}

export interface BackendCandidate {
  /** The name a user forces, and runs record. */
  name: string;
  probe(): Promise<Probe>;
  /** Makes this the active tfjs backend; throws with the reason when it cannot. */
  activate(): Promise<void>;
  /** What the computation runs on, for the run record ("cpu: AMD EPYC 7B13", "gpu: nvidia-h200"). */
  device(): string;
}

const localRequire = createRequire(import.meta.url);

/** The CPU, as a run records its device: "cpu: AMD EPYC 7B13". */
export function cpuDevice(): string {
  const model = cpus()[0]?.model?.trim();
  return `cpu: ${model || 'unknown'}`;
}

/** Where a package is installed, or null; never loads it. */
export function packageDir(pkg: string): string | null {
  try {
    return dirname(localRequire.resolve(`${pkg}/package.json`));
  } catch {
    try {
      // Packages whose `exports` hide package.json still resolve by name.
      return dirname(localRequire.resolve(pkg));
    } catch {
      return null;
    }
  }
}

/**
 * Imports a package that may not be installed. The specifier is a variable on purpose: bundlers
 * and the type checker then leave it alone, and a missing package is an error here, not at build time.
 */
export async function optionalImport<T = unknown>(pkg: string): Promise<T> {
  const dir = packageDir(pkg);
  if (!dir) throw new Error(`${pkg} is not installed`);
  const specifier: string = pkg;
  try {
    return (await import(/* @vite-ignore */ specifier)) as T;
  } catch (err) {
    throw new Error(`${pkg} is installed but failed to load: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function useTfBackend(name: string): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TensorFlow.js could not start the ${name} backend`);
  await tf.ready();
}

/** The first NVIDIA GPU's name from the shared nvidia-smi reader, or null. */
async function nvidiaGpuName(): Promise<string | null> {
  const reading = await nvidiaSmi().read();
  return reading.ok ? (reading.gpus[0]?.name ?? null) : null;
}

/** tfjs-node and tfjs-node-gpu: libtensorflow through a native addon, registered as tfjs's `tensorflow` backend. */
export function nativeTensorflowBackend(o: { name: string; pkg: string; gpu: boolean }): BackendCandidate {
  let gpuName: string | null = null;
  return {
    name: o.name,
    async probe() {
      if (!packageDir(o.pkg)) {
        return {
          available: false,
          reason: `${o.pkg} is not installed (optional: it downloads libtensorflow at install time${o.gpu ? ' and needs CUDA 11.2 and cuDNN 8.1' : ''})`,
        };
      }
      if (o.gpu && !existsSync('/proc/driver/nvidia/version') && process.platform === 'linux') {
        return { available: false, reason: 'no NVIDIA driver is loaded' };
      }
      return { available: true, reason: null };
    },
    async activate() {
      await optionalImport(o.pkg);
      await useTfBackend('tensorflow');
      if (o.gpu) gpuName = await nvidiaGpuName();
    },
    device: () => (o.gpu ? `gpu: ${gpuName ?? 'CUDA device'}` : cpuDevice()),
  };
}

const PROBE_TIMEOUT_MS = 15_000;

/** Asks Dawn (the `webgpu` package) for a GPU adapter in this process: what the probe entry runs. */
export async function requestAdapterInfo(): Promise<AdapterInfo | null> {
  type Adapter = { info?: AdapterInfo } | null;
  const { create } = await optionalImport<{ create(o: string[]): { requestAdapter(): Promise<Adapter> } }>('webgpu');
  const adapter = await create([]).requestAdapter();
  if (!adapter) return null;
  const i = adapter.info ?? {};
  return { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description };
}

/** Where the adapter is asked for, when the host did not say (see probe.ts). */
function hostProbe(): ProbeProcess | 'in-process' | null {
  const type = electronProcessType();
  if (type === 'utility') return 'in-process';
  if (type === 'browser') return null;
  return forkProbeProcess;
}

/** Asks for an adapter where `probeProcess` (or the host) says; resolves to its info, or to why there is none. */
async function probeWebGpuAdapter(probeProcess: ProbeProcess | undefined): Promise<{ info: AdapterInfo } | { reason: string }> {
  const how = probeProcess ?? hostProbe();
  if (how === null) return { reason: 'the Electron main process was given no way to run the GPU probe' };
  let answer: ProbeAnswer;
  try {
    answer = how === 'in-process' ? { info: await requestAdapterInfo() } : ((await how(webgpuProbeEntry(), PROBE_TIMEOUT_MS)) as ProbeAnswer);
  } catch (err) {
    const e = err as Error & { killed?: boolean };
    return { reason: e.killed ? 'the GPU adapter probe timed out' : `the GPU adapter probe failed: ${e.message.split('\n')[0]}` };
  }
  if ('error' in answer) return { reason: `the GPU adapter probe failed: ${answer.error.split('\n')[0]}` };
  return answer.info ? { info: answer.info } : { reason: 'Dawn found no GPU adapter (no Vulkan, Metal or D3D12 device)' };
}

/** WebGPU through Google's Dawn (`webgpu` package) and @tensorflow/tfjs-backend-webgpu. */
export function webgpuBackend(probeProcess?: ProbeProcess): BackendCandidate {
  let probed: Promise<{ info: AdapterInfo } | { reason: string }> | null = null;
  let info: AdapterInfo | null = null;
  const probeOnce = () => {
    if (!packageDir('webgpu')) return Promise.resolve({ reason: 'the webgpu package is not installed' });
    probed ??= probeWebGpuAdapter(probeProcess);
    return probed;
  };
  return {
    name: 'webgpu',
    async probe() {
      if (!packageDir('@tensorflow/tfjs-backend-webgpu')) {
        return { available: false, reason: '@tensorflow/tfjs-backend-webgpu is not installed' };
      }
      const r = await probeOnce();
      if ('reason' in r) return { available: false, reason: r.reason };
      info = r.info;
      return { available: true, reason: null };
    },
    async activate() {
      const { create, globals } = await optionalImport<{ create: (o: string[]) => unknown; globals: object }>('webgpu');
      // tfjs looks for navigator.gpu when its webgpu module loads: Node 20 has no navigator at all.
      const g = globalThis as { navigator?: { gpu?: unknown } };
      Object.assign(globalThis, globals);
      if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
      if (!g.navigator!.gpu) Object.defineProperty(g.navigator, 'gpu', { value: create([]), configurable: true });
      await optionalImport('@tensorflow/tfjs-backend-webgpu');
      await useTfBackend('webgpu');
    },
    device: () => {
      const parts = [info?.vendor, info?.device || info?.description || info?.architecture].filter(Boolean);
      return `gpu: ${parts.length ? parts.join(' ') : 'WebGPU adapter'}`;
    },
  };
}

/** The folder holding the .wasm binaries; Node needs it spelled out (no page to fetch them relative to). */
function wasmDir(): string | null {
  const dir = packageDir('@tensorflow/tfjs-backend-wasm');
  return dir ? join(dir, 'dist') + '/' : null;
}

let wasmPathsSet = false;

export const wasmBackend: BackendCandidate = {
  name: 'wasm',
  async probe() {
    if (typeof WebAssembly !== 'object') return { available: false, reason: 'this runtime has no WebAssembly' };
    const dir = wasmDir();
    if (!dir) return { available: false, reason: '@tensorflow/tfjs-backend-wasm is not installed' };
    if (!existsSync(join(dir, 'tfjs-backend-wasm.wasm'))) {
      return { available: false, reason: `the WebAssembly binaries are missing from ${dir}` };
    }
    return { available: true, reason: null };
  },
  async activate() {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // setWasmPaths throws once the backend has started, so only the first activation may call it.
    if (!wasmPathsSet) {
      const dir = wasmDir();
      if (!dir) throw new Error('@tensorflow/tfjs-backend-wasm is not installed');
      wasm.setWasmPaths(dir);
      wasmPathsSet = true;
    }
    await useTfBackend('wasm');
  },
  device: cpuDevice,
};

/** Plain JavaScript: slow, but always there. */
export const cpuBackend: BackendCandidate = {
  name: 'cpu',
  probe: async () => ({ available: true, reason: null }),
  activate: () => useTfBackend('cpu'),
  device: cpuDevice,
};

export const tensorflowGpuBackend = nativeTensorflowBackend({ name: 'tensorflow-gpu', pkg: '@tensorflow/tfjs-node-gpu', gpu: true });
export const tensorflowBackend = nativeTensorflowBackend({ name: 'tensorflow', pkg: '@tensorflow/tfjs-node', gpu: false });
export const webgpuCandidate = webgpuBackend();

/** Order of preference. */
export const BACKEND_CANDIDATES: readonly BackendCandidate[] = [tensorflowGpuBackend, tensorflowBackend, webgpuCandidate, wasmBackend, cpuBackend];

/** The candidates, with the GPU probe run by `probeProcess` (the desktop app's utilityProcess). */
export function backendCandidates(probeProcess?: ProbeProcess): readonly BackendCandidate[] {
  return probeProcess ? [tensorflowGpuBackend, tensorflowBackend, webgpuBackend(probeProcess), wasmBackend, cpuBackend] : BACKEND_CANDIDATES;
}
