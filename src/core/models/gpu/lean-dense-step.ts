/**
 * One training step of a dense ReLU network (dense layers, each ReLU but the last) with Adam on a
 * mean squared error, written out in few TensorFlow.js ops for the GPU backends, where every op is
 * one GPU dispatch and the dispatches, not the arithmetic, set the pace of a small network.
 *
 * The layers API's `trainOnBatch` on such a network runs about 120 compute ops per step: autodiff
 * records a gradient op per forward op, and Adam updates every weight tensor on its own (about 13
 * ops each). Here the forward pass is one fused matmul + bias + ReLU per layer, the backward pass is
 * written by hand (two matmuls, a bias sum and the ReLU mask per layer), and all weights live in one
 * flat variable, so Adam is 13 ops for the whole network. The step count is `leanDispatches` and is
 * checked by a test; the math is the layers API's (same init, same Adam), checked against it.
 */
import * as tf from '@tensorflow/tfjs';
import type { AdamState } from '../tfjs-state';

export interface AdamSettings {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  /** tfjs's default (the backend's epsilon), which the layers API's Adam uses too. */
  epsilon?: number;
}

interface Slot {
  offset: number;
  size: number;
  shape: number[];
}

/** The compute ops of one lean step for `layers` dense layers: what a GPU backend dispatches. */
export function leanDispatches(layers: number): number {
  const slices = 2 * layers; // each weight read out of the flat variable
  const forward = layers; // fused matmul + bias + activation
  const loss = 4; // difference, square, sum, the loss gradient's scale
  const backward = 2 * layers + 3 * (layers - 1); // dW and db per layer; dA and the ReLU mask (step, multiply) below the top
  const flatten = 1; // the gradients as one vector
  const adam = 13;
  return slices + forward + loss + backward + flatten + adam;
}

/**
 * The ops a GPU backend dispatches for `step`, from tfjs's profile: all its kernels but the
 * shape-only ones (a view of the same buffer) and the wrappers of ops with their own gradient
 * ("fusedMatMul__op"), whose kernels are listed on their own.
 */
export async function dispatchesOf(step: () => unknown): Promise<number> {
  const p = await tf.profile(async () => {
    await step();
  });
  return p.kernels.filter((k) => k.name !== 'Reshape' && k.name !== 'Identity' && !k.name.endsWith('__op')).length;
}

export class LeanDenseStep {
  private readonly slots: Slot[];
  private readonly params: tf.Variable;
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private steps = 0;
  /** The sum of squared errors of the steps taken since `takeMeanLoss`, kept on the device. */
  private readonly lossSum: tf.Variable;
  private lossCount = 0;

  /**
   * Takes the network's current weights (kernel, bias per layer, in order: what a Sequential of
   * dense layers' getWeights returns) as the starting point; the caller keeps its tensors.
   */
  constructor(
    weights: tf.Tensor[],
    private readonly adam: AdamSettings,
  ) {
    if (weights.length === 0 || weights.length % 2 !== 0) throw new Error(`A dense network has a kernel and a bias per layer; got ${weights.length} tensors`);
    let offset = 0;
    this.slots = weights.map((w) => {
      const slot = { offset, size: w.size, shape: w.shape };
      offset += w.size;
      return slot;
    });
    // A variable keeps its own reference to the tensor it starts from: the starting tensors are freed here.
    const owned = (start: tf.Tensor, trainable: boolean) => {
      const variable = tf.variable(start, trainable);
      start.dispose();
      return variable;
    };
    this.params = owned(tf.tidy(() => tf.concat(weights.map((w) => w.reshape([-1])))), true);
    this.m = owned(tf.zeros([offset]), false);
    this.v = owned(tf.zeros([offset]), false);
    this.lossSum = owned(tf.scalar(0), false);
    this.beta1 = adam.beta1 ?? 0.9;
    this.beta2 = adam.beta2 ?? 0.999;
    this.epsilon = adam.epsilon ?? tf.backend().epsilon();
  }

  get layers(): number {
    return this.slots.length / 2;
  }

  /** One Adam step on the batch; returns the batch's mean squared error before the step (a device read: a sync). */
  trainOnBatch(x: tf.Tensor2D, y: tf.Tensor2D): number {
    const sumSquares = this.run(x, y);
    const total = sumSquares.dataSync()[0];
    sumSquares.dispose();
    return total / x.shape[0];
  }

  /**
   * One Adam step that reads nothing back: its loss is added up on the device (one more op), so a
   * GPU runs step after step without waiting for the host. `takeMeanLoss` reads the mean since.
   */
  step(x: tf.Tensor2D, y: tf.Tensor2D): void {
    const sumSquares = this.run(x, y);
    // Inside tidy: assign shares the sum's data but leaves the sum's own tensor to be freed.
    tf.tidy(() => this.lossSum.assign(tf.add(this.lossSum, sumSquares)));
    sumSquares.dispose();
    this.lossCount += x.shape[0];
  }

