import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { referenceKernels } from './reference';
import type { Kernels, Ptr } from './types';
import { wasmKernels } from './wasm';

/** A seeded stream of floats in [-1, 1), so a failure reproduces. */
function randoms(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** The same random buffers in both implementations' arenas, at the same offsets. */
function twin(sizes: number[], seed: number): { js: Kernels; wasm: Kernels; at: Ptr[] } {
  // Room for every buffer, its alignment, and a float past the last one (to see nothing is written there).
  const floats = sizes.reduce((sum, size) => sum + size + 4, 4);
  const js = referenceKernels(floats);
  const wasm = wasmKernels(floats);
  const next = randoms(seed);
  const at = sizes.map((size) => {
    const p = js.alloc(size);
    expect(wasm.alloc(size)).toBe(p);
    for (let i = 0; i < size; i++) js.heap[p + i] = wasm.heap[p + i] = next();
    return p;
  });
  return { js, wasm, at };
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let where = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(err <= worst)) {
      worst = err;
      where = i;
    }
  }
  expect(worst, `worst relative error at ${where}: ${actual[where]} vs ${expected[where]}`).toBeLessThanOrEqual(tolerance);
}

const view = (k: Kernels, p: Ptr, n: number) => k.heap.subarray(p, p + n);

describe('gemm', () => {
  it('computes a small product by hand, in every transpose case', () => {
    for (const k of [referenceKernels(64), wasmKernels(64)]) {
      // A = [[1, 2, 3], [4, 5, 6]] (2 x 3), B = [[1, 0], [0, 1], [1, 1]] (3 x 2): A B = [[4, 5], [10, 11]].
      const a = k.alloc(6), at = k.alloc(6), b = k.alloc(6), bt = k.alloc(6), c = k.alloc(4);
      k.heap.set([1, 2, 3, 4, 5, 6], a);
      k.heap.set([1, 4, 2, 5, 3, 6], at);
      k.heap.set([1, 0, 0, 1, 1, 1], b);
      k.heap.set([1, 0, 1, 0, 1, 1], bt);
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
        k.gemm(transA, transB, 2, 2, 3, transA ? at : a, transB ? bt : b, c, false);
        expect(Array.from(view(k, c, 4)), `${k.name} transA ${transA} transB ${transB}`).toEqual([4, 5, 10, 11]);
      }
      k.gemm(false, false, 2, 2, 3, a, b, c, true);
      expect(Array.from(view(k, c, 4))).toEqual([8, 10, 20, 22]);
    }
  });

  const SIZES = [1, 3, 5, 8, 17, 24, 63, 64, 65];
  const shapes: [number, number, number][] = [];
  for (const m of SIZES) for (const n of SIZES) for (const k of [1, 3, 17, 64]) shapes.push([m, n, k]);
  for (const k of [2, 5, 63, 65]) shapes.push([9, 13, k], [64, 64, k]);
  // The packed path of wide products (whole 4 x 8 blocks of C, B of 65,536 floats or more): one and
  // several blocks of 128 columns and of 256 steps of k, with partial last blocks.
  shapes.push([16, 256, 256], [16, 136, 520], [20, 264, 300], [36, 128, 513], [16, 1024, 64]);

  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      for (const accumulate of [false, true]) {
        it(`WebAssembly matches the reference: transA ${transA}, transB ${transB}, accumulate ${accumulate}`, () => {
          shapes.forEach(([m, n, k], s) => {
            const { js, wasm, at } = twin([m * k, k * n, m * n], s + 1);
            const [a, b, c] = at;
            js.gemm(transA, transB, m, n, k, a, b, c, accumulate);
            wasm.gemm(transA, transB, m, n, k, a, b, c, accumulate);
            expectClose(view(wasm, c, m * n), view(js, c, m * n), 1e-5 * Math.sqrt(k));
            // Nothing past C is written.
            expect(wasm.heap[c + m * n]).toBe(0);
          });
        });
      }
    }
  }
});

