/// <reference types="@webgpu/types" />
/**
 * Trainyard's dense trainer on WebGPU: a dense ReLU network (linear output) with Adam on a mean
 * squared error, trained by its own WGSL shaders (shaders.ts) rather than by TensorFlow.js ops.
 *
 * Why: on a GPU a small network's step is bound by dispatches and by the matrix products' kernels.
 * The lean step on tfjs (../lean-dense-step.ts) cut the dispatches to about 43 a step, but tfjs's
 * WebGPU matmul reached about 1/20 of cuBLAS on an H200. Here one step is 3L + 1 dispatches for L
 * layers (10 for the bench's three), all in one compute pass and one submit:
 * - L forward products, each with its bias and ReLU, the first reading the batch's rows straight
 *   from the training set on the device (the only upload per step is the batch's row indices);
 * - one loss pass, which also writes the loss gradient and adds the batch's squared error to a sum
 *   on the device (read back only every few batches);
 * - L weight-gradient products, each giving the kernel's and the bias's gradient together (split
 *   over the batch's rows into partial gradients where the product alone has too few tiles to
 *   fill the GPU; Adam adds them up);
 * - L - 1 input-gradient products with the ReLU mask;
 * - one Adam pass over every weight at once.
 *
 * All weights live in one flat buffer, a layer's kernel then its bias, each layer starting at the
 * device's storage-offset alignment so a layer can be bound on its own; gradients and Adam's
 * moments have the same layout. The math is the lean step's (same Adam), checked against it.
 */
import { ADAM_MAX_GROUPS, ADAM_THREADS, adamShader, autoProduct, lossShader, matmulGrid, matmulShader, productCandidates, type MatmulSpec, type ProductShape, type Tiling } from './shaders';
import type { SampleSet } from '../../network-training';
import type { AdamSettings, AdamState } from '../../tfjs-state';

// WebGPU's usage and map flags, by value (fixed by the specification): the globals that name them
// exist in a browser and in Electron, but in Node only once the webgpu package has installed them.
const STORAGE = 0x80;
const UNIFORM = 0x40;
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const MAP_READ = 0x01;
const MAP_MODE_READ = 0x1;

export interface WgslDenseOptions {
  adam: AdamSettings;
  /** The largest batch a step takes (the activation buffers' rows). */
  maxBatch: number;
  /** Both sample sets: `count` row-major rows of the network's inputs and their targets (`count x outputs`). */
  train: SampleSet;
  val: SampleSet;
  /**
   * How each product is tiled and split:
   * - 'tune' (the default): each product's candidates (productCandidates) timed on this device by
   *   `ready()`, the fastest kept. GPUs differ too much for one rule to suit them all;
   * - 'auto': chosen by size alone (autoProduct), nothing timed;
   * - a tiling: that one for every product (split by `splitK`).
   */
  tiling?: Tiling | 'auto' | 'tune';
  /** With a fixed tiling, the slices each weight gradient's reduction over the batch is split into (default 1, none). */
  splitK?: number;
}

/** Dispatches of one training step for `layers` dense layers. */
export const wgslDispatches = (layers: number): number => 3 * layers + 1;

interface Layer {
  inputs: number;
  units: number;
  /** Where the layer's kernel starts in the flat buffers (floats); its bias follows the kernel. */
  offset: number;
}

/** One compute pass of a step: its pipeline, its buffers, and what sets its grid. */
interface Pass {
  pipeline: GPUComputePipeline;
  bind: GPUBindGroup;
  spec: MatmulSpec | 'loss' | 'adam';
  /** For a matrix product: its shape and the buffers it binds for a given spec (which the split changes), to build it again. */
  product?: Product;
}

interface Product {
  shape: ProductShape;
  entries: (spec: MatmulSpec) => (GPUBufferBinding | null)[];
}

/** Dispatches of a product per timed submit when tuning, and timed submits per candidate (the quickest counts). */
const TUNE_DISPATCHES = 4;
const TUNE_ROUNDS = 3;

const shapeKey = (shape: ProductShape): string => JSON.stringify(shape);