  /** The mean squared error over the samples of every `step` since the last call (NaN when none): one asynchronous device read. */
  async takeMeanLoss(): Promise<number> {
    const count = this.lossCount;
    const sum = this.lossSum.clone();
    const zero = tf.scalar(0);
    this.lossSum.assign(zero);
    zero.dispose();
    this.lossCount = 0;
    try {
      return (await sum.data())[0] / count;
    } finally {
      sum.dispose();
    }
  }

  private run(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
    this.steps++;
    const t = this.steps;
    return tf.tidy(() => {
      const w = this.slots.map((s) => this.params.slice(s.offset, s.size).reshape(s.shape) as tf.Tensor2D);
      const n = x.shape[0];
      // Forward: the activations each layer's backward pass needs.
      const acts: tf.Tensor2D[] = [x];
      for (let l = 0; l < this.layers; l++) {
        const top = l === this.layers - 1;
        acts.push(tf.fused.matMul({ a: acts[l], b: w[2 * l], bias: w[2 * l + 1], activation: top ? 'linear' : 'relu' }) as tf.Tensor2D);
      }
      const diff = tf.sub(acts[this.layers], y);
      const loss = tf.sum(tf.square(diff)) as tf.Scalar;
      // Backward: d(mean (out - y)^2)/d out = 2 (out - y) / n.
      let dz: tf.Tensor2D = tf.mul(diff, 2 / n);
      const grads: tf.Tensor[] = new Array(this.slots.length);
      for (let l = this.layers - 1; l >= 0; l--) {
        grads[2 * l] = tf.matMul(acts[l], dz, true, false);
        grads[2 * l + 1] = tf.sum(dz, 0);
        if (l > 0) dz = tf.mul(tf.matMul(dz, w[2 * l], false, true), tf.step(acts[l])) as tf.Tensor2D;
      }
      const g = tf.concat(grads.map((gr) => gr.reshape([-1])));
      // Adam, as tfjs and PyTorch compute it, over every weight at once.
      const m = tf.add(tf.mul(this.m, this.beta1), tf.mul(g, 1 - this.beta1));
      const v = tf.add(tf.mul(this.v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      const stepSize = this.adam.learningRate / (1 - this.beta1 ** t);
      const update = tf.div(tf.mul(m, stepSize), tf.add(tf.sqrt(tf.mul(v, 1 / (1 - this.beta2 ** t))), this.epsilon));
      this.params.assign(tf.sub(this.params, update));
      this.m.assign(m);
      this.v.assign(v);
      return loss;
    });
  }

  /** The mean squared error of the network on `x` against `y` (an asynchronous device read). */
  async meanSquaredError(x: tf.Tensor2D, y: tf.Tensor2D): Promise<number> {
    const mse = tf.tidy(() => {
      let a = x;
      for (let l = 0; l < this.layers; l++) {
        const kernel = this.params.slice(this.slots[2 * l].offset, this.slots[2 * l].size).reshape(this.slots[2 * l].shape) as tf.Tensor2D;
        const bias = this.params.slice(this.slots[2 * l + 1].offset, this.slots[2 * l + 1].size);
        a = tf.fused.matMul({ a, b: kernel, bias, activation: l === this.layers - 1 ? 'linear' : 'relu' }) as tf.Tensor2D;
      }
      return tf.mean(tf.square(tf.sub(a, y)));
    });
    try {
      return (await mse.data())[0];
    } finally {
      mse.dispose();
    }
  }

  /** Adam's step count and moments per weight, in the weights' order (device reads: for checkpoints, not every step). */
  async adamState(): Promise<AdamState> {
    const split = async (flat: tf.Variable) => {
      const values = (await flat.data()) as Float32Array;
      return this.slots.map((s) => values.slice(s.offset, s.offset + s.size));
    };
    return { step: this.steps, m: await split(this.m), v: await split(this.v) };
  }

  /** Carries on from Adam's state (a resumed run's): the step count and moments per weight, in the weights' order. */
  setAdamState(s: AdamState): void {
    const fits = (list: ArrayLike<number>[]) => list.length === this.slots.length && list.every((a, i) => a.length === this.slots[i].size);
    if (!Number.isInteger(s.step) || s.step < 0 || !fits(s.m) || !fits(s.v)) {
      throw new Error(`Adam's state does not fit this network (step ${s.step}, ${s.m.length} and ${s.v.length} moments for ${this.slots.length} weights)`);
    }
    const flat = (list: ArrayLike<number>[]) => {
      const out = new Float32Array(this.params.size);
      list.forEach((a, i) => out.set(a, this.slots[i].offset));
      return tf.tensor1d(out);
    };
    for (const [variable, list] of [[this.m, s.m], [this.v, s.v]] as const) {
      const t = flat(list);
      variable.assign(t);
      t.dispose();
    }
    this.steps = s.step;
  }

  /** The current weights in the order they were given (the caller disposes them). */
  weights(): tf.Tensor[] {
    return tf.tidy(() => this.slots.map((s) => this.params.slice(s.offset, s.size).reshape(s.shape)));
  }

  dispose(): void {
    this.params.dispose();
    this.m.dispose();
    this.v.dispose();
    this.lossSum.dispose();
  }
}
