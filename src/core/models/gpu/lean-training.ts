/**
 * The dense MLP trained by the lean step (lean-dense-step.ts) as the fit loop drives it: what
 * Trainyard uses on the GPU backends (WebGPU, WebGL, tfjs-node), where tfjs's per-op dispatches,
 * not the arithmetic, set the pace of a small network.
 *
 * The samples go to the device once; each batch is gathered there from its indices (the only
 * upload per step). The loss is read back every few batches (loss-reads.ts). Weights and Adam's state go back into the tfjs model in tfjs's
 * layout (../tfjs-state.ts), so checkpoints, saving and predict do not know which code trained.
 */
import * as tf from '@tensorflow/tfjs';
import type { NetworkTraining, SampleSet } from '../network-training';
import { adamSettingsOf, readAdamState, writeAdamState } from '../tfjs-state';
import { LeanDenseStep } from './lean-dense-step';
import { lossReadEvery } from './loss-reads';

/** The samples as device tensors: inputs `count x features` and targets `count x 1`. */
function onDevice(set: SampleSet): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const features = set.x.length / set.count;
  return { x: tf.tensor2d(set.x, [set.count, features]), y: tf.tensor2d(set.y, [set.count, 1]) };
}

/**
 * The lean step over `model`, a dense ReLU network with a linear output and Adam (see
 * denseReluIneligibility), starting from its weights and Adam state, on samples `train` and `val`.
 */
export async function leanTraining(model: tf.LayersModel, data: { train: SampleSet; val: SampleSet }): Promise<NetworkTraining> {
  const lean = new LeanDenseStep(model.getWeights(), adamSettingsOf(model));
  const resumed = await readAdamState(model, model.getWeights().length);
  if (resumed) lean.setAdamState(resumed);
  const train = onDevice(data.train);
  const val = onDevice(data.val);
  const dispose = () => {
    lean.dispose();
    tf.dispose([train.x, train.y, val.x, val.y]);
  };
  return {
    name: `Trainyard's lean dense step on TensorFlow.js (${tf.getBackend()} backend)`,
    trainee: {
      ...lossReadEvery(
        (order, from, to) => {
          const [x, y] = tf.tidy(() => {
            const rows = tf.tensor1d(order.subarray(from, to), 'int32');
            return [tf.gather(train.x, rows) as tf.Tensor2D, tf.gather(train.y, rows) as tf.Tensor2D];
          });
          try {
            lean.step(x, y);
          } finally {
            tf.dispose([x, y]);
          }
        },
        () => lean.takeMeanLoss(),
      ),
      validationLoss: () => lean.meanSquaredError(val.x, val.y),
      keepWeights(best) {
        const weights = lean.weights();
        best.keep(weights);
        tf.dispose(weights);
      },
    },
    async sync() {
      const weights = lean.weights();
      try {
        model.setWeights(weights);
      } finally {
        tf.dispose(weights);
      }
      await writeAdamState(model, await lean.adamState());
    },
    dispose,
  };
}
