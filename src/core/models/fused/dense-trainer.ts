/**
 * A dense network trained on Trainyard's kernels: dense + ReLU layers, then a dense output, MSE loss
 * and Adam, the whole step (forward, backward, update) in a fixed arena. Nothing is allocated per
 * batch: a batch's rows are gathered by index into the input buffer, and every activation, gradient
 * and Adam moment has its place in the arena from the start.
 *
 * Parameters, gradients and both moments are each one contiguous block laid out alike (each layer's
 * kernel, inputs x units row-major as tfjs keeps it, then its bias), so one Adam call updates them all.
 */
import type { Kernels, Ptr } from '../../kernels';
import type { AdamSettings } from '../tfjs-state';

export interface DenseNetwork {
  /** Input width, then each layer's units; the last is the output's. */
  sizes: number[];
}

export interface DenseData {
  /** Row-major `count` x inputs. */
  x: Float32Array;
  /** `count` x outputs. */
  y: Float32Array;
  count: number;
}

interface Layer {
  inputs: number;
  units: number;
  /** Offsets of this layer's kernel and bias inside the parameter block (same inside the gradient and moment blocks). */
  kernel: number;
  bias: number;
}

/** Validation runs in chunks of this many rows, so its buffers stay batch-sized however large the set. */
const VALIDATION_ROWS = 256;

/** The arena floats a network with these sizes needs for batches of up to `rows` rows. */
function arenaFloats(sizes: number[], rows: number, paramCount: number): number {
  const activations = sizes.reduce((sum, s) => sum + rows * s + 4, 0);
  const widest = Math.max(...sizes);
  return 4 * (paramCount + 4) + activations + 2 * (rows * widest + 4) + rows + 4;
}

/**
 * A loss as tfjs reports it, a float32: a loss past float32's range is infinite, as it is for tfjs,
 * so the divergence check sees the same thing whichever trainer ran.
 */
const asFloat32 = Math.fround;

export class DenseTrainer {
  private readonly layers: Layer[];
  readonly paramCount: number;
  /** Completed Adam steps. */
  step = 0;
  private readonly heap: Float32Array;
  private readonly rows: number;
  private readonly params: Ptr;
  private readonly grads: Ptr;
  private readonly m: Ptr;
  private readonly v: Ptr;
  /** activations[0] is the input; activations[l + 1] is layer l's output (after its ReLU when hidden). */
  private readonly activations: Ptr[];
  private readonly deltas: [Ptr, Ptr];
  private readonly target: Ptr;
  private readonly k: Kernels;

