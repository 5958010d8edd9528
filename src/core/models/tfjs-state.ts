/**
 * The tfjs model and its Adam optimizer are the state of record for every network Trainyard trains
 * on its own kernels: a trainer starts from their weights and moments (seeded Glorot for a fresh
 * run, a checkpoint's for a resumed one) and writes its own back in the very layout tfjs keeps, so
 * checkpoints, saving and predict do not know which code trained.
 */
import * as tf from '@tensorflow/tfjs';

/** Adam's step count and both moments of every weight, in the model's weight order. */
export interface AdamState {
  step: number;
  m: ArrayLike<number>[];
  v: ArrayLike<number>[];
}

export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The learning rate, betas and epsilon the model was compiled with (its optimizer must be Adam). */
export function adamSettingsOf(model: tf.LayersModel): AdamSettings {
  const { learningRate, beta1, beta2, epsilon } = model.optimizer.getConfig() as unknown as AdamSettings;
  return { learningRate, beta1, beta2, epsilon };
}

/** The model's weights as flat arrays, in `getWeights()` order. */
export const readWeights = (model: tf.LayersModel): Float32Array[] => model.getWeights().map((w) => w.dataSync() as Float32Array);

/** Flat arrays (in `getWeights()` order) as fresh tensors shaped as the model's weights; the caller owns them. */
export function weightTensorsOf(model: tf.LayersModel, values: ArrayLike<number>[]): tf.Tensor[] {
  const shapes = model.getWeights().map((w) => w.shape);
  return values.map((v, i) => tf.tensor(Float32Array.from(v), shapes[i]));
}

/** Sets the model's weights from flat arrays in `getWeights()` order. */
export function writeWeights(model: tf.LayersModel, values: ArrayLike<number>[]): void {
  const tensors = weightTensorsOf(model, values);
  try {
    model.setWeights(tensors);
  } finally {
    tensors.forEach((t) => t.dispose());
  }
}

/**
 * Adam's state from the model's optimizer, or null before its first step (a fresh run): tfjs keeps
 * 'iter', then every weight's first moment, then every second moment. `weights` is how many
 * weights the network has; a different count of slots is an error, not something to guess past.
 */
export async function readAdamState(model: tf.LayersModel, weights: number): Promise<AdamState | null> {
  const slots = await model.optimizer.getWeights();
  const iterations = slots.find((s) => s.name === 'iter');
  const moments = slots.filter((s) => s.name !== 'iter');
  try {
    if (moments.length === 0) return null;
    if (moments.length !== 2 * weights) throw new Error(`the optimizer holds ${moments.length} moment tensors; this network needs ${2 * weights}`);
    // Asynchronous reads: a GPU backend in Node has no synchronous one (see train-loop.ts).
    const values = await Promise.all(moments.map(async (s) => (await s.tensor.data()) as Float32Array));
    return { step: iterations ? (await iterations.tensor.data())[0] : 0, m: values.slice(0, weights), v: values.slice(weights) };
  } finally {
    // 'iter' is a fresh scalar; the moments are the optimizer's live variables.
    iterations?.tensor.dispose();
  }
}

/** Writes Adam's state into the model's optimizer, in tfjs's names and order, as tfjs would have left it. */
export async function writeAdamState(model: tf.LayersModel, s: AdamState): Promise<void> {
  // tfjs names the moments after each weight's original (unscoped) name.
  const names = model.trainableWeights.map((w) => w.originalName);
  const shapes = model.getWeights().map((w) => w.shape);
  const replaced = await model.optimizer.getWeights();
  const given = [
    { name: 'iter', tensor: tf.scalar(s.step, 'int32') },
    ...s.m.map((a, i) => ({ name: `${names[i]}/m`, tensor: tf.tensor(Float32Array.from(a), shapes[i]) })),
    ...s.v.map((a, i) => ({ name: `${names[i]}/v`, tensor: tf.tensor(Float32Array.from(a), shapes[i]) })),
  ];
  try {
    // setWeights makes variables of the moments and sets beta1^t and beta2^t from the iterations;
    // it lets go of the moments it held without freeing them.
    await model.optimizer.setWeights(given);
  } finally {
    given.forEach((t) => t.tensor.dispose());
    replaced.forEach((t) => t.tensor.dispose());
  }
}
