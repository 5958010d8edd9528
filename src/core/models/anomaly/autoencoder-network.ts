/**
 * The dense autoencoder: window → hidden (ReLU) → bottleneck → hidden (ReLU) → window. Trained to
 * reproduce normal windows through a narrow middle, it reproduces unusual ones badly, and the
 * squared error at each position is that row's anomaly evidence.
 */
import * as tf from '@tensorflow/tfjs';
import type { AutoencoderParams } from './params';

/** The network, compiled; every initialiser seeded from `seed` so the same params give the same model. */
export function buildAutoencoder(p: AutoencoderParams): tf.Sequential {
  const model = tf.sequential({ name: 'trainyard_autoencoder' });
  const sizes = [p.hiddenUnits, p.bottleneck, p.hiddenUnits];
  sizes.forEach((units, i) =>
    model.add(
      tf.layers.dense({
        name: i === 1 ? 'bottleneck' : `hidden_${i + 1}`,
        units,
        // A linear bottleneck keeps the code unconstrained; the outer layers bring the non-linearity.
        activation: i === 1 ? 'linear' : 'relu',
        inputShape: i === 0 ? [p.window] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: p.seed + i }),
        biasInitializer: 'zeros',
      }),
    ),
  );
  model.add(
    tf.layers.dense({
      name: 'reconstruction',
      units: p.window,
      kernelInitializer: tf.initializers.glorotUniform({ seed: p.seed + sizes.length }),
      biasInitializer: 'zeros',
    }),
  );
  model.compile({ optimizer: tf.train.adam(p.learningRate), loss: 'meanSquaredError' });
  return model;
}

/** "24 → 32 → 4 → 32 → 24 (2,012 weights)" for the log. */
export function describeAutoencoder(model: tf.LayersModel, p: AutoencoderParams): string {
  const sizes = [p.window, p.hiddenUnits, p.bottleneck, p.hiddenUnits, p.window];
  return `autoencoder ${sizes.join(' → ')} (${model.countParams().toLocaleString('en-US')} weights)`;
}

/** Squared reconstruction error per position, row-major `count` x `window`. */
export async function reconstructionErrors(model: tf.LayersModel, x: Float64Array, window: number): Promise<Float64Array> {
  const count = Math.floor(x.length / window);
  if (count === 0) return new Float64Array(0);
  const out = new Float64Array(count * window);
  // In slices, so a long series never asks the backend for one huge tensor.
  const SLICE = 4096;
  for (let from = 0; from < count; from += SLICE) {
    const n = Math.min(SLICE, count - from);
    const part = Float32Array.from(x.subarray(from * window, (from + n) * window));
    const err = tf.tidy(() => {
      const input = tf.tensor2d(part, [n, window]);
      return tf.squaredDifference(model.predict(input) as tf.Tensor, input);
    });
    try {
      // Asynchronous: tfjs's webgpu backend in Node has no synchronous read (it needs an OffscreenCanvas).
      out.set(await err.data(), from * window);
    } finally {
      err.dispose();
    }
  }
  return out;
}

/** Frees the model and its Adam state (a model compiled with an optimizer instance does not own it). */
export function disposeAutoencoder(model: tf.LayersModel): void {
  const optimizer = model.optimizer;
  model.dispose();
  optimizer?.dispose();
}
