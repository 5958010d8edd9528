/**
 * The forecasters' training loop: seeded minibatch shuffling, early stopping on validation loss with
 * the best weights kept, resumable checkpoints, a divergence check and cooperative cancel, from the
 * pieces every network family shares (train-loop.ts). Checkpoints are the forecasters' own: one
 * holds the shuffling state, so a resumed run goes on exactly as the first would have.
 */
import * as tf from '@tensorflow/tfjs';
import { BestWeights, patienceRanOut, runTraineeEpoch, tfjsTrainee, type EpochEnd, type EpochHistory, type Trainee } from '../train-loop';
import { disposeSnapshot, restoreInto, snapshotOf, type TrainingSnapshot } from './checkpoint';
import { networkTrainingFor, type TrainerChoice } from '../choose-trainer';
import { seededRandom } from '../random';

export { Diverged, type EpochEnd } from '../train-loop';

export interface FitSet {
  /** Row-major `count` x `features`. */
  x: Float32Array;
  y: Float32Array;
  count: number;
  features: number;
  /** The network's per-sample input shape (`[steps, channels]` for sequences); `[features]` when left out. */
  sampleShape?: number[];
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
  /**
   * 'auto' (the default) trains dense ReLU networks and the LSTM forecaster's network with Adam on
   * Trainyard's kernels when the backend is a CPU one, dense ReLU networks with its lean step on a
   * GPU backend, and anything else with tfjs; 'lean' forces the lean step; 'tfjs' always uses tfjs
   * (the yardstick of both). See choose-trainer.ts.
   */
  trainer?: TrainerChoice;
  /** Hears which trainer was chosen, and why tfjs when a network could not use Trainyard's own. */
  log?: (message: string) => void;
}

export interface FitResult extends EpochHistory {
  stopped: 'completed' | 'early' | 'cancelled';
  /** The epoch a resumed run started after; 0 for a fresh run. */
  resumedFrom: number;
  /** What trained it: "Trainyard's wasm-simd kernels", "Trainyard's lean dense step on TensorFlow.js (<backend> backend)", "TensorFlow.js (<backend> backend)"... */
  trainer: string;
}

/** Extreme values in the data blow up a standard-scaled loss; the robust scaler is the forecasters' remedy. */
const ADVICE = 'or the robust scaler if the data has extreme values';

const shapeOf = (set: FitSet, n: number) => [n, ...(set.sampleShape ?? [set.features])];

function toTensors(set: FitSet): [tf.Tensor, tf.Tensor2D] {
  return [tf.tensor(set.x, shapeOf(set, set.count)), tf.tensor2d(set.y, [set.count, 1])];
}

function batchOf(set: FitSet, order: Int32Array, from: number, to: number): { x: tf.Tensor; y: tf.Tensor2D } {
  const n = to - from;
  const f = set.features;
  const x = new Float32Array(n * f);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row = order[from + i];
    x.set(set.x.subarray(row * f, row * f + f), i * f);
    y[i] = set.y[row];
  }
  return { x: tf.tensor(x, shapeOf(set, n)), y: tf.tensor2d(y, [n, 1]) };
}

export async function fitForecaster(model: tf.LayersModel, o: FitOptions): Promise<FitResult> {
  if (o.train.count < 1 || o.val.count < 1) throw new Error('fitForecaster needs training and validation windows');
  const rand = seededRandom(o.seed);
  const result: FitResult = {
    stopped: 'completed',
    epochsRun: 0,
    bestEpoch: 0,
    bestValLoss: Infinity,
    loss: [],
    valLoss: [],
    resumedFrom: 0,
    trainer: `TensorFlow.js (${tf.getBackend()} backend)`,
  };
  const best = new BestWeights();
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
    if (r.best) best.keep(r.best);
  }
  const own = o.trainer === 'tfjs' ? null : await networkTrainingFor(model, { ...o, trainer: o.trainer, flatInput: !o.train.sampleShape || o.train.sampleShape.length === 1 });
  const tensors: tf.Tensor[] = [];
  let trainee: Trainee;
  const loop = {
    options: o,
    count: o.train.count,
    rand,
    hint: { learningRate: o.learningRate, advice: ADVICE },
    history: result,
    best,
  };
  if (own && 'trainee' in own) {
    trainee = own.trainee;
    result.trainer = own.name;
  } else {
    if (own) o.log?.(`Training with TensorFlow.js: ${own.why}`);
    const [valX, valY] = toTensors(o.val);
    tensors.push(valX, valY);
    trainee = tfjsTrainee(model, { ...loop, batch: (order, from, to) => batchOf(o.train, order, from, to), val: { x: valX, y: valY } });
  }
  o.log?.(`Training on ${result.trainer}`);
  // Trainyard's trainer's weights and Adam state go back into the tfjs model, which checkpoints, saves and predicts.
  const syncModel = async () => {
    if (own && 'sync' in own) await own.sync();
  };
  const finishedEarly = () => patienceRanOut(result, o.patience);
  try {
    // A run resumed from a checkpoint taken at its last epoch, or after early stopping, has nothing left to do.
    for (let epoch = result.epochsRun + 1; epoch <= o.epochs && !finishedEarly(); epoch++) {
      if (!(await runTraineeEpoch(trainee, epoch, loop))) {
        result.stopped = 'cancelled';
        await syncModel();
        return result;
      }
      if (o.checkpoint && o.checkpoint.every > 0 && epoch % o.checkpoint.every === 0 && epoch < o.epochs) {
        await syncModel();
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
          best.current,
        );
        try {
          await o.checkpoint.save(snap);
        } finally {
          disposeSnapshot(snap);
        }
      }
    }
    if (finishedEarly() && result.epochsRun < o.epochs) result.stopped = 'early';
    await syncModel();
    best.restoreInto(model);
    return result;
  } finally {
    tensors.forEach((t) => t.dispose());
    best.dispose();
    if (own && 'dispose' in own) own.dispose?.();
  }
}