/**
 * What tuning chose on a device, by product shape and largest batch: the next trainer of the same
 * shapes on it (a study's next trial, in the same warm worker) times nothing.
 */
const tuningMemo = new WeakMap<GPUDevice, Map<string, { tiling: Tiling; splitK: number }>>();
const pipelinesOf = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

interface SetOnDevice {
  x: GPUBuffer;
  y: GPUBuffer;
  count: number;
}

/** The shapes of a dense network's weights (kernel, bias per layer), checked, as layers. */
function layersOf(shapes: number[][], alignFloats: number): { layers: Layer[]; floats: number } {
  if (shapes.length === 0 || shapes.length % 2 !== 0) throw new Error(`A dense network has a kernel and a bias per layer; got ${shapes.length} tensors`);
  const layers: Layer[] = [];
  let offset = 0;
  for (let i = 0; i < shapes.length; i += 2) {
    const [kernel, bias] = [shapes[i], shapes[i + 1]];
    const prev = layers[layers.length - 1];
    if (kernel.length !== 2 || bias.length !== 1 || bias[0] !== kernel[1] || (prev && prev.units !== kernel[0])) {
      throw new Error(`Layer ${i / 2} is not dense after the one before: kernel [${kernel}], bias [${bias}]`);
    }
    layers.push({ inputs: kernel[0], units: kernel[1], offset });
    offset += Math.ceil((kernel[0] * kernel[1] + kernel[1]) / alignFloats) * alignFloats;
  }
  return { layers, floats: offset };
}

/** Layer i's forward product, relu(x · W + b) (the last layer without the ReLU), the first reading the batch's rows from the set. */
const forwardShape = (l: Layer, i: number, layers: number): ProductShape => ({ m: 'n', n: l.units, k: l.inputs, transA: false, transB: false, gatherA: i === 0, onesRow: false, epilogue: i === layers - 1 ? 'bias' : 'bias-relu' });

/** The gradient at layer l's input through the ReLU below it, (dz · Wᵀ) ⊙ (input > 0). */
const inputGradientShape = (l: Layer): ProductShape => ({ m: 'n', n: l.inputs, k: l.units, transA: false, transB: true, gatherA: false, onesRow: false, epilogue: 'relu-mask' });

/** Layer i's weight gradient, [inputᵀ; 1ᵀ] · dz: a reduction over the batch, the first layer reading its inputs through the batch's rows. */
const gradientShape = (l: Layer, i: number): ProductShape => ({ m: l.inputs, n: l.units, k: 'n', transA: true, transB: false, gatherA: i === 0, onesRow: true, epilogue: 'none' });

export class WgslDenseStep {
  readonly layers: Layer[];
  private readonly floats: number;
  /** Partial gradients the gradient buffer holds: the most slices any weight-gradient product may be split into. */
  private readonly partsCapacity: number;
  /** Partial gradients Adam adds up: the most slices a weight-gradient product is split into as built. */
  private parts = 1;
  /** The tiling and split each product shape was given by tuning. */
  private readonly tuned = new Map<string, MatmulSpec>();
  /** Pipelines by their shader's code, shared by the trainers on this device: a product's code is compiled once. */
  private readonly pipelines: Map<string, GPUComputePipeline>;
  private readonly buffers: GPUBuffer[] = [];
  private readonly params: GPUBuffer;
  private readonly grads: GPUBuffer;
  private readonly m: GPUBuffer;
  private readonly v: GPUBuffer;
  private readonly batchUniform: GPUBuffer;
  private readonly adamUniform: GPUBuffer;
  private readonly rows: GPUBuffer;
  private readonly lossSum: GPUBuffer;
  private readonly valSum: GPUBuffer;
  /** Each layer's output for the batch (the last is the network's). */
  private readonly acts: GPUBuffer[];
  /** The backward pass's gradients with respect to a layer's output, alternating between two buffers. */
  private readonly dz: [GPUBuffer, GPUBuffer];
  private readonly train: SetOnDevice;
  private readonly val: SetOnDevice;
  private trainPasses: Pass[];
  private valPasses: Pass[];
  /** What the device said of the buffers and shaders made in the constructor (see ready). */
  private readonly errors: Promise<(GPUError | null)[]>;
  private steps = 0;
  private lossCount = 0;
  private destroyed = false;

