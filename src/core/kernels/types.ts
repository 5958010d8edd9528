/**
 * The CPU kernels Trainyard's own network trainers run on: dense matrix products and the few
 * element-wise steps around them, over one flat float32 arena. Two implementations keep the same
 * contract: WebAssembly SIMD (fast) and plain JavaScript (the reference every test compares with).
 *
 * Why an arena of offsets rather than tensors: a training step is then a handful of calls that
 * allocate nothing, and the WebAssembly side reads and writes its own memory with no copies.
 */

/** An offset into the arena, counted in floats (not bytes); `alloc` keeps it 16-byte aligned. */
export type Ptr = number;

export interface Kernels {
  readonly name: 'wasm-simd' | 'js';
  /** The arena's floats. The same view for the arena's whole life: it never grows. */
  readonly heap: Float32Array;
  /** `floats` zeroed floats; throws a clear error when the arena is full. */
  alloc(floats: number): Ptr;
  /**
   * Row-major C (m × n) = op(A) · op(B), added to C when `accumulate`, else written over it.
   * op(A) is A stored m × k, or A stored k × m when `transA`; op(B) is B stored k × n, or B stored
   * n × k when `transB`.
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Ptr, b: Ptr, c: Ptr, accumulate: boolean): void;
  /** Each of the m rows of C (m × n) gets `bias` (n) added. */
  addBias(c: Ptr, bias: Ptr, m: number, n: number): void;
  /** out (n) = the column sums of A (m × n), added to out when `accumulate`. */
  columnSums(a: Ptr, m: number, n: number, out: Ptr, accumulate: boolean): void;
  /** x = max(x, 0) over `count` floats, in place. */
  relu(x: Ptr, count: number): void;
  /** dx *= (y > 0) over `count` floats: the ReLU's backward pass, given its output y. */
  reluBackward(dx: Ptr, y: Ptr, count: number): void;
  /**
   * One Adam step (Kingma & Ba) over `count` parameters, as tfjs and PyTorch compute it:
   * param -= lr / (1 - beta1^t) · m / (sqrt(v / (1 - beta2^t)) + epsilon). m, v and the
   * parameters are updated in place; `step` (t) is 1-based.
   */
  adam(param: Ptr, grad: Ptr, m: Ptr, v: Ptr, count: number, lr: number, beta1: number, beta2: number, epsilon: number, step: number): void;
}