  constructor(
    readonly kernels: (floats: number) => Kernels,
    readonly network: DenseNetwork,
    readonly adam: AdamSettings,
    readonly batchSize: number,
  ) {
    const { sizes } = network;
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`a dense network needs whole positive sizes, not [${sizes.join(', ')}]`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive whole number, not ${batchSize}`);
    let at = 0;
    this.layers = sizes.slice(1).map((units, l) => {
      const inputs = sizes[l];
      const layer = { inputs, units, kernel: at, bias: at + inputs * units };
      at += inputs * units + units;
      return layer;
    });
    this.paramCount = at;
    this.rows = Math.max(batchSize, VALIDATION_ROWS);
    const k = kernels(arenaFloats(sizes, this.rows, this.paramCount));
    this.k = k;
    this.heap = k.heap;
    this.params = k.alloc(at);
    this.grads = k.alloc(at);
    this.m = k.alloc(at);
    this.v = k.alloc(at);
    this.activations = sizes.map((s) => k.alloc(this.rows * s));
    const widest = Math.max(...sizes);
    this.deltas = [k.alloc(this.rows * widest), k.alloc(this.rows * widest)];
    this.target = k.alloc(this.rows * sizes[sizes.length - 1]);
  }

  get kernelsName(): Kernels['name'] {
    return this.k.name;
  }

  private get outputs(): number {
    return this.network.sizes[this.network.sizes.length - 1];
  }

  /** Each layer's kernel (inputs x units) and bias (units), in order: views of the arena, valid while the trainer lives. */
  parameterViews(): Float32Array[] {
    return this.blockViews(this.params);
  }

  /** Adam's first and second moments, laid out as `parameterViews`. */
  momentViews(): { m: Float32Array[]; v: Float32Array[] } {
    return { m: this.blockViews(this.m), v: this.blockViews(this.v) };
  }

  private blockViews(block: Ptr): Float32Array[] {
    return this.layers.flatMap((l) => [
      this.heap.subarray(block + l.kernel, block + l.kernel + l.inputs * l.units),
      this.heap.subarray(block + l.bias, block + l.bias + l.units),
    ]);
  }

  /** Copies rows order[from..to) of `data` into the input and target buffers. */
  private gather(data: DenseData, order: Int32Array, from: number, to: number): void {
    const f = this.network.sizes[0];
    const out = this.outputs;
    const x = this.activations[0];
    for (let i = 0; i < to - from; i++) {
      const row = order[from + i];
      this.heap.set(data.x.subarray(row * f, row * f + f), x + i * f);
      this.heap.set(data.y.subarray(row * out, row * out + out), this.target + i * out);
    }
  }

  private forward(rows: number): void {
    const k = this.k;
    const last = this.layers.length - 1;
    this.layers.forEach((l, i) => {
      const out = this.activations[i + 1];
      k.gemm(false, false, rows, l.units, l.inputs, this.activations[i], this.params + l.kernel, out, false);
      k.addBias(out, this.params + l.bias, rows, l.units);
      if (i < last) k.relu(out, rows * l.units);
    });
  }

  /** Sum over the rows of the squared errors, averaged over the outputs (in double precision: see `asFloat32`). */
  private squaredErrorSum(rows: number): number {
    const pred = this.activations[this.activations.length - 1];
    let sum = 0;
    for (let i = 0; i < rows * this.outputs; i++) {
      const d = this.heap[pred + i] - this.heap[this.target + i];
      sum += d * d;
    }
    return sum / this.outputs;
  }

  /**
   * One minibatch: forward, MSE loss, backward, one Adam step. Returns the batch's loss before the
   * step (as tfjs's trainOnBatch does).
   */
  trainBatch(data: DenseData, order: Int32Array, from: number, to: number): number {
    const rows = to - from;
    if (rows < 1 || rows > this.batchSize) throw new Error(`a batch has 1 to ${this.batchSize} rows, not ${rows}`);
    this.gather(data, order, from, to);
    this.forward(rows);
    const loss = asFloat32(this.squaredErrorSum(rows) / rows);
    this.backward(rows);
    this.step++;
    const a = this.adam;
    this.k.adam(this.params, this.grads, this.m, this.v, this.paramCount, a.learningRate, a.beta1, a.beta2, a.epsilon, this.step);
    return loss;
  }

  private backward(rows: number): void {
    const k = this.k;
    const heap = this.heap;
    const out = this.outputs;
    const pred = this.activations[this.activations.length - 1];
    let delta = this.deltas[0];
    // d(mean of squared errors)/d(prediction) = 2 (prediction - target) / (rows x outputs).
    const scale = 2 / (rows * out);
    for (let i = 0; i < rows * out; i++) heap[delta + i] = scale * (heap[pred + i] - heap[this.target + i]);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i];
      const input = this.activations[i];
      k.gemm(true, false, l.inputs, l.units, rows, input, delta, this.grads + l.kernel, false);
      k.columnSums(delta, rows, l.units, this.grads + l.bias, false);
      if (i === 0) break;
      const next = delta === this.deltas[0] ? this.deltas[1] : this.deltas[0];
      k.gemm(false, true, rows, l.inputs, l.units, delta, this.params + l.kernel, next, false);
      k.reluBackward(next, input, rows * l.inputs);
      delta = next;
    }
  }

  /** Mean squared error over the whole of `data`, in chunks of the arena's rows. */
  meanSquaredError(data: DenseData): number {
    const f = this.network.sizes[0];
    const out = this.outputs;
    let sum = 0;
    for (let from = 0; from < data.count; from += this.rows) {
      const rows = Math.min(this.rows, data.count - from);
      this.heap.set(data.x.subarray(from * f, (from + rows) * f), this.activations[0]);
      this.heap.set(data.y.subarray(from * out, (from + rows) * out), this.target);
      this.forward(rows);
      sum += this.squaredErrorSum(rows);
    }
    return asFloat32(sum / data.count);
  }
}