  /**
   * Takes the network's weights (kernel, bias per layer, flat, in a Sequential's getWeights order)
   * and both sample sets, which go to the device once. Check `ready()` before the first step: it
   * reports a shader or binding the device refused.
   */
  constructor(
    private readonly device: GPUDevice,
    weights: { values: ArrayLike<number>; shape: number[] }[],
    private readonly o: WgslDenseOptions,
  ) {
    const align = device.limits.minStorageBufferOffsetAlignment / 4;
    const { layers, floats } = layersOf(
      weights.map((w) => w.shape),
      align,
    );
    weights.forEach((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (w.values.length !== size) throw new Error(`A weight of shape [${w.shape}] has ${w.values.length} values`);
    });
    if (!Number.isInteger(o.maxBatch) || o.maxBatch < 1) throw new Error(`The largest batch must be a positive whole number; got ${o.maxBatch}`);
    this.layers = layers;
    this.floats = floats;
    const inputs = layers[0].inputs;
    const outputs = layers[layers.length - 1].units;
    for (const [name, set] of [['training', o.train], ['validation', o.val]] as const) {
      if (set.count < 1 || set.x.length !== set.count * inputs || set.y.length !== set.count * outputs) {
        throw new Error(`The ${name} set does not fit the network: ${set.count} samples, ${set.x.length} inputs and ${set.y.length} targets for ${inputs} inputs and ${outputs} outputs a sample`);
      }
      const bytes = set.x.length * 4;
      if (bytes > device.limits.maxStorageBufferBindingSize) {
        throw new Error(`The ${name} set's inputs (${(bytes / 2 ** 20).toFixed(0)} MiB) exceed this GPU's largest storage binding (${(device.limits.maxStorageBufferBindingSize / 2 ** 20).toFixed(0)} MiB)`);
      }
    }
    this.pipelines = pipelinesOf.get(device) ?? new Map();
    pipelinesOf.set(device, this.pipelines);
    if ((o.tiling ?? 'tune') === 'tune') this.recallTuning();
    this.partsCapacity = Math.max(...layers.map((l, i) => Math.max(...this.choices(gradientShape(l, i)).map((c) => c.splitK ?? 1))));
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    this.params = this.buffer(floats * 4, COPY_SRC | COPY_DST);
    // Zeroed at creation: the slices a layer split fewer ways never writes stay zero for Adam's sum.
    this.grads = this.buffer(this.partsCapacity * floats * 4, COPY_DST);
    this.m = this.buffer(floats * 4, COPY_SRC | COPY_DST);
    this.v = this.buffer(floats * 4, COPY_SRC | COPY_DST);
    this.writeFlat(this.params, weights.map((w) => w.values));
    this.batchUniform = this.buffer(16, COPY_DST, UNIFORM);
    this.adamUniform = this.buffer(32, COPY_DST, UNIFORM);
    this.rows = this.buffer(o.maxBatch * 4, COPY_DST);
    this.lossSum = this.buffer(4, COPY_SRC | COPY_DST);
    this.valSum = this.buffer(4, COPY_SRC | COPY_DST);
    this.acts = layers.map((l) => this.buffer(o.maxBatch * l.units * 4));
    const widest = Math.max(...layers.map((l) => l.units));
    this.dz = [this.buffer(o.maxBatch * widest * 4), this.buffer(o.maxBatch * widest * 4)];
    this.train = this.upload(o.train);
    this.val = this.upload(o.val);
    this.trainPasses = this.trainingPasses();
    this.valPasses = this.forwardPasses(this.val, false);
    this.errors = Promise.all([device.popErrorScope(), device.popErrorScope()]);
  }

  /**
   * Resolves once the device has accepted every buffer and shader, and, with 'tune', once each
   * product's candidates were timed and the fastest built; rejects with what the device refused.
   */
  async ready(): Promise<void> {
    this.refuse(await this.errors);
    if ((this.o.tiling ?? 'tune') !== 'tune') return;
    this.device.pushErrorScope('validation');
    this.device.pushErrorScope('out-of-memory');
    const tuning = await this.tune().then(
      () => null,
      (err: unknown) => err,
    );
    this.refuse(await Promise.all([this.device.popErrorScope(), this.device.popErrorScope()]));
    if (tuning !== null) {
      this.destroy();
      throw tuning;
    }
  }

