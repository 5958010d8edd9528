/// <reference types="@webgpu/types" />
/**
 * The dense MLP trained by Trainyard's WGSL trainer (wgsl/dense-step.ts) as the fit loop drives it:
 * what Trainyard uses when TensorFlow.js runs on its webgpu backend, on the very GPU device tfjs
 * holds (so the model's tensors and the trainer's buffers share one device and one queue).
 *
 * Both sample sets go to the device once; a step uploads only its batch's row indices. The loss is
 * read back every few batches, as the lean step does (loss-reads.ts). Each epoch's validation also reads the
 * weights back: the loop keeps the best epoch's weights synchronously right after validating, and a
 * weight that went NaN or infinite is reported as divergence even if a ReLU hid it from the loss.
 */
import * as tf from '@tensorflow/tfjs';
import { keepAsBest, type NetworkTraining, type SampleSet } from '../network-training';
import { adamSettingsOf, readAdamState, writeAdamState, writeWeights } from '../tfjs-state';
import { lossReadEvery } from './loss-reads';
import { WgslDenseStep } from './wgsl/dense-step';

/** The GPU device of tfjs's active webgpu backend, or null on any other backend. */
export function tfjsWebgpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GPUDevice }).device ?? null;
}

/**
 * The WGSL trainer over `model`, a dense ReLU network with a linear output and Adam (see
 * denseReluIneligibility), starting from its weights and Adam state. Rejects, saying why, when the
 * device refuses it (a set over its largest binding, a shader it cannot compile).
 */
export async function wgslTraining(model: tf.LayersModel, device: GPUDevice, batchSize: number, data: { train: SampleSet; val: SampleSet }): Promise<NetworkTraining> {
  const start = await Promise.all(model.getWeights().map(async (w) => ({ values: (await w.data()) as Float32Array, shape: w.shape })));
  // No batch is bigger than the training set: sizing (and tuning) for more rows would only waste device memory and time.
  const trainer = new WgslDenseStep(device, start, { adam: adamSettingsOf(model), maxBatch: Math.min(batchSize, data.train.count), train: data.train, val: data.val });
  await trainer.ready();
  try {
    const resumed = await readAdamState(model, start.length);
    if (resumed) trainer.setAdamState(resumed);
  } catch (err) {
    trainer.destroy(); // its buffers are on the device, which outlives this trainer
    throw err;
  }
  let validated: Float32Array[] | null = null;
  return {
    name: "Trainyard's WGSL dense trainer on WebGPU",
    trainee: {
      ...lossReadEvery(
        (order, from, to) => trainer.step(order.subarray(from, to)),
        () => trainer.takeMeanLoss(),
      ),
      async validationLoss() {
        const loss = await trainer.validationLoss();
        validated = await trainer.weights();
        return validated.every((w) => w.every(Number.isFinite)) ? loss : NaN;
      },
      keepWeights(best) {
        if (!validated) throw new Error('the WGSL trainer keeps the weights it read when validating, and has not validated yet');
        keepAsBest(model, best, validated);
      },
    },
    async sync() {
      writeWeights(model, await trainer.weights());
      await writeAdamState(model, await trainer.adamState());
    },
    dispose: () => trainer.destroy(),
  };
}
