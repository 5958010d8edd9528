/**
 * The pieces of a training loop every network family shares (the forecasters and the autoencoder):
 * one epoch of minibatches in a seeded order, with a turn for the event loop before each batch and
 * a cancel at the next batch; the divergence check; the validation loss; and the record of the best
 * epoch, whose weights are kept to be restored at the end.
 *
 * Hand-written rather than `model.fit` because fit shuffles with Math.random (so the same seed would
 * not give the same model), and because the loop must hand the event loop a turn between batches:
 * tfjs on wasm/cpu resolves its promises as microtasks, so without an explicit yield a worker would
 * neither answer a cancel nor send its heartbeat until training ended.
 */
import * as tf from '@tensorflow/tfjs';
import { permutation, type SeededRandom } from './random';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A loss that became NaN or infinite; a job ends `failed` with this message and its hint. */
export class Diverged extends Error {
  /** `advice` is added to the learning-rate hint ("or the robust scaler ..."). */
  constructor(epoch: number, what: string, learningRate?: number, advice?: string) {
    const lr = learningRate === undefined ? '' : ` (now ${learningRate})`;
    super(`diverged: the loss became ${what} at epoch ${epoch}; try a lower learningRate${lr}${advice ? `, ${advice}` : ''}`);
    this.name = 'Diverged';
  }
}

/** What the divergence message names: the learning rate in use, and any advice beside it. */
export interface DivergenceHint {
  learningRate?: number;
  advice?: string;
}

function checkFinite(value: number, epoch: number, hint: DivergenceHint): void {
  if (Number.isNaN(value)) throw new Diverged(epoch, 'NaN', hint.learningRate, hint.advice);
  if (!Number.isFinite(value)) throw new Diverged(epoch, 'infinite', hint.learningRate, hint.advice);
}

/** Mean squared error of the model's predictions for `x` against `y`. */
function validationLoss(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(() => tf.losses.meanSquaredError(y, model.predict(x) as tf.Tensor).dataSync()[0]);
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

/** What a loop records epoch by epoch. */
export interface EpochHistory {
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  loss: number[];
  valLoss: number[];
}

/** The weights of the best epoch so far, cloned so training can carry on. */
export class BestWeights {
  private tensors: tf.Tensor[] | null = null;

  get current(): tf.Tensor[] | null {
    return this.tensors;
  }

  /** Keeps copies of `weights` (a model's, or a checkpoint's best) in place of those kept before. */
  keep(weights: tf.Tensor[]): void {
    this.dispose();
    this.tensors = weights.map((t) => t.clone());
  }

  /** Puts the kept weights back into `model`; nothing when none were kept. */
  restoreInto(model: tf.LayersModel): void {
    if (this.tensors) model.setWeights(this.tensors);
  }

  dispose(): void {
    this.tensors?.forEach((t) => t.dispose());
    this.tensors = null;
  }
}

/**
 * Records an epoch's losses in `history`; a better validation loss than any before makes it the best
 * epoch and keeps the model's weights in `best`. Returns whether it did.
 */
function recordEpoch(
  history: EpochHistory,
  e: { epoch: number; loss: number; valLoss: number },
  model: tf.LayersModel,
  best: BestWeights,
): boolean {
  const improved = e.valLoss < history.bestValLoss;
  if (improved) {
    history.bestValLoss = e.valLoss;
    history.bestEpoch = e.epoch;
    best.keep(model.getWeights());
  }
  history.epochsRun = e.epoch;
  history.loss.push(e.loss);
  history.valLoss.push(e.valLoss);
  return improved;
}

/** True once `patience` epochs (0: never) have passed without a better validation loss. */
export const patienceRanOut = (history: EpochHistory, patience: number): boolean =>
  patience > 0 && history.epochsRun - history.bestEpoch >= patience;

/** What the loop takes as the caller's fit options give it. */
export interface LoopOptions {
  epochs: number;
  batchSize: number;
  /** Checked before every batch; true ends the epoch unrecorded. */
  shouldStop?: () => boolean;
  /** After each batch: `done` of `total` batches of the whole run (all epochs). */
  onBatch?: (done: number, total: number) => void;
  onEpoch?: (e: EpochEnd) => void;
}

export interface EpochLoop {
  options: LoopOptions;
  /** Training samples; each epoch visits them in an order drawn from `rand`. */
  count: number;
  rand: SeededRandom;
  /** The samples order[from..to) as inputs and targets (the same tensor when a network learns its input). */
  batch(order: Int32Array, from: number, to: number): { x: tf.Tensor; y: tf.Tensor };
  /** The validation inputs and targets. */
  val: { x: tf.Tensor; y: tf.Tensor };
  /**
   * Where the network trains outside tfjs (Trainyard's own CPU kernels): one batch's step, returning
   * its loss, and the validation loss, after which `model` must hold the trained weights. In place of
   * `batch`/`trainOnBatch` and `val`/`predict` when given.
   */
  fused?: { trainBatch(order: Int32Array, from: number, to: number): number; validationLoss(): number };
  hint: DivergenceHint;
  history: EpochHistory;
  best: BestWeights;
}

async function trainOnTfjsBatch(model: tf.LayersModel, loop: EpochLoop, order: Int32Array, from: number, to: number): Promise<number> {
  const { x, y } = loop.batch(order, from, to);
  try {
    return (await model.trainOnBatch(x, y)) as number;
  } finally {
    x.dispose();
    if (y !== x) y.dispose();
  }
}

/**
 * Trains epoch `epoch` (1-based): a minibatch pass in a fresh seeded order, then the validation
 * loss, both checked for divergence, recorded in `history` and reported. Returns false when
 * `shouldStop` asked to stop before a batch; the epoch is then not recorded.
 */
export async function runEpoch(model: tf.LayersModel, epoch: number, loop: EpochLoop): Promise<boolean> {
  const { options: o, count } = loop;
  const order = permutation(count, loop.rand);
  const batches = Math.ceil(count / o.batchSize);
  let sum = 0;
  for (let b = 0; b < batches; b++) {
    await yieldToEventLoop();
    if (o.shouldStop?.()) return false;
    const from = b * o.batchSize;
    const to = Math.min(from + o.batchSize, count);
    const loss = loop.fused ? loop.fused.trainBatch(order, from, to) : await trainOnTfjsBatch(model, loop, order, from, to);
    checkFinite(loss, epoch, loop.hint);
    sum += loss * (to - from);
    o.onBatch?.((epoch - 1) * batches + b + 1, o.epochs * batches);
  }
  const loss = sum / count;
  const valLoss = loop.fused ? loop.fused.validationLoss() : validationLoss(model, loop.val.x, loop.val.y);
  checkFinite(valLoss, epoch, loop.hint);
  const improved = recordEpoch(loop.history, { epoch, loss, valLoss }, model, loop.best);
  o.onEpoch?.({ epoch, epochs: o.epochs, loss, valLoss, improved });
  return true;
}
