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

/**
 * Mean squared error of the model's predictions for `x` against `y`. Read asynchronously: tfjs's
 * webgpu backend can read synchronously only through an OffscreenCanvas, which Node does not have.
 */
async function validationLoss(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): Promise<number> {
  const mse = tf.tidy(() => tf.losses.meanSquaredError(y, model.predict(x) as tf.Tensor));
  try {
    return (await mse.data())[0];
  } finally {
    mse.dispose();
  }
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
 * epoch and keeps the trainee's weights in `best`. Returns whether it did.
 */
function recordEpoch(history: EpochHistory, e: { epoch: number; loss: number; valLoss: number }, trainee: Trainee, best: BestWeights): boolean {
  const improved = e.valLoss < history.bestValLoss;
  if (improved) {
    history.bestValLoss = e.valLoss;
    history.bestEpoch = e.epoch;
    trainee.keepWeights(best);
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

/** What the loop runs over, whichever code trains the network. */
export interface EpochRun {
  options: LoopOptions;
  /** Training samples; each epoch visits them in an order drawn from `rand`. */
  count: number;
  rand: SeededRandom;
  hint: DivergenceHint;
  history: EpochHistory;
  best: BestWeights;
}

/**
 * What an epoch trains: tfjs's own training step on a LayersModel, or a trainer on Trainyard's
 * kernels. The loop around it (order, yields, cancel, divergence, validation, best epoch) is the same.
 */
export interface Trainee {
  /**
   * Trains one step on samples order[from..to) and returns the mean loss over that batch and the
   * batches before it whose loss it left unread (null): a GPU trainer reads its losses back only now
   * and then, so the device need not wait for the host after every step.
   */
  trainBatch(order: Int32Array, from: number, to: number): Promise<number | null> | number | null;
  /** The mean loss over the batches whose loss trainBatch left unread; called at the end of an epoch that has some. */
  unreadLoss?(): Promise<number>;
  /** Mean squared error over the validation set. */
  validationLoss(): Promise<number> | number;
  /** Keeps copies of the current weights in `best`. */
  keepWeights(best: BestWeights): void;
}

export interface EpochLoop extends EpochRun {
  /** The samples order[from..to) as inputs and targets (the same tensor when a network learns its input). */
  batch(order: Int32Array, from: number, to: number): { x: tf.Tensor; y: tf.Tensor };
  /** The validation inputs and targets. */
  val: { x: tf.Tensor; y: tf.Tensor };
}

/** tfjs's trainOnBatch over the loop's batch tensors. */
export function tfjsTrainee(model: tf.LayersModel, loop: EpochLoop): Trainee {
  return {
    async trainBatch(order, from, to) {
      const { x, y } = loop.batch(order, from, to);
      try {
        return (await model.trainOnBatch(x, y)) as number;
      } finally {
        x.dispose();
        if (y !== x) y.dispose();
      }
    },
    validationLoss: () => validationLoss(model, loop.val.x, loop.val.y),
    keepWeights: (best) => best.keep(model.getWeights()),
  };
}

/**
 * Trains epoch `epoch` (1-based): a minibatch pass in a fresh seeded order, then the validation
 * loss, both checked for divergence, recorded in `history` and reported. Returns false when
 * `shouldStop` asked to stop before a batch; the epoch is then not recorded.
 */
export async function runTraineeEpoch(trainee: Trainee, epoch: number, loop: EpochRun): Promise<boolean> {
  const { options: o, count } = loop;
  const order = permutation(count, loop.rand);
  const batches = Math.ceil(count / o.batchSize);
  let sum = 0;
  // Samples trained since the last loss the trainee returned.
  let unread = 0;
  const add = (loss: number) => {
    checkFinite(loss, epoch, loop.hint);
    sum += loss * unread;
    unread = 0;
  };
  for (let b = 0; b < batches; b++) {
    await yieldToEventLoop();
    if (o.shouldStop?.()) return false;
    const from = b * o.batchSize;
    const to = Math.min(from + o.batchSize, count);
    unread += to - from;
    const loss = await trainee.trainBatch(order, from, to);
    if (loss !== null) add(loss);
    o.onBatch?.((epoch - 1) * batches + b + 1, o.epochs * batches);
  }
  if (unread > 0) {
    if (!trainee.unreadLoss) throw new Error('the trainee left batch losses unread and cannot read them');
    add(await trainee.unreadLoss());
  }
  const loss = sum / count;
  const valLoss = await trainee.validationLoss();
  checkFinite(valLoss, epoch, loop.hint);
  const improved = recordEpoch(loop.history, { epoch, loss, valLoss }, trainee, loop.best);
  o.onEpoch?.({ epoch, epochs: o.epochs, loss, valLoss, improved });
  return true;
}

/** runTraineeEpoch with tfjs training `model`. */
export const runEpoch = (model: tf.LayersModel, epoch: number, loop: EpochLoop): Promise<boolean> =>
  runTraineeEpoch(tfjsTrainee(model, loop), epoch, loop);
