/**
 * The autoencoder's training loop: seeded minibatch order, early stopping on validation loss with
 * the best weights kept, a divergence check, a turn for the event loop between batches (so a worker
 * still answers a cancel and sends heartbeats) and a cancel at the next batch. The forecast loop
 * has the same shape; this one trains on inputs that are their own targets.
 */
import * as tf from '@tensorflow/tfjs';
import { permutation, seededRandom } from '../forecast/random';

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
  onEpoch?: (e: { epoch: number; epochs: number; loss: number; valLoss: number; improved: boolean }) => void;
  onBatch?: (done: number, total: number) => void;
}

export interface AutoencoderFitResult {
  stopped: 'completed' | 'early' | 'cancelled';
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  loss: number[];
  valLoss: number[];
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The same "diverged: ..." failure the forecast loop raises, so a job ends `failed` with the same hint. */
function diverged(epoch: number, what: string, learningRate: number): Error {
  const err = new Error(`diverged: the loss became ${what} at epoch ${epoch}; try a lower learningRate (now ${learningRate})`);
  err.name = 'Diverged';
  return err;
}

function checkFinite(value: number, epoch: number, learningRate: number): void {
  if (Number.isNaN(value)) throw diverged(epoch, 'NaN', learningRate);
  if (!Number.isFinite(value)) throw diverged(epoch, 'infinite', learningRate);
}

export async function fitAutoencoder(model: tf.LayersModel, o: AutoencoderFitOptions): Promise<AutoencoderFitResult> {
  const w = o.window;
  const trainCount = Math.floor(o.train.length / w);
  const valCount = Math.floor(o.val.length / w);
  if (trainCount < 1 || valCount < 1) throw new Error('fitAutoencoder needs training and validation windows');
  const rand = seededRandom(o.seed);
  const batches = Math.ceil(trainCount / o.batchSize);
  const valX = tf.tensor2d(Float32Array.from(o.val), [valCount, w]);
  const result: AutoencoderFitResult = { stopped: 'completed', epochsRun: 0, bestEpoch: 0, bestValLoss: Infinity, loss: [], valLoss: [] };
  let best: tf.Tensor[] | null = null;
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const order = permutation(trainCount, rand);
      let sum = 0;
      for (let b = 0; b < batches; b++) {
        await yieldToEventLoop();
        if (o.shouldStop?.()) {
          result.stopped = 'cancelled';
          return result;
        }
        const from = b * o.batchSize;
        const to = Math.min(from + o.batchSize, trainCount);
        const batch = new Float32Array((to - from) * w);
        for (let i = from; i < to; i++) batch.set(o.train.subarray(order[i] * w, order[i] * w + w), (i - from) * w);
        const x = tf.tensor2d(batch, [to - from, w]);
        try {
          const loss = (await model.trainOnBatch(x, x)) as number;
          checkFinite(loss, epoch, o.learningRate);
          sum += loss * (to - from);
        } finally {
          x.dispose();
        }
        o.onBatch?.((epoch - 1) * batches + b + 1, o.epochs * batches);
      }
      const loss = sum / trainCount;
      const valLoss = tf.tidy(() => tf.losses.meanSquaredError(valX, model.predict(valX) as tf.Tensor).dataSync()[0]);
      checkFinite(valLoss, epoch, o.learningRate);
      const improved = valLoss < result.bestValLoss;
      if (improved) {
        result.bestValLoss = valLoss;
        result.bestEpoch = epoch;
        best?.forEach((t) => t.dispose());
        best = model.getWeights().map((t) => t.clone());
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
    (best as tf.Tensor[] | null)?.forEach((t) => t.dispose());
  }
}
