/**
 * The kernels in plain JavaScript: the definition the WebAssembly kernels are tested against, and
 * the fallback where WebAssembly SIMD is missing. Written for clarity first; loops run in the order
 * that walks memory forwards.
 */
import { arenaAllocator } from './arena';
import type { Kernels, Ptr } from './types';

/** tfjs's hardSigmoid, the LSTM's default recurrent activation. */
const hardSigmoid = (z: number) => Math.min(1, Math.max(0, 0.2 * z + 0.5));
/** Its derivative, read off its output: inside the ramp exactly when the output is strictly between 0 and 1. */
const hardSigmoidSlope = (y: number) => (y > 0 && y < 1 ? 0.2 : 0);

export function referenceKernels(floats: number): Kernels {
  const heap = new Float32Array(floats);
  return {
    name: 'js',
    heap,
    alloc: arenaAllocator(heap),
    gemm(transA, transB, m, n, k, a, b, c, accumulate) {
      if (!accumulate) heap.fill(0, c, c + m * n);
      for (let i = 0; i < m; i++) {
        for (let p = 0; p < k; p++) {
          const av = heap[transA ? a + p * m + i : a + i * k + p];
          if (av === 0) continue;
          const row = c + i * n;
          if (transB) for (let j = 0; j < n; j++) heap[row + j] += av * heap[b + j * k + p];
          else for (let j = 0, bp = b + p * n; j < n; j++) heap[row + j] += av * heap[bp + j];
        }
      }
    },
    addBias(c, bias, m, n) {
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) heap[c + i * n + j] += heap[bias + j];
    },
    columnSums(a, m, n, out, accumulate) {
      if (!accumulate) heap.fill(0, out, out + n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) heap[out + j] += heap[a + i * n + j];
    },
    relu(x, count) {
      // NaN stays NaN, so a diverging network is still caught by the loss check.
      for (let i = x; i < x + count; i++) if (heap[i] <= 0) heap[i] = 0;
    },
    reluBackward(dx, y, count) {
      for (let i = 0; i < count; i++) if (!(heap[y + i] > 0)) heap[dx + i] = 0;
    },
    adam(param: Ptr, grad: Ptr, m: Ptr, v: Ptr, count, lr, beta1, beta2, epsilon, step) {
      const stepSize = lr / (1 - beta1 ** step);
      const secondCorrection = Math.sqrt(1 - beta2 ** step);
      for (let i = 0; i < count; i++) {
        const g = heap[grad + i];
        const mi = (heap[m + i] = beta1 * heap[m + i] + (1 - beta1) * g);
        const vi = (heap[v + i] = beta2 * heap[v + i] + (1 - beta2) * g * g);
        heap[param + i] -= (stepSize * mi) / (Math.sqrt(vi) / secondCorrection + epsilon);
      }
    },
    lstmCellForward(gates, cPrev, c, h, batch, units) {
      for (let b = 0; b < batch; b++) {
        const z = gates + b * 4 * units;
        for (let j = 0; j < units; j++) {
          const i = (heap[z + j] = hardSigmoid(heap[z + j]));
          const f = (heap[z + units + j] = hardSigmoid(heap[z + units + j]));
          const g = (heap[z + 2 * units + j] = Math.tanh(heap[z + 2 * units + j]));
          const o = (heap[z + 3 * units + j] = hardSigmoid(heap[z + 3 * units + j]));
          const at = b * units + j;
          const cell = (heap[c + at] = f * heap[cPrev + at] + i * g);
          heap[h + at] = o * Math.tanh(cell);
        }
      }
    },
    lstmCellBackward(gates, cPrev, c, dh, dc, dGates, batch, units) {
      for (let b = 0; b < batch; b++) {
        const a = gates + b * 4 * units;
        const d = dGates + b * 4 * units;
        for (let j = 0; j < units; j++) {
          const i = heap[a + j];
          const f = heap[a + units + j];
          const g = heap[a + 2 * units + j];
          const o = heap[a + 3 * units + j];
          const at = b * units + j;
          const tc = Math.tanh(heap[c + at]);
          const dcell = heap[dc + at] + heap[dh + at] * o * (1 - tc * tc);
          heap[d + j] = dcell * g * hardSigmoidSlope(i);
          heap[d + units + j] = dcell * heap[cPrev + at] * hardSigmoidSlope(f);
          heap[d + 2 * units + j] = dcell * i * (1 - g * g);
          heap[d + 3 * units + j] = heap[dh + at] * tc * hardSigmoidSlope(o);
          heap[dc + at] = dcell * f;
        }
      }
    },
  };
}
