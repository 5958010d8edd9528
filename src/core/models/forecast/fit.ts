/**
 * The training loop: seeded minibatch shuffling, early stopping on validation loss with the best
 * weights kept, resumable checkpoints, a divergence check and cooperative cancel.
 *
 * Hand-written rather than `model.fit` because fit shuffles with Math.random (so the same seed
 * would not give the same model), because a checkpoint must hold the shuffling state to resume
 * the same run, and because the loop must hand the event loop a turn between batches: tfjs on
 * wasm/cpu resolves its promises as microtasks, so without an explicit yield a worker would
 * neither answer a cancel nor send its heartbeat until training ended.
 */
import * as tf from '@tensorflow/tfjs';
import { disposeSnapshot, restoreInto, snapshotOf, type TrainingSnapshot } from './checkpoint';
import { permutation, seededRandom } from './random';

export interface FitSet {
  /** Row-major `count` x `features`. */
  x: Float32Array;
  y: Float32Array;
  count: number;
  features: number;
  /** The network's per-sample input shape (`[steps, channels]` for sequences); `[features]` when left out. */
  sampleShape?: number[];
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
  /** Named in the divergence hint. */
  learningRate?: number;
  /** Checked before every batch; true ends training with `stopped: 'cancelled'`. */
  shouldStop?: () => boolean;
  onEpoch?: (e: EpochEnd) => void;
  /** After each batch: `done` of `total` batches of the whole run (all epochs). */
  onBatch?: (done: number, total: number) => void;
  /** Every `every` epochs, hands a snapshot to `save` (which must not keep it: it is disposed after). */
  checkpoint?: { every: number; save: (s: TrainingSnapshot) => Promise<void> };
  /** Carry on from this state (the model must be freshly built with the same shape). */
  resume?: TrainingSnapshot;
}

export interface FitResult {
  stopped: 'completed' | 'early' | 'cancelled';
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  loss: number[];
  valLoss: number[];
  /** The epoch a resumed run started after; 0 for a fresh run. */
  resumedFrom: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Diverged extends Error {
  constructor(epoch: number, what: string, learningRate?: number) {
    const lr = learningRate === undefined ? '' : ` (now ${learningRate})`;
    super(
      `diverged: the loss became ${what} at epoch ${epoch}; try a lower learningRate${lr}, ` +
        `or the robust scaler if the data has extreme values`,
    );
    this.name = 'Diverged';
  }
}

function checkFinite(value: number, epoch: number, lr?: number): void {
  if (Number.isNaN(value)) throw new Diverged(epoch, 'NaN', lr);
  if (!Number.isFinite(value)) throw new Diverged(epoch, 'infinite', lr);
}

const shapeOf = (set: FitSet, n: number) => [n, ...(set.sampleShape ?? [set.features])];

function toTensors(set: FitSet): [tf.Tensor, tf.Tensor2D] {
  return [tf.tensor(set.x, shapeOf(set, set.count)), tf.tensor2d(set.y, [set.count, 1])];
}

function batchOf(set: FitSet, order: Int32Array, from: number, to: number): [tf.Tensor, tf.Tensor2D] {
  const n = to - from;
  const f = set.features;
  const x = new Float32Array(n * f);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row = order[from + i];
    x.set(set.x.subarray(row * f, row * f + f), i * f);
    y[i] = set.y[row];
  }
  return [tf.tensor(x, shapeOf(set, n)), tf.tensor2d(y, [n, 1])];
}

function validationLoss(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor2D): number {
  return tf.tidy(() => tf.losses.meanSquaredError(y, model.predict(x) as tf.Tensor).dataSync()[0]);
}

export async function fitForecaster(model: tf.LayersModel, o: FitOptions): Promise<FitResult> {
  if (o.train.count < 1 || o.val.count < 1) throw new Error('fitForecaster needs training and validation windows');
  const rand = seededRandom(o.seed);
  const batches = Math.ceil(o.train.count / o.batchSize);
  const result: FitResult = {
    stopped: 'completed',
    epochsRun: 0,
    bestEpoch: 0,
    bestValLoss: Infinity,
    loss: [],
    valLoss: [],
    resumedFrom: 0,
  };
  let best: tf.Tensor[] | null = null;
  if (o.resume) {
    const r = o.resume;
    await restoreInto(model, r);
    rand.state = r.rngState;
    Object.assign(result, {
      epochsRun: r.epoch,
      bestEpoch: r.bestEpoch,
      bestValLoss: r.bestValLoss,
      loss: [...r.loss],
      valLoss: [...r.valLoss],
      resumedFrom: r.epoch,
    });
    best = r.best ? r.best.map((t) => t.clone()) : null;
  }
  const [valX, valY] = toTensors(o.val);
  const keepBest = () => {
    best?.forEach((t) => t.dispose());
    best = model.getWeights().map((t) => t.clone());
  };
  const finishedEarly = () => o.patience > 0 && result.epochsRun - result.bestEpoch >= o.patience;
  try {
    // A run resumed from a checkpoint taken at its last epoch, or after early stopping, has nothing left to do.
    for (let epoch = result.epochsRun + 1; epoch <= o.epochs && !finishedEarly(); epoch++) {
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
          checkFinite(loss, epoch, o.learningRate);
          sum += loss * (to - from);
        } finally {
          x.dispose();
          y.dispose();
        }
        o.onBatch?.((epoch - 1) * batches + b + 1, o.epochs * batches);
      }
      const loss = sum / o.train.count;
      const valLoss = validationLoss(model, valX, valY);
      checkFinite(valLoss, epoch, o.learningRate);
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
      if (o.checkpoint && o.checkpoint.every > 0 && epoch % o.checkpoint.every === 0 && epoch < o.epochs) {
        const snap = await snapshotOf(
          model,
          {
            epoch,
            rngState: rand.state,
            bestEpoch: result.bestEpoch,
            bestValLoss: result.bestValLoss,
            loss: result.loss,
            valLoss: result.valLoss,
          },
          best,
        );
        try {
          await o.checkpoint.save(snap);
        } finally {
          disposeSnapshot(snap);
        }
      }
    }
    if (finishedEarly() && result.epochsRun < o.epochs) result.stopped = 'early';
    if (best) model.setWeights(best);
    return result;
  } finally {
    valX.dispose();
    valY.dispose();
    (best as tf.Tensor[] | null)?.forEach((t) => t.dispose());
  }
}
