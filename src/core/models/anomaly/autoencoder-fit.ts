/**
 * The autoencoder's training loop: seeded minibatch order, early stopping on validation loss with
 * the best weights kept, a divergence check and a cancel at the next batch, from the pieces every
 * network family shares (train-loop.ts). Unlike the forecasters it trains on inputs that are their
 * own targets, and keeps no checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../random';
import { BestWeights, patienceRanOut, runEpoch, type EpochEnd, type EpochHistory, type EpochLoop } from '../train-loop';

export interface AutoencoderFitOptions {
  /** Row-major `count` x `window` scaled windows. */
  train: Float64Array;
  val: Float64Array;
  window: number;
  epochs: number;
  batchSize: number;
  patience: number;
  seed: number;
  /** Only for the message when the loss diverges. */
  learningRate: number;
  shouldStop?: () => boolean;
  onEpoch?: (e: EpochEnd) => void;
  onBatch?: (done: number, total: number) => void;
}

export interface AutoencoderFitResult extends EpochHistory {
  stopped: 'completed' | 'early' | 'cancelled';
}

export async function fitAutoencoder(model: tf.LayersModel, o: AutoencoderFitOptions): Promise<AutoencoderFitResult> {
  const w = o.window;
  const trainCount = Math.floor(o.train.length / w);
  const valCount = Math.floor(o.val.length / w);
  if (trainCount < 1 || valCount < 1) throw new Error('fitAutoencoder needs training and validation windows');
  // The windows are their own targets: one tensor is both the input and the output of a batch.
  const batch = (order: Int32Array, from: number, to: number) => {
    const rows = new Float32Array((to - from) * w);
    for (let i = from; i < to; i++) rows.set(o.train.subarray(order[i] * w, order[i] * w + w), (i - from) * w);
    const x = tf.tensor2d(rows, [to - from, w]);
    return { x, y: x };
  };
  const valX = tf.tensor2d(Float32Array.from(o.val), [valCount, w]);
  const result: AutoencoderFitResult = { stopped: 'completed', epochsRun: 0, bestEpoch: 0, bestValLoss: Infinity, loss: [], valLoss: [] };
  const best = new BestWeights();
  const loop: EpochLoop = {
    options: o,
    count: trainCount,
    rand: seededRandom(o.seed),
    batch,
    val: { x: valX, y: valX },
    hint: { learningRate: o.learningRate },
    history: result,
    best,
  };
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      if (!(await runEpoch(model, epoch, loop))) {
        result.stopped = 'cancelled';
        return result;
      }
      if (patienceRanOut(result, o.patience) && epoch < o.epochs) {
        result.stopped = 'early';
        break;
      }
    }
    best.restoreInto(model);
    return result;
  } finally {
    valX.dispose();
    best.dispose();
  }
}
