/**
 * The LSTM forecaster's network trained directly on Trainyard's CPU kernels: the same model tfjs
 * builds in `buildRecurrent` (stacked LSTM layers, tanh and hard sigmoid, gate order i, f, c, o,
 * a dense output on the last step; MSE and Adam), with forward, backpropagation through time and
 * the Adam step as a handful of kernel calls over one arena, allocated once.
 *
 * Layout: a batch's inputs are gathered time-major ([steps, batch, channels]), so one step's rows
 * are contiguous. That lets the big products be big: each layer's input projection of all steps is
 * one gemm (steps·batch rows), and so are its weight gradients (K = steps·batch); only h·U (and its
 * transpose going back) runs per step.
 */
import type { Kernels, Ptr } from '../../kernels';
import type { AdamSettings } from '../tfjs-state';

export interface LstmShape {
  steps: number;
  channels: number;
  units: number;
  layers: number;
}

/** One layer's weights and the buffers its forward and backward passes keep. */
interface LayerSlots {
  inputs: number;
  /** Weights: kernel [inputs, 4u], recurrent kernel [u, 4u], bias [4u], as tfjs stores them. */
  kernel: Ptr;
  recurrent: Ptr;
  bias: Ptr;
  gradKernel: Ptr;
  gradRecurrent: Ptr;
  gradBias: Ptr;
  /** [steps, batch, 4u]: pre-activations, then (after each step's cell) the activated gates. */
  gates: Ptr;
  /** [steps, batch, u] each. */
  cells: Ptr;
  hidden: Ptr;
  /** [steps, batch, u]: the loss's gradient with respect to this layer's outputs. */
  gradHidden: Ptr;
}

/** The floats one layer's weights take (kernel, recurrent kernel, bias), in tfjs's order. */
const layerWeightSizes = (inputs: number, units: number) => [inputs * 4 * units, units * 4 * units, 4 * units];

/** The number of floats the trainer's arena needs for `shape` and batches of at most `maxBatch`. */
export function lstmArenaFloats(shape: LstmShape, maxBatch: number): number {
  const { steps: t, channels, units: u, layers } = shape;
  const pad = (n: number) => Math.ceil(n / 4) * 4;
  let params = 0;
  for (let l = 0; l < layers; l++) for (const n of layerWeightSizes(l === 0 ? channels : u, u)) params += pad(n);
  params += pad(u) + pad(1);
  const perLayer = pad(t * maxBatch * 4 * u) + 3 * pad(t * maxBatch * u);
  const shared = pad(t * maxBatch * channels) + pad(t * maxBatch * 4 * u) + 2 * pad(maxBatch * u) + 3 * pad(maxBatch);
  return 4 * params + layers * perLayer + shared + 64;
}

export class FusedLstm {
  readonly shape: LstmShape;
  readonly maxBatch: number;
  private readonly k: Kernels;
  private readonly layers: LayerSlots[] = [];
  /** All weights, their gradients and Adam's two moments: four blocks of `paramCount` floats, same layout. */
  private readonly params: Ptr;
  private readonly grads: Ptr;
  private readonly moment1: Ptr;
  private readonly moment2: Ptr;
  private readonly paramCount: number;
  /** tfjs's weight list, in order: where each one sits in `params` and how many floats. */
  private readonly weightSlots: { at: number; size: number }[] = [];
  private readonly denseKernel: Ptr;
  private readonly denseBias: Ptr;
  private readonly gradDenseKernel: Ptr;
  private readonly gradDenseBias: Ptr;
  private readonly inputs: Ptr;
  private readonly targets: Ptr;
  private readonly predictions: Ptr;
  private readonly gradPredictions: Ptr;
  private readonly gradGates: Ptr;
  private readonly gradCell: Ptr;
  /** c before the first step: never written. */
  private readonly zeroCell: Ptr;
  /** Adam steps taken so far. */
  step = 0;

