/**
 * Between a tfjs MLP (what Trainyard builds, saves, loads and predicts with) and the dense trainer
 * on Trainyard's kernels (what trains it on the CPU). The tfjs model and its Adam optimizer stay the
 * state of record: the trainer starts from their weights and moments (seeded Glorot for a fresh run,
 * a checkpoint's for a resumed one) and writes its own back before a checkpoint and at the end, in
 * the very layout tfjs keeps, so checkpoints, saving and predict do not know which one trained.
 */
import * as tf from '@tensorflow/tfjs';
import { createKernels } from '../../kernels';
import { DenseTrainer } from './dense-trainer';

/** Backends whose tensors live in CPU memory: there the kernels beat tfjs's per-op dispatch. */
const CPU_BACKENDS = new Set(['wasm', 'cpu']);

/** Why `model` cannot train on the kernels (null when it can): it must be dense + ReLU layers, a linear dense output and Adam, on a CPU backend. */
export function fusedIneligibility(model: tf.LayersModel): string | null {
  const backend = tf.getBackend();
  if (!CPU_BACKENDS.has(backend)) return `the ${backend} backend is not a CPU one`;
  const layers = model.layers;
  for (const [i, layer] of layers.entries()) {
    if (layer.getClassName() !== 'Dense') return `layer ${layer.name} is ${layer.getClassName()}, not Dense`;
    const config = layer.getConfig();
    const want = i === layers.length - 1 ? 'linear' : 'relu';
    if (config.activation !== want) return `layer ${layer.name} has activation ${String(config.activation)}, not ${want}`;
    if (config.useBias !== true) return `layer ${layer.name} has no bias`;
  }
  if (!(model.optimizer instanceof tf.AdamOptimizer)) return 'its optimizer is not Adam';
  return null;
}

const sizesOf = (model: tf.LayersModel): number[] => {
  const dense = model.layers as tf.layers.Layer[];
  const first = dense[0].batchInputShape ?? [];
  return [first[first.length - 1] as number, ...dense.map((l) => l.getConfig().units as number)];
};

/** A trainer for `model` (which must be eligible: see fusedIneligibility), holding its current weights and Adam state. */
export async function fusedTrainerFor(model: tf.LayersModel, batchSize: number, log?: (message: string) => void): Promise<DenseTrainer> {
  const optimizer = model.optimizer as tf.AdamOptimizer;
  const c = optimizer.getConfig() as { learningRate: number; beta1: number; beta2: number; epsilon: number };
  const trainer = new DenseTrainer((floats) => createKernels(floats, log), { sizes: sizesOf(model) }, { ...c }, batchSize);
  trainer.parameterViews().forEach((view, i) => view.set(model.getWeights()[i].dataSync() as Float32Array));
  // Adam's slots exist once tfjs has taken a step (or a checkpoint restored them): iterations, then every m, then every v.
  const slots = await optimizer.getWeights();
  const iterations = slots.find((s) => s.name === 'iter');
  const moments = slots.filter((s) => s.name !== 'iter');
  trainer.step = iterations ? (iterations.tensor.dataSync()[0] as number) : 0;
  iterations?.tensor.dispose(); // a fresh scalar; the moments are the optimizer's live variables
  const { m, v } = trainer.momentViews();
  if (moments.length === m.length + v.length) {
    [...m, ...v].forEach((view, i) => view.set(moments[i].tensor.dataSync() as Float32Array));
  } else if (moments.length > 0) {
    throw new Error(`the optimizer holds ${moments.length} moment tensors; this network needs ${m.length + v.length}`);
  }
  return trainer;
}

/** The trainer's current weights as fresh tensors, shaped as the model's (the caller owns them). */
export function weightTensors(trainer: DenseTrainer, model: tf.LayersModel): tf.Tensor[] {
  const shapes = model.getWeights().map((w) => w.shape);
  return trainer.parameterViews().map((view, i) => tf.tensor(view.slice(), shapes[i]));
}

/** Writes the trainer's weights and Adam state into the model and its optimizer, as tfjs would have left them. */
export async function syncIntoModel(trainer: DenseTrainer, model: tf.LayersModel): Promise<void> {
  const weights = weightTensors(trainer, model);
  model.setWeights(weights);
  weights.forEach((t) => t.dispose());
  const names = model.trainableWeights.map((w) => w.name);
  const shapes = model.getWeights().map((w) => w.shape);
  const { m, v } = trainer.momentViews();
  const optimizer = model.optimizer as tf.AdamOptimizer;
  const replaced = await optimizer.getWeights();
  const given = [
    { name: 'iter', tensor: tf.scalar(trainer.step, 'int32') },
    ...m.map((view, i) => ({ name: `${names[i]}/m`, tensor: tf.tensor(view.slice(), shapes[i]) })),
    ...v.map((view, i) => ({ name: `${names[i]}/v`, tensor: tf.tensor(view.slice(), shapes[i]) })),
  ];
  // setWeights makes variables of the moments (sharing the tensors' data) and sets beta1^t and
  // beta2^t from the iterations; it lets go of the moments it held without freeing them.
  await optimizer.setWeights(given);
  given.forEach((s) => s.tensor.dispose());
  replaced.forEach((s) => s.tensor.dispose());
}