  private refuse(errors: (GPUError | null)[]): void {
    const refused = errors.filter((e): e is GPUError => e !== null);
    if (refused.length > 0) {
      this.destroy();
      throw new Error(`The GPU refused Trainyard's dense trainer: ${refused.map((e) => e.message).join('; ')}`);
    }
  }

  /**
   * Times every candidate of each product with more than one at the largest batch, on the
   * trainer's own buffers (products write only activations and gradients, which every step
   * rewrites before reading), keeps the quickest, and builds the step again with them.
   */
  private memoKey(shape: ProductShape): string {
    return `${shapeKey(shape)} at ${this.o.maxBatch}`;
  }

  /** Takes the choices tuning made on this device for products of these shapes, where it made them. */
  private recallTuning(): void {
    const memo = tuningMemo.get(this.device);
    if (!memo) return;
    const shapes = this.layers.flatMap((l, i) => [forwardShape(l, i, this.layers.length), gradientShape(l, i), ...(i > 0 ? [inputGradientShape(l)] : [])]);
    for (const shape of shapes) {
      const known = memo.get(this.memoKey(shape));
      const same = known && this.choices(shape).find((c) => c.tiling === known.tiling && (c.splitK ?? 1) === known.splitK);
      if (same) this.tuned.set(shapeKey(shape), same);
    }
  }

  private async tune(): Promise<void> {
    const memo = tuningMemo.get(this.device) ?? new Map<string, { tiling: Tiling; splitK: number }>();
    tuningMemo.set(this.device, memo);
    const toTime = this.trainPasses.flatMap((p) => (p.product && !this.tuned.has(shapeKey(p.product.shape)) && this.choices(p.product.shape).length > 1 ? [p.product] : []));
    if (toTime.length === 0) return; // every product recalled, or with a single candidate: the step as built
    await this.compile(toTime.flatMap((p) => this.choices(p.shape).map(matmulShader)));
    const rows = Uint32Array.from({ length: this.o.maxBatch }, (_, i) => i % this.train.count);
    this.setBatch(rows);
    for (const product of toTime) {
      let best: { spec: MatmulSpec | null; ms: number } = { spec: null, ms: Infinity };
      for (const spec of this.choices(product.shape)) {
        const ms = await this.timeProduct({ ...this.pass(matmulShader(spec), product.entries(spec)), spec }, rows.length);
        if (ms < best.ms || best.spec === null) best = { spec, ms };
      }
      const chosen = best.spec as MatmulSpec;
      this.tuned.set(shapeKey(product.shape), chosen);
      memo.set(this.memoKey(product.shape), { tiling: chosen.tiling, splitK: chosen.splitK ?? 1 });
    }
    this.trainPasses = this.trainingPasses();
    this.valPasses = this.forwardPasses(this.val, false);
    // The candidates wrote partial gradients into slices the chosen splits may not use: Adam must read zeros there.
    const encoder = this.device.createCommandEncoder();
    encoder.clearBuffer(this.grads);
    this.device.queue.submit([encoder.finish()]);
  }

  /** The quickest of TUNE_ROUNDS submits of TUNE_DISPATCHES dispatches of `pass`, after one that compiles and warms it, in ms. */
  private async timeProduct(pass: Pass, batch: number): Promise<number> {
    const run = async (dispatches: number) => {
      const t0 = performance.now();
      this.encode(Array.from({ length: dispatches }, () => pass), batch);
      await this.device.queue.onSubmittedWorkDone();
      return performance.now() - t0;
    };
    await run(1);
    let best = Infinity;
    for (let r = 0; r < TUNE_ROUNDS; r++) best = Math.min(best, await run(TUNE_DISPATCHES));
    return best;
  }