  constructor(k: Kernels, shape: LstmShape, maxBatch: number) {
    for (const [name, v] of Object.entries(shape)) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`fused LSTM: ${name} must be a positive integer (got ${v})`);
    }
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error(`fused LSTM: batch size must be a positive integer (got ${maxBatch})`);
    this.k = k;
    this.shape = { ...shape };
    this.maxBatch = maxBatch;
    const { steps: t, channels, units: u, layers } = shape;
    const sizes: number[] = [];
    for (let l = 0; l < layers; l++) sizes.push(...layerWeightSizes(l === 0 ? channels : u, u));
    sizes.push(u, 1);
    // The four parameter-shaped blocks share one layout, so each weight is at the same offset in each.
    const padded = sizes.map((n) => Math.ceil(n / 4) * 4);
    this.paramCount = padded.reduce((a, b) => a + b, 0);
    this.params = k.alloc(this.paramCount);
    this.grads = k.alloc(this.paramCount);
    this.moment1 = k.alloc(this.paramCount);
    this.moment2 = k.alloc(this.paramCount);
    let at = 0;
    for (let i = 0; i < sizes.length; i++) {
      this.weightSlots.push({ at, size: sizes[i] });
      at += padded[i];
    }
    const slot = (i: number) => this.weightSlots[i].at;
    for (let l = 0; l < layers; l++) {
      this.layers.push({
        inputs: l === 0 ? channels : u,
        kernel: this.params + slot(3 * l),
        recurrent: this.params + slot(3 * l + 1),
        bias: this.params + slot(3 * l + 2),
        gradKernel: this.grads + slot(3 * l),
        gradRecurrent: this.grads + slot(3 * l + 1),
        gradBias: this.grads + slot(3 * l + 2),
        gates: k.alloc(t * maxBatch * 4 * u),
        cells: k.alloc(t * maxBatch * u),
        hidden: k.alloc(t * maxBatch * u),
        gradHidden: k.alloc(t * maxBatch * u),
      });
    }
    this.denseKernel = this.params + slot(3 * layers);
    this.denseBias = this.params + slot(3 * layers + 1);
    this.gradDenseKernel = this.grads + slot(3 * layers);
    this.gradDenseBias = this.grads + slot(3 * layers + 1);
    this.inputs = k.alloc(t * maxBatch * channels);
    this.gradGates = k.alloc(t * maxBatch * 4 * u);
    this.gradCell = k.alloc(maxBatch * u);
    this.zeroCell = k.alloc(maxBatch * u);
    this.targets = k.alloc(maxBatch);
    this.predictions = k.alloc(maxBatch);
    this.gradPredictions = k.alloc(maxBatch);
  }

  /** The sizes of tfjs's weight list for this network, in its order (per layer kernel, recurrent, bias; dense kernel, bias). */
  get kernelsName(): Kernels['name'] {
    return this.k.name;
  }

  get weightSizes(): number[] {
    return this.weightSlots.map((s) => s.size);
  }

  /** Sets the weights from tfjs's list (`model.getWeights()` order, flattened). */
  setWeights(values: ArrayLike<number>[]): void {
    this.checkList(values, 'weights');
    values.forEach((v, i) => this.k.heap.set(v, this.params + this.weightSlots[i].at));
  }

  getWeights(): Float32Array[] {
    return this.weightSlots.map((s) => this.k.heap.slice(this.params + s.at, this.params + s.at + s.size));
  }

  /** Adam's state: the step count and both moments per weight, in the weights' order. */
  getOptimizerState(): { step: number; m: Float32Array[]; v: Float32Array[] } {
    const of = (base: Ptr) => this.weightSlots.map((s) => this.k.heap.slice(base + s.at, base + s.at + s.size));
    return { step: this.step, m: of(this.moment1), v: of(this.moment2) };
  }

  setOptimizerState(s: { step: number; m: ArrayLike<number>[]; v: ArrayLike<number>[] }): void {
    if (!Number.isInteger(s.step) || s.step < 0) throw new Error(`fused LSTM: Adam's step count must be a whole number (got ${s.step})`);
    this.checkList(s.m, 'first moments');
    this.checkList(s.v, 'second moments');
    s.m.forEach((m, i) => this.k.heap.set(m, this.moment1 + this.weightSlots[i].at));
    s.v.forEach((v, i) => this.k.heap.set(v, this.moment2 + this.weightSlots[i].at));
    this.step = s.step;
  }

  private checkList(values: ArrayLike<number>[], what: string): void {
    const want = this.weightSizes;
    if (values.length !== want.length || values.some((v, i) => v.length !== want[i])) {
      const got = values.map((v) => v.length).join(', ');
      throw new Error(`fused LSTM: ${what} do not fit the network (sizes ${got}; expected ${want.join(', ')})`);
    }
  }

  /**
   * Gathers samples `order[from..to)` of `x` (row-major samples of steps × channels) and `y` into the
   * arena, time-major. Returns the batch size.
   */
  loadBatch(x: Float32Array, y: Float32Array, order: ArrayLike<number> | null, from: number, to: number): number {
    const n = to - from;
    if (n < 1 || n > this.maxBatch) throw new Error(`fused LSTM: a batch of ${n} samples (at most ${this.maxBatch})`);
    const { steps, channels } = this.shape;
    const heap = this.k.heap;
    const features = steps * channels;
    for (let i = 0; i < n; i++) {
      const row = order ? order[from + i] : from + i;
      const src = row * features;
      for (let t = 0; t < steps; t++) {
        const dst = this.inputs + (t * n + i) * channels;
        for (let c = 0; c < channels; c++) heap[dst + c] = x[src + t * channels + c];
      }
      heap[this.targets + i] = y[row];
    }
    return n;
  }

  /** Runs the network over the loaded batch of `n`; returns its MSE against the loaded targets. */
  forward(n: number): number {
    const k = this.k;
    const { steps, units: u } = this.shape;
    let input = this.inputs;
    for (const layer of this.layers) {
      k.gemm(false, false, steps * n, 4 * u, layer.inputs, input, layer.kernel, layer.gates, false);
      k.addBias(layer.gates, layer.bias, steps * n, 4 * u);
      for (let t = 0; t < steps; t++) {
        const gates = layer.gates + t * n * 4 * u;
        if (t > 0) k.gemm(false, false, n, 4 * u, u, layer.hidden + (t - 1) * n * u, layer.recurrent, gates, true);
        const cPrev = t > 0 ? layer.cells + (t - 1) * n * u : this.zeroCell;
        k.lstmCellForward(gates, cPrev, layer.cells + t * n * u, layer.hidden + t * n * u, n, u);
      }
      input = layer.hidden;
    }
    const last = this.layers[this.layers.length - 1].hidden + (steps - 1) * n * u;
    k.gemm(false, false, n, 1, u, last, this.denseKernel, this.predictions, false);
    k.addBias(this.predictions, this.denseBias, n, 1);
    const heap = k.heap;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = heap[this.predictions + i] - heap[this.targets + i];
      sum += d * d;
      heap[this.gradPredictions + i] = (2 * d) / n;
    }
    return sum / n;
  }

  /** Backpropagation through time of the last `forward(n)`: fills the gradients. */
  backward(n: number): void {
    const k = this.k;
    const { steps, units: u } = this.shape;
    const heap = k.heap;
    const layers = this.layers;
    const top = layers[layers.length - 1];
    const last = (steps - 1) * n * u;
    k.gemm(true, false, u, 1, n, top.hidden + last, this.gradPredictions, this.gradDenseKernel, false);
    k.columnSums(this.gradPredictions, n, 1, this.gradDenseBias, false);
    k.gemm(false, true, n, u, 1, this.gradPredictions, this.denseKernel, top.gradHidden + last, false);
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      heap.fill(0, this.gradCell, this.gradCell + n * u);
      for (let t = steps - 1; t >= 0; t--) {
        const dh = layer.gradHidden + t * n * u;
        // The top layer's outputs before the last step feed only the next step; a lower layer's also feed the layer above.
        if (t < steps - 1) k.gemm(false, true, n, u, 4 * u, this.gradGates + (t + 1) * n * 4 * u, layer.recurrent, dh, layer !== top);
        const cPrev = t > 0 ? layer.cells + (t - 1) * n * u : this.zeroCell;
        k.lstmCellBackward(layer.gates + t * n * 4 * u, cPrev, layer.cells + t * n * u, dh, this.gradCell, this.gradGates + t * n * 4 * u, n, u);
      }
      const input = l > 0 ? layers[l - 1].hidden : this.inputs;
      k.gemm(true, false, layer.inputs, 4 * u, steps * n, input, this.gradGates, layer.gradKernel, false);
      // h before the first step is zero: only steps 1.. contribute to the recurrent kernel's gradient.
      if (steps > 1) k.gemm(true, false, u, 4 * u, (steps - 1) * n, layer.hidden, this.gradGates + n * 4 * u, layer.gradRecurrent, false);
      else heap.fill(0, layer.gradRecurrent, layer.gradRecurrent + u * 4 * u);
      k.columnSums(this.gradGates, steps * n, 4 * u, layer.gradBias, false);
      if (l > 0) k.gemm(false, true, steps * n, u, 4 * u, this.gradGates, layer.kernel, layers[l - 1].gradHidden, false);
    }
  }

  /** One Adam step over every weight with the gradients of the last `backward`. */
  adamStep(c: AdamSettings): void {
    this.step++;
    this.k.adam(this.params, this.grads, this.moment1, this.moment2, this.paramCount, c.learningRate, c.beta1, c.beta2, c.epsilon, this.step);
  }

  /** Forward, backward and Adam on the loaded batch of `n`; returns the batch's loss before the step. */
  trainBatch(n: number, adam: AdamSettings): number {
    const loss = this.forward(n);
    this.backward(n);
    this.adamStep(adam);
    return loss;
  }

  /** The MSE of the network over all `count` samples of `x`/`y`, in batches of at most `maxBatch`. */
  loss(x: Float32Array, y: Float32Array, count: number): number {
    let sum = 0;
    for (let from = 0; from < count; from += this.maxBatch) {
      const n = this.loadBatch(x, y, null, from, Math.min(count, from + this.maxBatch));
      sum += this.forward(n) * n;
    }
    return sum / count;
  }
}
