/**
 * The kernels in plain JavaScript: the definition the WebAssembly kernels are tested against, and
 * the fallback where WebAssembly SIMD is missing. Written for clarity first; loops run in the order
 * that walks memory forwards.
 */
import { arenaAllocator } from './arena';
import type { Kernels, Ptr } from './types';

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
  };
}