  private buffer(bytes: number, extra = 0, kind = STORAGE): GPUBuffer {
    const b = this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage: kind | extra });
    this.buffers.push(b);
    return b;
  }

  private upload(set: SampleSet): SetOnDevice {
    const x = this.buffer(set.x.length * 4, COPY_DST);
    const y = this.buffer(set.y.length * 4, COPY_DST);
    this.device.queue.writeBuffer(x, 0, Float32Array.from(set.x));
    this.device.queue.writeBuffer(y, 0, Float32Array.from(set.y));
    return { x, y, count: set.count };
  }

  /** A flat buffer from per-weight arrays (kernel, bias per layer) in the padded layout. */
  private writeFlat(target: GPUBuffer, values: ArrayLike<number>[]): void {
    const flat = new Float32Array(this.floats);
    this.layers.forEach((l, i) => {
      flat.set(values[2 * i], l.offset);
      flat.set(values[2 * i + 1], l.offset + l.inputs * l.units);
    });
    this.device.queue.writeBuffer(target, 0, flat);
  }

  /** A layer's slot in a flat buffer; with `slices`, the slot in each of that many partial copies, `floats` apart. */
  private layerRange(buffer: GPUBuffer, l: Layer, slices = 1): GPUBufferBinding {
    return { buffer, offset: l.offset * 4, size: ((slices - 1) * this.floats + l.inputs * l.units + l.units) * 4 };
  }

  private pipelineDescriptor(code: string): GPUComputePipelineDescriptor {
    return { layout: 'auto', compute: { module: this.device.createShaderModule({ code }), entryPoint: 'main' } };
  }

  /** Compiles the pipelines of `codes` not built yet, side by side (the driver may spread them over threads). */
  private async compile(codes: string[]): Promise<void> {
    const missing = [...new Set(codes)].filter((code) => !this.pipelines.has(code));
    const built = await Promise.all(missing.map((code) => this.device.createComputePipelineAsync(this.pipelineDescriptor(code))));
    missing.forEach((code, i) => this.pipelines.set(code, built[i]));
  }

  private pass(code: string, entries: (GPUBufferBinding | null)[]): Omit<Pass, 'spec'> {
    let pipeline = this.pipelines.get(code);
    if (!pipeline) {
      pipeline = this.device.createComputePipeline(this.pipelineDescriptor(code));
      this.pipelines.set(code, pipeline);
    }
    const bind = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: entries.flatMap((resource, binding) => (resource ? [{ binding, resource }] : [])),
    });
    return { pipeline, bind };
  }

  /**
   * The specs a product may be built with: the one asked for, or those worth timing ('tune': the
   * first is autoProduct's, used until tuning has chosen). Only the weight gradients (reductions
   * over the batch) are ever split.
   */
  private choices(shape: ProductShape): MatmulSpec[] {
    const t = this.o.tiling ?? 'tune';
    const fixed = t !== 'auto' && t !== 'tune';
    const options = fixed ? [{ tiling: t, splitK: shape.k === 'n' ? (this.o.splitK ?? 1) : 1 }] : t === 'auto' ? [autoProduct(shape, this.o.maxBatch)] : productCandidates(shape, this.o.maxBatch);
    return options.map((c) => (c.splitK > 1 ? { ...shape, ...c, splitStride: this.floats } : { ...shape, tiling: c.tiling }));
  }

  /** A product as the step runs it: tuning's choice once made, else the first of its choices. */
  private productPass(product: Product): Pass {
    const spec = this.tuned.get(shapeKey(product.shape)) ?? this.choices(product.shape)[0];
    return { ...this.pass(matmulShader(spec), product.entries(spec)), spec, product };
  }

  /** The forward products and the loss on `set` (its first layer gathering the batch's rows); with `gradient`, the loss writes dz too. */
  private forwardPasses(set: SetOnDevice, gradient: boolean) {
    const L = this.layers.length;
    const passes: Pass[] = this.layers.map((l, i) => {
      const a = i === 0 ? set.x : this.acts[i - 1];
      return this.productPass({
        shape: forwardShape(l, i, L),
        entries: () => [{ buffer: this.batchUniform }, { buffer: a }, this.layerRange(this.params, l), { buffer: this.acts[i] }, null, i === 0 ? { buffer: this.rows } : null],
      });
    });
    const top = this.layers[L - 1];
    const loss = this.pass(lossShader(top.units, gradient), [
      { buffer: this.batchUniform },
      { buffer: this.acts[L - 1] },
      { buffer: set.y },
      { buffer: gradient ? this.lossSum : this.valSum },
      gradient ? { buffer: this.dz[(L - 1) % 2] } : null,
      { buffer: this.rows },
    ]);
    passes.push({ ...loss, spec: 'loss' });
    return passes;
  }

  private trainingPasses() {
    const passes = this.forwardPasses(this.train, true);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i];
      const dz = this.dz[i % 2];
      const input = i === 0 ? this.train.x : this.acts[i - 1];
      // Kernel and bias gradient together: [inputᵀ; 1ᵀ] · dz, into the layer's slot (of each partial gradient, when split).
      passes.push(
        this.productPass({
          shape: gradientShape(l, i),
          entries: (spec) => [{ buffer: this.batchUniform }, { buffer: input }, { buffer: dz }, this.layerRange(this.grads, l, spec.splitK), null, i === 0 ? { buffer: this.rows } : null],
        }),
      );
      if (i === 0) continue;
      // The gradient at the layer's input, through the ReLU below: (dz · Wᵀ) ⊙ (input > 0).
      passes.push(
        this.productPass({
          shape: inputGradientShape(l),
          entries: () => [{ buffer: this.batchUniform }, { buffer: dz }, this.layerRange(this.params, l), { buffer: this.dz[(i - 1) % 2] }, { buffer: this.acts[i - 1] }, null],
        }),
      );
    }
    this.parts = Math.max(...passes.map((p) => (typeof p.spec === 'string' ? 1 : (p.spec.splitK ?? 1))));
    const adam = this.pass(adamShader(this.parts), [{ buffer: this.adamUniform }, { buffer: this.params }, { buffer: this.grads }, { buffer: this.m }, { buffer: this.v }]);
    passes.push({ ...adam, spec: 'adam' });
    return passes;
  }

  /**
   * The tiling (and split) of each product of a training step, for a bench to print beside its
   * rate: "forward 128, 128, 64 · weight gradients 64/8, 128/4, 64 · input gradients 128, 128",
   * each tile's side and, after a slash, the slices a split product's reduction is cut into.
   */
  describeProducts(): string {
    const specs = this.trainPasses.flatMap((p) => (typeof p.spec === 'string' ? [] : [p.spec]));
    const list = (keep: (s: MatmulSpec) => boolean) =>
      specs
        .filter(keep)
        .map((s) => `${s.tiling.bm}${(s.splitK ?? 1) > 1 ? `/${s.splitK}` : ''}`)
        .join(', ');
    return `forward ${list((s) => s.epilogue.startsWith('bias'))} · weight gradients ${list((s) => s.onesRow)} · input gradients ${list((s) => s.epilogue === 'relu-mask')}`;
  }

  private encode(passes: Pass[], batch: number): void {
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (const p of passes) {
      pass.setPipeline(p.pipeline);
      pass.setBindGroup(0, p.bind);
      if (p.spec === 'loss') pass.dispatchWorkgroups(1);
      else if (p.spec === 'adam') pass.dispatchWorkgroups(Math.min(ADAM_MAX_GROUPS, Math.ceil(this.floats / ADAM_THREADS)));
      else pass.dispatchWorkgroups(...matmulGrid(p.spec, batch));
    }
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  private setBatch(rows: Uint32Array | Int32Array): void {
    if (this.destroyed) throw new Error('The dense trainer was destroyed');
    if (rows.length < 1 || rows.length > this.o.maxBatch) throw new Error(`A batch takes 1 to ${this.o.maxBatch} rows; got ${rows.length}`);
    this.device.queue.writeBuffer(this.batchUniform, 0, new Uint32Array([rows.length, 0, 0, 0]));
    this.device.queue.writeBuffer(this.rows, 0, rows.buffer, rows.byteOffset, rows.byteLength);
  }

  /**
   * One Adam step on the training rows `rows` (indices into the training set). Nothing is read
   * back: the batch's squared error is added up on the device for `takeMeanLoss`.
   */
  step(rows: Uint32Array | Int32Array): void {
    this.setBatch(rows);
    this.steps++;
    const t = this.steps;
    const { learningRate, beta1, beta2, epsilon } = this.o.adam;
    const adam = new ArrayBuffer(32);
    new Float32Array(adam, 0, 5).set([learningRate / (1 - beta1 ** t), 1 / (1 - beta2 ** t), beta1, beta2, epsilon]);
    new Uint32Array(adam, 20, 1)[0] = this.floats;
    this.device.queue.writeBuffer(this.adamUniform, 0, adam);
    this.encode(this.trainPasses, rows.length);
    this.lossCount += rows.length * this.layers[this.layers.length - 1].units;
  }

  /** Copies `bytes` of `source` back to the host (one asynchronous read; the queue's work before it finishes first). */
  private async read(source: GPUBuffer, bytes: number): Promise<Float32Array> {
    const staging = this.device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
    try {
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(source, 0, staging, 0, bytes);
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(MAP_MODE_READ);
      return new Float32Array(staging.getMappedRange().slice(0));
    } finally {
      staging.destroy();
    }
  }

  /** Reads a one-float sum and zeroes it. */
  private async takeSum(sum: GPUBuffer): Promise<number> {
    const value = (await this.read(sum, 4))[0];
    this.device.queue.writeBuffer(sum, 0, new Float32Array([0]));
    return value;
  }

  /** The mean squared error over every step since the last call (NaN when none): one asynchronous read. */
  async takeMeanLoss(): Promise<number> {
    const count = this.lossCount;
    this.lossCount = 0;
    return (await this.takeSum(this.lossSum)) / count;
  }

  /** The mean squared error of the network on the validation set, in batches of at most maxBatch rows. */
  async validationLoss(): Promise<number> {
    for (let from = 0; from < this.val.count; from += this.o.maxBatch) {
      const to = Math.min(this.val.count, from + this.o.maxBatch);
      const rows = new Uint32Array(to - from);
      for (let i = 0; i < rows.length; i++) rows[i] = from + i;
      this.setBatch(rows);
      this.encode(this.valPasses, rows.length);
    }
    return (await this.takeSum(this.valSum)) / (this.val.count * this.layers[this.layers.length - 1].units);
  }

  /** A flat buffer split back into per-weight arrays (kernel, bias per layer). */
  private split(flat: Float32Array): Float32Array[] {
    return this.layers.flatMap((l) => {
      const kernelEnd = l.offset + l.inputs * l.units;
      return [flat.slice(l.offset, kernelEnd), flat.slice(kernelEnd, kernelEnd + l.units)];
    });
  }

  /** The current weights, kernel and bias per layer, flat (a device read). */
  async weights(): Promise<Float32Array[]> {
    return this.split(await this.read(this.params, this.floats * 4));
  }

  /** Adam's step count and moments per weight, in the weights' order (device reads: for checkpoints, not every step). */
  async adamState(): Promise<AdamState> {
    return { step: this.steps, m: this.split(await this.read(this.m, this.floats * 4)), v: this.split(await this.read(this.v, this.floats * 4)) };
  }

  /** Carries on from Adam's state (a resumed run's): the step count and moments per weight, in the weights' order. */
  setAdamState(s: AdamState): void {
    const sizes = this.layers.flatMap((l) => [l.inputs * l.units, l.units]);
    const fits = (list: ArrayLike<number>[]) => list.length === sizes.length && list.every((a, i) => a.length === sizes[i]);
    if (!Number.isInteger(s.step) || s.step < 0 || !fits(s.m) || !fits(s.v)) {
      throw new Error(`Adam's state does not fit this network (step ${s.step}, ${s.m.length} and ${s.v.length} moments for ${sizes.length} weights)`);
    }
    this.writeFlat(this.m, s.m);
    this.writeFlat(this.v, s.v);
    this.steps = s.step;
  }

  /** Frees every buffer on the device; the trainer cannot be used after. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.buffers.forEach((b) => b.destroy());
  }
}
