/**
 * What the fit loop drives when Trainyard's own code, not tfjs's trainOnBatch, trains a network:
 * its CPU kernels (fused/) or its lean dense step on a GPU backend (gpu/). Both start from the tfjs
 * model's weights and Adam state and write theirs back (tfjs-state.ts), so the model stays the
 * state of record for checkpoints, saving and predict.
 */
import * as tf from '@tensorflow/tfjs';
import type { BestWeights, Trainee } from './train-loop';
import { weightTensorsOf } from './tfjs-state';

/** The backends whose tensors live in CPU memory: there the kernels beat tfjs's per-op dispatch. */
export const CPU_BACKENDS = new Set(['wasm', 'cpu']);

/** Samples as the forecasters' fit takes them: `count` row-major samples and their targets. */
export interface SampleSet {
  x: Float32Array;
  y: Float32Array;
  count: number;
}

/** A network training on Trainyard's own code, as the fit loop drives it. */
export interface NetworkTraining {
  /** What trains it, for the run's log and result: "Trainyard's wasm-simd kernels", "Trainyard's lean dense step on TensorFlow.js (webgpu backend)". */
  name: string;
  trainee: Trainee;
  /** The trainer's weights and Adam state into the tfjs model: before a checkpoint, on cancel and at the end. */
  sync(): Promise<void>;
  /** Frees what the trainer holds outside the model (device tensors); absent when garbage collection does it. */
  dispose?(): void;
}

/** Keeps the trainer's weights (flat, in the model's order) as the best epoch's. */
export function keepAsBest(model: tf.LayersModel, best: BestWeights, values: ArrayLike<number>[]): void {
  const tensors = weightTensorsOf(model, values);
  best.keep(tensors);
  tensors.forEach((t) => t.dispose());
}

/**
 * Why `model` is not a dense ReLU network trained with Adam (null when it is): dense layers with
 * biases, ReLU but the last, which is linear. Both of Trainyard's dense trainers take just that.
 */
export function denseReluIneligibility(model: tf.LayersModel): string | null {
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
