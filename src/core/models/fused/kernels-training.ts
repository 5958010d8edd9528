/**
 * Which networks train on Trainyard's own CPU kernels instead of tfjs ops, and the one shape both
 * kernel trainers (the dense MLP's and the LSTM's) take for the fit loop.
 */
import * as tf from '@tensorflow/tfjs';
import type { BestWeights, Trainee } from '../train-loop';
import { fusedLstmShape, lstmKernelsTraining } from './lstm-model';
import { fusedIneligibility, mlpKernelsTraining } from './mlp-bridge';
import { weightTensorsOf } from './tfjs-state';

/** The backends whose tensors live in CPU memory: there the kernels beat tfjs's per-op dispatch. */
export const CPU_BACKENDS = new Set(['wasm', 'cpu']);

/** Samples as the forecasters' fit takes them: `count` row-major samples and their targets. */
export interface SampleSet {
  x: Float32Array;
  y: Float32Array;
  count: number;
}

/** A network training on the kernels, as the fit loop drives it. */
export interface KernelsTraining {
  /** 'wasm-simd', or 'js' where WebAssembly SIMD is missing. */
  kernelsName: string;
  trainee: Trainee;
  /** The trainer's weights and Adam state into the tfjs model: before a checkpoint, on cancel and at the end. */
  sync(): Promise<void>;
}

/** Keeps the trainer's weights (flat, in the model's order) as the best epoch's. */
export function keepAsBest(model: tf.LayersModel, best: BestWeights, values: ArrayLike<number>[]): void {
  const tensors = weightTensorsOf(model, values);
  best.keep(tensors);
  tensors.forEach((t) => t.dispose());
}

const WHAT_KERNELS_TRAIN =
  "Trainyard's kernels train, on a CPU backend with Adam on MSE, dense ReLU networks and the LSTM forecaster's network (tanh, hard sigmoid, no dropout)";

/**
 * The kernels' trainer for `model` when it can train on them here, else why not (a line for the
 * run's log). `flatInput` is false when the samples are sequences, which only the LSTM takes.
 */
export async function kernelsTrainingFor(
  model: tf.LayersModel,
  o: { batchSize: number; train: SampleSet; val: SampleSet; flatInput: boolean; log?: (message: string) => void },
): Promise<KernelsTraining | { why: string }> {
  const backend = tf.getBackend();
  if (!CPU_BACKENDS.has(backend)) return { why: `${WHAT_KERNELS_TRAIN}; the ${backend} backend is not a CPU one` };
  const data = { train: o.train, val: o.val };
  if (fusedLstmShape(model)) return lstmKernelsTraining(model, o.batchSize, data, o.log);
  if (!o.flatInput) {
    const layer = model.layers.find((l) => l.getClassName() !== 'InputLayer');
    return { why: `${WHAT_KERNELS_TRAIN}; its ${layer?.getClassName() ?? 'network'} over sequences is not one of those` };
  }
  const why = fusedIneligibility(model);
  if (why === null) return mlpKernelsTraining(model, o.batchSize, data, o.log);
  return { why: `${WHAT_KERNELS_TRAIN}; ${why}` };
}
