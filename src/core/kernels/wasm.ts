/**
 * The kernels in WebAssembly SIMD (built from ./assembly by `npm run wasm` into
 * resources/wasm/kernels.wasm), and the chooser that falls back to the JavaScript reference where
 * WebAssembly SIMD is missing.
 *
 * The module's memory is the arena, sized once and never grown: growing would detach `heap`, and
 * every trainer holds views of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesDir } from '../paths';
import { arenaAllocator } from './arena';
import { referenceKernels } from './reference';
import type { Kernels } from './types';

const PAGE_BYTES = 65536;

/**
 * Floats of scratch past the arena for gemm's packed path (assembly/gemm.ts, PACK_FLOATS: a block
 * of B and four rows of A); the module's own figure is checked against it when an arena is made.
 */
const PACK_FLOATS = 256 * 128 + 256 * 4;

interface KernelExports {
  gemm(transA: number, transB: number, m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number, scratch: number): void;
  PACK_FLOATS: WebAssembly.Global;
  addBias(c: number, bias: number, m: number, n: number): void;
  columnSums(a: number, m: number, n: number, out: number, accumulate: number): void;
  relu(x: number, count: number): void;
  reluBackward(dx: number, y: number, count: number): void;
  adam(param: number, grad: number, m: number, v: number, count: number, beta1: number, beta2: number, epsilon: number, stepSize: number, secondCorrection: number): void;
  lstmCellForward(gates: number, cPrev: number, c: number, h: number, batch: number, units: number): void;
  lstmCellBackward(gates: number, cPrev: number, c: number, dh: number, dc: number, dGates: number, batch: number, units: number): void;
}

let compiled: WebAssembly.Module | null = null;

export const kernelsWasmFile = (): string => join(resourcesDir(), 'wasm', 'kernels.wasm');

function kernelsModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(kernelsWasmFile()));
  return compiled;
}

/** The WebAssembly SIMD kernels over an arena of `floats` floats; throws where the module cannot load. */
export function wasmKernels(floats: number): Kernels {
  if (!Number.isInteger(floats) || floats <= 0) throw new Error(`kernels: an arena needs a positive whole number of floats, not ${floats}`);
  // The scratch starts on a 16-byte boundary past the arena; nothing the trainers see lies there.
  const scratch = Math.ceil(floats / 4) * 16;
  const pages = Math.max(1, Math.ceil((scratch + PACK_FLOATS * 4) / PAGE_BYTES));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const k = new WebAssembly.Instance(kernelsModule(), { env: { memory } }).exports as unknown as KernelExports;
  if (k.PACK_FLOATS.value !== PACK_FLOATS) throw new Error(`kernels: the module packs into ${k.PACK_FLOATS.value} floats of scratch, the loader reserves ${PACK_FLOATS}`);
  const heap = new Float32Array(memory.buffer, 0, floats);
  // Float offsets in, byte addresses to the module.
  return {
    name: 'wasm-simd',
    heap,
    alloc: arenaAllocator(heap),
    gemm: (transA, transB, m, n, k_, a, b, c, accumulate) => k.gemm(+transA, +transB, m, n, k_, a * 4, b * 4, c * 4, +accumulate, scratch),
    addBias: (c, bias, m, n) => k.addBias(c * 4, bias * 4, m, n),
    columnSums: (a, m, n, out, accumulate) => k.columnSums(a * 4, m, n, out * 4, +accumulate),
    relu: (x, count) => k.relu(x * 4, count),
    reluBackward: (dx, y, count) => k.reluBackward(dx * 4, y * 4, count),
    adam: (param, grad, m, v, count, lr, beta1, beta2, epsilon, step) =>
      k.adam(param * 4, grad * 4, m * 4, v * 4, count, beta1, beta2, epsilon, lr / (1 - beta1 ** step), Math.sqrt(1 - beta2 ** step)),
    lstmCellForward: (gates, cPrev, c, h, batch, units) => k.lstmCellForward(gates * 4, cPrev * 4, c * 4, h * 4, batch, units),
    lstmCellBackward: (gates, cPrev, c, dh, dc, dGates, batch, units) =>
      k.lstmCellBackward(gates * 4, cPrev * 4, c * 4, dh * 4, dc * 4, dGates * 4, batch, units),
  };
}

/** Whether this runtime can run the WebAssembly SIMD kernels, and why not when it cannot. */
export function wasmKernelsAvailable(): { ok: true } | { ok: false; why: string } {
  try {
    kernelsModule();
    return { ok: true };
  } catch (e) {
    return { ok: false, why: (e as Error).message };
  }
}

/**
 * The fastest kernels this runtime runs: WebAssembly SIMD, else the JavaScript reference. `log`
 * hears which, and why when it is the reference.
 */
export function createKernels(floats: number, log?: (message: string) => void): Kernels {
  const wasm = wasmKernelsAvailable();
  if (wasm.ok) {
    log?.('kernels: WebAssembly SIMD');
    return wasmKernels(floats);
  }
  log?.(`kernels: plain JavaScript (WebAssembly SIMD unavailable: ${wasm.why})`);
  return referenceKernels(floats);
}