describe('element-wise kernels', () => {
  for (const [m, n] of [[1, 1], [3, 5], [17, 63], [64, 65], [64, 1]]) {
    it(`addBias and columnSums match the reference on ${m} x ${n}`, () => {
      const { js, wasm, at } = twin([m * n, n, n], m * 100 + n);
      const [c, bias, out] = at;
      for (const k of [js, wasm]) {
        k.addBias(c, bias, m, n);
        k.columnSums(c, m, n, out, true);
      }
      expectClose(view(wasm, c, m * n), view(js, c, m * n), 1e-6);
      expectClose(view(wasm, out, n), view(js, out, n), 1e-5);
      for (const k of [js, wasm]) k.columnSums(c, m, n, out, false);
      expectClose(view(wasm, out, n), view(js, out, n), 1e-5);
    });
  }

  for (const count of [1, 3, 4, 17, 65]) {
    it(`relu and reluBackward match the reference on ${count} floats, NaN and -0 included`, () => {
      const { js, wasm, at } = twin([count, count], count);
      const [x, dx] = at;
      for (const k of [js, wasm]) {
        k.heap[x] = NaN;
        if (count > 2) k.heap[x + 2] = -0;
        k.relu(x, count);
        k.reluBackward(dx, x, count);
      }
      expect(Array.from(view(wasm, x, count))).toEqual(Array.from(view(js, x, count)));
      expect(Array.from(view(wasm, dx, count))).toEqual(Array.from(view(js, dx, count)));
      expect(Number.isNaN(wasm.heap[x])).toBe(true);
      expect(wasm.heap[dx]).toBe(0);
      for (let i = 1; i < count; i++) expect(wasm.heap[x + i]).toBeGreaterThanOrEqual(0);
    });
  }
});

describe('adam', () => {
  it('matches the reference over several steps, on odd counts', () => {
    for (const count of [1, 3, 17, 65]) {
      const { js, wasm, at } = twin([count, count, count, count], count);
      const [param, grad, m, v] = at;
      for (const k of [js, wasm]) {
        k.heap.fill(0, m, m + count);
        k.heap.fill(0, v, v + count);
        for (let step = 1; step <= 5; step++) k.adam(param, grad, m, v, count, 0.01, 0.9, 0.999, 1e-7, step);
      }
      expectClose(view(wasm, param, count), view(js, param, count), 1e-6);
      expectClose(view(wasm, m, count), view(js, m, count), 1e-6);
      expectClose(view(wasm, v, count), view(js, v, count), 1e-6);
    }
  });

  it("matches tfjs's tf.train.adam update on the same numbers", async () => {
    await tf.setBackend('cpu');
    const count = 37;
    const next = randoms(7);
    const start = Float32Array.from({ length: count }, next);
    const grads = [1, 2, 3].map(() => Float32Array.from({ length: count }, () => next() * 3));
    const variable = tf.variable(tf.tensor1d(start));
    const optimizer = tf.train.adam(0.003, 0.9, 0.999, 1e-7);
    for (const g of grads) optimizer.applyGradients([{ name: variable.name, tensor: tf.tensor1d(g) }]);
    const expected = variable.dataSync() as Float32Array;

    for (const k of [referenceKernels(4 * count + 16), wasmKernels(4 * count + 16)]) {
      const [param, grad, m, v] = [0, 1, 2, 3].map(() => k.alloc(count));
      k.heap.set(start, param);
      grads.forEach((g, i) => {
        k.heap.set(g, grad);
        k.adam(param, grad, m, v, count, 0.003, 0.9, 0.999, 1e-7, i + 1);
      });
      expectClose(view(k, param, count), expected, 1e-6);
    }
    variable.dispose();
    optimizer.dispose();
  });
});

describe('arena', () => {
  it('refuses an allocation past its end, clearly, in both implementations', () => {
    for (const k of [referenceKernels(100), wasmKernels(100)]) {
      expect(k.alloc(10)).toBe(0);
      expect(k.alloc(3)).toBe(12); // 16-byte aligned
      expect(() => k.alloc(90)).toThrow(/arena full \(100 floats; 90 more asked at 16\)/);
      expect(() => k.alloc(-1)).toThrow(/cannot allocate -1 floats/);
      expect(k.alloc(84)).toBe(16);
    }
  });

  it('hands out zeroed floats, and the WebAssembly arena is the module memory it computes in', () => {
    const k = wasmKernels(1000);
    const a = k.alloc(8);
    expect(Array.from(view(k, a, 8))).toEqual(new Array(8).fill(0));
    k.heap.set([-1, 2, -3, 4], a);
    k.relu(a, 4);
    expect(Array.from(view(k, a, 4))).toEqual([0, 2, 0, 4]);
    expect(() => wasmKernels(0)).toThrow(/positive whole number/);
  });
});
