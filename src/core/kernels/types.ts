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
  /**
   * One LSTM step's element-wise part for `batch` rows of `units` cells, as tfjs's LSTMCell computes it
   * (activation tanh, recurrent activation hard sigmoid clip(0.2 z + 0.5, 0, 1)). `gates` (batch × 4·units)
   * holds the pre-activations z = x·W + h·U + b in tfjs's gate order (i, f, c, o) and is overwritten with
   * the activations i, f, g = tanh(z_c), o, which the backward pass reads. Then c = f·cPrev + i·g and
   * h = o·tanh(c), each batch × units.
   */
  lstmCellForward(gates: Ptr, cPrev: Ptr, c: Ptr, h: Ptr, batch: number, units: number): void;
  /**
   * The backward pass of `lstmCellForward`, given its activated `gates`, `cPrev` and `c`: `dh` is the
   * loss's gradient with respect to h, `dc` with respect to c from the steps after this one (read, then
   * overwritten with the gradient with respect to cPrev); `dGates` (batch × 4·units) gets the gradient
   * with respect to the pre-activations. The hard sigmoid's slope is 0.2 strictly inside its ramp, 0 on
   * the flat parts (tfjs also counts the ramp's two end points, where an activation is exactly 0 or 1).
   */
  lstmCellBackward(gates: Ptr, cPrev: Ptr, c: Ptr, dh: Ptr, dc: Ptr, dGates: Ptr, batch: number, units: number): void;
}
