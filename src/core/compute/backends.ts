/**
 * Compute backends, in order of preference. Each candidate can say whether it can run here
 * (`probe`, cheap, no TensorFlow.js loaded: the core calls it for the system info) and make itself
 * the active tfjs backend (`activate`, in the worker).
 *
 * The seam for faster backends: tfjs-node-gpu and WebGPU (Dawn) go in front of wasm in
 * `BACKEND_CANDIDATES`, each with its own probe.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';

export interface Probe {
  available: boolean;
  /** Why not, when it is not available. */
  reason: string | null;
}

export interface BackendCandidate {
  /** The tfjs backend name, and the name a user forces. */
  name: string;
  probe(): Promise<Probe>;
  /** Makes this the active tfjs backend; throws with the reason when it cannot. */
  activate(): Promise<void>;
  /** What the computation runs on, for the run record ("cpu: AMD EPYC 7B13"). */
  device(): string;
}

const localRequire = createRequire(import.meta.url);

function cpuDevice(): string {
  const model = cpus()[0]?.model?.trim();
  return `cpu: ${model || 'unknown'}`;
}

async function useTfBackend(name: string): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TensorFlow.js could not start the ${name} backend`);
  await tf.ready();
}

/** The folder holding the .wasm binaries; Node needs it spelled out (no page to fetch them relative to). */
function wasmDir(): string | null {
  try {
    return join(dirname(localRequire.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  } catch {
    return null;
  }
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

/** Order of preference. */
export const BACKEND_CANDIDATES: readonly BackendCandidate[] = [wasmBackend, cpuBackend];
