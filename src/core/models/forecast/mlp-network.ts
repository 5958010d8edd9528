/**
 * The MLP forecaster's network: a few dense ReLU layers over the flattened input window.
 */
import * as tf from '@tensorflow/tfjs';
import type { MlpParams } from './mlp';

/** Glorot-uniform weights from a seed, so the same params give the same weights, and so the same model. */
export const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });

/**
 * The network, compiled. Every initialiser is seeded (each layer its own seed derived from
 * `seed`). `inputs` is the flat input length: window - 1 differences when there are no other channels.
 */
export function buildMlp(p: MlpParams, inputs: number = p.window - 1): tf.Sequential {
  const model = tf.sequential({ name: 'trainyard_mlp' });
  for (let i = 0; i < p.layers; i++) {
    model.add(
      tf.layers.dense({
        name: `hidden_${i + 1}`,
        units: p.hiddenUnits,
        activation: 'relu',
        inputShape: i === 0 ? [inputs] : undefined,
        kernelInitializer: seeded(p.seed + i),
        biasInitializer: 'zeros',
      }),
    );
  }
  model.add(tf.layers.dense({ name: 'output', units: 1, kernelInitializer: seeded(p.seed + p.layers), biasInitializer: 'zeros' }));
  model.compile({ optimizer: tf.train.adam(p.learningRate), loss: 'meanSquaredError' });
  return model;
}

/**
 * Frees the model and its optimizer state. A model compiled with an optimizer instance (needed to
 * set the learning rate) does not own it, so `model.dispose()` alone leaves Adam's moments behind.
 */
export function disposeModel(model: tf.LayersModel): void {
  const optimizer = model.optimizer;
  model.dispose();
  optimizer?.dispose();
}

/** "11 → 32 → 32 → 1 (1,473 weights)" for the log. */
export function describeMlp(model: tf.LayersModel, p: MlpParams, inputs: number = p.window - 1): string {
  const sizes = [inputs, ...Array.from({ length: p.layers }, () => p.hiddenUnits), 1];
  return `MLP ${sizes.join(' → ')} (${model.countParams().toLocaleString('en-US')} weights)`;
}
