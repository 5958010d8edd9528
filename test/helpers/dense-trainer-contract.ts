/**
 * What every Trainyard trainer of the dense MLP must do inside fitForecaster, whichever code runs
 * the steps (the CPU kernels, the lean step): resume exactly from its own checkpoint and hand one
 * to tfjs, stop at the next batch on cancel with nothing leaked, report divergence, and fall back
 * to tfjs, saying why, for a network it does not train.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import type { TrainerChoice } from '../../src/core/models/choose-trainer';
import { readCheckpoint, writeCheckpoint, type TrainingSnapshot } from '../../src/core/models/forecast/checkpoint';
import { fitForecaster, type FitOptions, type FitSet } from '../../src/core/models/forecast/fit';
import type { MlpParams } from '../../src/core/models/forecast/mlp';
import { buildMlp, disposeModel } from '../../src/core/models/forecast/mlp-network';
import { expectAllClose, fitMlp } from './fit-windows';

export interface ContractSetup {
  trainer: TrainerChoice;
  params: MlpParams;
  train: FitSet;
  val: FitSet;
  /** Where the resume test writes its checkpoint. */
  dir: () => string;
  /** What the fallback message says this trainer takes. */
  fallbackSays: RegExp;
}

export function denseTrainerContract(c: ContractSetup): void {
  const fit = (extra: Partial<FitOptions> = {}) => fitMlp(c.params, { train: c.train, val: c.val }, { trainer: c.trainer, ...extra });
  const features = c.train.features;

  it('resumes from its checkpoint to the same model as an uninterrupted run, and tfjs resumes from it too', async () => {
    const fingerprint = `contract-${c.trainer}`;
    const whole = await fit();
    let saved: string | null = null;
    await fit({
      checkpoint: {
        every: 2,
        save: async (s: TrainingSnapshot) => {
          if (s.epoch === 2) saved = await writeCheckpoint(c.dir(), fingerprint, s);
        },
      },
    });
    expect(saved).not.toBeNull();
    const read = await readCheckpoint(c.dir(), fingerprint);
    if (!read.found || !read.usable) throw new Error('checkpoint unreadable');
    // The checkpoint holds what tfjs's Adam would: the step count and both moments of every weight.
    const iter = read.snapshot.optimizer.find((s) => s.name === 'iter');
    expect(iter ? (await iter.tensor.data())[0] : null).toBe(2 * Math.ceil(c.train.count / c.params.batchSize));
    expect(read.snapshot.optimizer.length).toBe(1 + 2 * 2 * (c.params.layers + 1));
    const resumed = await fit({ resume: read.snapshot });
    expect(resumed.result.resumedFrom).toBe(2);
    expect(resumed.result.loss).toEqual(whole.result.loss);
    resumed.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(whole.weights[i])));
    const byTfjs = await fit({ resume: read.snapshot, trainer: 'tfjs' });
    expectAllClose(byTfjs.result.loss, whole.result.loss, 1e-4, 'loss resumed by tfjs');
    read.snapshot.weights.concat(read.snapshot.optimizer.map((s) => s.tensor), read.snapshot.best ?? []).forEach((t) => t.dispose());
  });

  it('stops at the next batch on cancel, leaving the weights it reached in the model, and frees every tensor it made', async () => {
    const before = tf.memory().numTensors;
    let batches = 0;
    const model = buildMlp(c.params, features);
    const start = Array.from(await model.getWeights()[0].data());
    const result = await fitForecaster(model, {
      ...c.params,
      train: c.train,
      val: c.val,
      patience: 0,
      trainer: c.trainer,
      onBatch: () => batches++,
      shouldStop: () => batches >= 3,
    });
    expect(result.stopped).toBe('cancelled');
    expect(batches).toBe(3);
    expect(Array.from(await model.getWeights()[0].data())).not.toEqual(start);
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports a diverging loss as Diverged', async () => {
    const huge = { ...c.train, y: c.train.y.map((v) => v * 1e30) };
    await expect(fit({ train: huge })).rejects.toThrow(/diverged: the loss became (NaN|infinite) at epoch 1/);
  });

  it('falls back to tfjs, saying why, for a network it does not train', async () => {
    const messages: string[] = [];
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [features], activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const result = await fitForecaster(model, { ...c.params, epochs: 1, train: c.train, val: c.val, patience: 0, trainer: c.trainer, log: (m) => messages.push(m) });
    expect(result.trainer).toBe(`TensorFlow.js (${tf.getBackend()} backend)`);
    expect(messages.join('\n')).toMatch(c.fallbackSays);
    disposeModel(model);
  });
}
