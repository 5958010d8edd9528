/**
 * The training loop: seeded minibatch shuffling, early stopping on validation loss with the best
 * weights kept, a divergence check and cooperative cancel.
 *
 * Hand-written rather than `model.fit` because fit shuffles with Math.random (so the same seed
 * would not give the same model), and because the loop must hand the event loop a turn between
 * batches: tfjs on wasm/cpu resolves its promises as microtasks, so without an explicit yield a
 * worker would neither answer a cancel nor send its heartbeat until training ended.
 */
import * as tf from '@tensorflow/tfjs';
import { permutation, seededRandom } from './random';

export interface FitSet {
  /** Row-major `count` x `features`. */
  x: Float32Array;
  y: Float32Array;
  count: number;
  features: number;
}

export interface EpochEnd {
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number;
  /** True when this epoch's validation loss is the best so far. */
  improved: boolean;
}

export interface FitOptions {
  train: FitSet;
  val: FitSet;
  epochs: number;
  batchSize: number;
  /** Epochs without improvement before stopping; 0 never stops early. */
  patience: number;
  seed: number;
  /** Checked before every batch; true ends training with `stopped: 'cancelled'`. */
  shouldStop?: () => boolean;
  onEpoch?: (e: EpochEnd) => void;
  /** After each batch: `done` of `total` batches of the whole run (all epochs). */
  onBatch?: (done: number, total: number) => void;
}

export interface FitResult {
  stopped: 'completed' | 'early' | 'cancelled';
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  loss: number[];
  valLoss: number[];
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Diverged extends Error {
  constructor(epoch: number, what: string) {
    super(`diverged: the loss became ${what} at epoch ${epoch}; try a lower learningRate`);
    this.name = 'Diverged';
  }
}

function checkFinite(value: number, epoch: number): void {
  if (Number.isNaN(value)) throw new Diverged(epoch, 'NaN');
  if (!Number.isFinite(value)) throw new Diverged(epoch, 'infinite');
}

function toTensors(set: FitSet): [tf.Tensor2D, tf.Tensor2D] {
  return [tf.tensor2d(set.x, [set.count, set.features]), tf.tensor2d(set.y, [set.count, 1])];
}

function batchOf(set: FitSet, order: Int32Array, from: number, to: number): [tf.Tensor2D, tf.Tensor2D] {
  const n = to - from;
  const f = set.features;
  const x = new Float32Array(n * f);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row = order[from + i];
    x.set(set.x.subarray(row * f, row * f + f), i * f);
    y[i] = set.y[row];
  }
  return [tf.tensor2d(x, [n, f]), tf.tensor2d(y, [n, 1])];
}

function validationLoss(model: tf.LayersModel, x: tf.Tensor2D, y: tf.Tensor2D): number {
  return tf.tidy(() => tf.losses.meanSquaredError(y, model.predict(x) as tf.Tensor).dataSync()[0]);
}

export async function fitForecaster(model: tf.LayersModel, o: FitOptions): Promise<FitResult> {
  if (o.train.count < 1 || o.val.count < 1) throw new Error('fitForecaster needs training and validation windows');
  const rand = seededRandom(o.seed);
  const batches = Math.ceil(o.train.count / o.batchSize);
  const [valX, valY] = toTensors(o.val);
  let best: tf.Tensor[] | null = null;
  const result: FitResult = { stopped: 'completed', epochsRun: 0, bestEpoch: 0, bestValLoss: Infinity, loss: [], valLoss: [] };
  const keepBest = () => {
    best?.forEach((t) => t.dispose());
    best = model.getWeights().map((t) => t.clone());
  };
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const order = permutation(o.train.count, rand);
      let sum = 0;
      for (let b = 0; b < batches; b++) {
        await yieldToEventLoop();
        if (o.shouldStop?.()) {
          result.stopped = 'cancelled';
          return result;
        }
        const from = b * o.batchSize;
        const to = Math.min(from + o.batchSize, o.train.count);
        const [x, y] = batchOf(o.train, order, from, to);
        try {
          const loss = (await model.trainOnBatch(x, y)) as number;
          checkFinite(loss, epoch);
          sum += loss * (to - from);
        } finally {
          x.dispose();
          y.dispose();
        }
        o.onBatch?.((epoch - 1) * batches + b + 1, o.epochs * batches);
      }
      const loss = sum / o.train.count;
      const valLoss = validationLoss(model, valX, valY);
      checkFinite(valLoss, epoch);
      const improved = valLoss < result.bestValLoss;
      if (improved) {
        result.bestValLoss = valLoss;
        result.bestEpoch = epoch;
        keepBest();
      }
      result.epochsRun = epoch;
      result.loss.push(loss);
      result.valLoss.push(valLoss);
      o.onEpoch?.({ epoch, epochs: o.epochs, loss, valLoss, improved });
      if (o.patience > 0 && epoch - result.bestEpoch >= o.patience && epoch < o.epochs) {
        result.stopped = 'early';
        break;
      }
    }
    if (best) model.setWeights(best);
    return result;
  } finally {
    valX.dispose();
    valY.dispose();
    (best as tf.Tensor[] | null)?.forEach((t) => t.dispose());
  }
}
