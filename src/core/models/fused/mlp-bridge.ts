/**
 * Between a tfjs MLP (what Trainyard builds, saves, loads and predicts with) and the dense trainer
 * on Trainyard's kernels (what trains it on the CPU): which MLPs it can train, and the trainer over
 * the model's weights and Adam state, written back in tfjs's layout (see ../tfjs-state.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { createKernels } from '../../kernels';
import { DenseTrainer } from './dense-trainer';
import { CPU_BACKENDS, denseReluIneligibility, keepAsBest, type NetworkTraining, type SampleSet } from '../network-training';
import { adamSettingsOf, readAdamState, writeAdamState, writeWeights } from '../tfjs-state';

/** Why `model` cannot train on the kernels (null when it can): a dense ReLU network with Adam (see denseReluIneligibility) on a CPU backend. */
export function fusedIneligibility(model: tf.LayersModel): string | null {
  const backend = tf.getBackend();
  if (!CPU_BACKENDS.has(backend)) return `the ${backend} backend is not a CPU one`;
  return denseReluIneligibility(model);
}

const sizesOf = (model: tf.LayersModel): number[] => {
  const dense = model.layers as tf.layers.Layer[];
  const first = dense[0].batchInputShape ?? [];
  return [first[first.length - 1] as number, ...dense.map((l) => l.getConfig().units as number)];
};

/** A trainer for `model` (which must be eligible: see fusedIneligibility), holding its current weights and Adam state. */
export async function fusedTrainerFor(model: tf.LayersModel, batchSize: number, log?: (message: string) => void): Promise<DenseTrainer> {
  const trainer = new DenseTrainer((floats) => createKernels(floats, log), { sizes: sizesOf(model) }, adamSettingsOf(model), batchSize);
  const params = trainer.parameterViews();
  params.forEach((view, i) => view.set(model.getWeights()[i].dataSync() as Float32Array));
  const resumed = await readAdamState(model, params.length);
  if (resumed) {
    const { m, v } = trainer.momentViews();
    trainer.step = resumed.step;
    m.forEach((view, i) => view.set(resumed.m[i]));
    v.forEach((view, i) => view.set(resumed.v[i]));
  }
  return trainer;
}

/** The dense trainer over `model` as the fit loop drives it, on samples `train` and `val`. */
export async function mlpKernelsTraining(
  model: tf.LayersModel,
  batchSize: number,
  data: { train: SampleSet; val: SampleSet },
  log?: (message: string) => void,
): Promise<NetworkTraining> {
  const trainer = await fusedTrainerFor(model, batchSize, log);
  const { train, val } = data;
  return {
    name: `Trainyard's ${trainer.kernelsName} kernels`,
    trainee: {
      trainBatch: (order, from, to) => trainer.trainBatch(train, order, from, to),
      validationLoss: () => trainer.meanSquaredError(val),
      keepWeights: (best) => keepAsBest(model, best, trainer.parameterViews()),
    },
    async sync() {
      writeWeights(model, trainer.parameterViews());
      await writeAdamState(model, { step: trainer.step, ...trainer.momentViews() });
    },
  };
}
