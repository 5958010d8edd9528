import { describe, expect, it } from 'vitest';
import { referenceKernels } from './reference';
import type { Kernels } from './types';
import { wasmKernels } from './wasm';

/** A seeded stream of floats in [-scale, scale), so a failure reproduces. */
function randoms(seed: number, scale: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 31 - 1) * scale;
  };
}

/** Buffers of one LSTM step (gates, cPrev, c, h, dh, dc, dGates) at the same offsets in `k`. */
function cellBuffers(k: Kernels, batch: number, units: number) {
  const cells = batch * units;
  return { gates: k.alloc(4 * cells), cPrev: k.alloc(cells), c: k.alloc(cells), h: k.alloc(cells), dh: k.alloc(cells), dc: k.alloc(cells), dGates: k.alloc(4 * cells) };
}

function worstError(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

describe('LSTM cell kernels', () => {
  // 7 units: one f32x4 block and a scalar tail of three per row; 32 units: blocks only.
  for (const units of [7, 32]) {
    it(`agree between WebAssembly SIMD and the reference, forward and backward (${units} units)`, () => {
      const batch = 5;
      const floats = 16 * batch * units + 64;
      const js = referenceKernels(floats);
      const wasm = wasmKernels(floats);
      const bj = cellBuffers(js, batch, units);
      const bw = cellBuffers(wasm, batch, units);
      expect(bw).toEqual(bj);
      // Pre-activations over [-4, 4): both flat parts of the hard sigmoid and its ramp.
      const next = randoms(units, 4);
      for (const p of [bj.gates, bj.cPrev, bj.dh, bj.dc]) {
        const n = p === bj.gates ? 4 * batch * units : batch * units;
        for (let i = 0; i < n; i++) js.heap[p + i] = wasm.heap[p + i] = next();
      }
      for (const k of [js, wasm]) {
        k.lstmCellForward(bj.gates, bj.cPrev, bj.c, bj.h, batch, units);
        k.lstmCellBackward(bj.gates, bj.cPrev, bj.c, bj.h, bj.dc, bj.dGates, batch, units);
      }
      const part = (k: Kernels, p: number, n: number) => k.heap.slice(p, p + n);
      for (const [p, n] of [[bj.gates, 4], [bj.c, 1], [bj.h, 1], [bj.dc, 1], [bj.dGates, 4]] as const) {
        expect(worstError(part(wasm, p, n * batch * units), part(js, p, n * batch * units))).toBeLessThan(1e-6);
      }
      // The reference is tfjs's definition: spot-check one cell by hand.
      const z = [0.5, -3, 1, 2.6]; // i ramp, f flat (0), g = tanh(1), o flat (1)
      const k = referenceKernels(64);
      const b = cellBuffers(k, 1, 1);
      k.heap.set(z, b.gates);
      k.heap[b.cPrev] = 7;
      k.lstmCellForward(b.gates, b.cPrev, b.c, b.h, 1, 1);
      expect(k.heap[b.c]).toBeCloseTo(0.6 * Math.tanh(1), 6);
      expect(k.heap[b.h]).toBeCloseTo(Math.tanh(0.6 * Math.tanh(1)), 6);
    });
  }

  it("computes tanh within 1.5e-7 of Math.tanh (3e-7 relative), NaN staying NaN", () => {
    // With i = 1, f = 0 and o = 1 (pre-activations past the hard sigmoid's ends) the cell is c = tanh(z_c).
    const count = 100_000;
    const wasm = wasmKernels(14 * count + 64);
    const b = cellBuffers(wasm, count, 1);
    const zs = new Float32Array(count);
    for (let r = 0; r < count; r++) {
      zs[r] = r === count - 1 ? NaN : -12 + (24 * r) / (count - 2);
      wasm.heap.set([3, -3, zs[r], 3], b.gates + 4 * r);
    }
    wasm.lstmCellForward(b.gates, b.cPrev, b.c, b.h, count, 1);
    let abs = 0;
    let rel = 0;
    for (let r = 0; r < count - 1; r++) {
      const want = Math.tanh(zs[r]);
      const err = Math.abs(wasm.heap[b.c + r] - want);
      abs = Math.max(abs, err);
      if (want !== 0) rel = Math.max(rel, err / Math.abs(want));
    }
    expect(abs).toBeLessThan(1.5e-7);
    expect(rel).toBeLessThan(3e-7);
    expect(wasm.heap[b.c + count - 1]).toBeNaN();
  });
});
