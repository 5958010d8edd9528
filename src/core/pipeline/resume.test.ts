/**
 * Checkpoints: a run interrupted after some epochs and started again resumes from its checkpoint
 * and ends exactly where an uninterrupted run with the same seed ends.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../../test/helpers/tmp';
import type { ModelFamily, ParamValue } from '../../shared/contract';
import { CANCELLED_MESSAGE } from '../workers';
import { runTrainTask } from './index';
import { collect, sampleTask } from './testing';

const tmp = tempDirPerTest();

const CHECKPOINT = 'checkpoint.bin';

async function interruptedThenResumed(model: ModelFamily, params: Record<string, ParamValue>, stopAfterEpoch: number) {
  const dir = tmp();
  const plain = await runTrainTask(
    sampleTask(dir, 'us-employment.csv', 'nonfarm', params, { jobId: 'plain', runId: 'plain' }, { model }),
    { emit: () => {} },
  );

  const task = sampleTask(dir, 'us-employment.csv', 'nonfarm', params, { jobId: 'resumed', runId: 'resumed' }, { model });
  const first = collect();
  let stop = false;
  const run = runTrainTask(task, {
    emit: (e) => {
      first.emit(e);
      if (e.type === 'metric' && e.key === 'loss' && e.step === stopAfterEpoch) stop = true;
    },
    shouldStop: () => stop,
  });
  await expect(run).rejects.toThrow(CANCELLED_MESSAGE);
  expect(first.metrics('loss').map((m) => m.step).at(-1)).toBe(stopAfterEpoch);
  expect(existsSync(join(task.checkpointDir, CHECKPOINT))).toBe(true);
  expect(existsSync(task.modelDir)).toBe(false);

  const second = collect();
  const resumed = await runTrainTask(task, { emit: second.emit });
  return { plain, resumed, second, task, dir };
}

describe('checkpoints', () => {
  it('an MLP interrupted in epoch 8 resumes from its epoch-6 checkpoint and ends with the uninterrupted run’s metrics', async () => {
    const params = { epochs: 12, checkpointEvery: 3, patience: 0, seed: 11 };
    const { plain, resumed, second, task, dir } = await interruptedThenResumed('mlp', params, 7);
    expect(second.logs().some((l) => /^Resuming from the checkpoint at epoch 6 \(saved /.test(l))).toBe(true);
    // Only epochs 7 to 12 ran the second time.
    expect(second.metrics('loss').map((m) => m.step)).toEqual([7, 8, 9, 10, 11, 12]);
    for (const [key, value] of Object.entries(plain.metrics)) expect(resumed.metrics[key], key).toBeCloseTo(value, 9);
    const card = JSON.parse(readFileSync(join(task.modelDir, 'card.json'), 'utf8'));
    expect(card.training.resumedFromEpoch).toBe(6);
    expect(card.training.loss).toHaveLength(12);
    const plainCard = JSON.parse(readFileSync(join(dir, 'models', 'plain', 'card.json'), 'utf8'));
    card.training.loss.forEach((l: number, i: number) => expect(l).toBeCloseTo(plainCard.training.loss[i], 9));
    // A registered model leaves no checkpoint behind: a later start has nothing to resume.
    expect(existsSync(join(task.checkpointDir, CHECKPOINT))).toBe(false);
  });

  it('an LSTM with early stopping resumes with its optimizer state and best weights', async () => {
    const params = { epochs: 9, checkpointEvery: 2, patience: 4, seed: 5, units: 8 };
    const { plain, resumed, second } = await interruptedThenResumed('lstm', params, 5);
    expect(second.logs().some((l) => l.startsWith('Resuming from the checkpoint at epoch 4'))).toBe(true);
    for (const [key, value] of Object.entries(plain.metrics)) expect(resumed.metrics[key], key).toBeCloseTo(value, 9);
  });

  it('ignores a checkpoint saved for other params, and a damaged one, saying why', async () => {
    const dir = tmp();
    const task = sampleTask(dir, 'us-employment.csv', 'nonfarm', { epochs: 4, checkpointEvery: 2, patience: 0 });
    let stop = false;
    await expect(
      runTrainTask(task, {
        emit: (e) => {
          if (e.type === 'metric' && e.key === 'loss' && e.step === 3) stop = true;
        },
        shouldStop: () => stop,
      }),
    ).rejects.toThrow(CANCELLED_MESSAGE);
    const other = { ...task, spec: { ...task.spec, params: { epochs: 4, checkpointEvery: 2, patience: 0, learningRate: 0.01 } } };
    const c = collect();
    await runTrainTask(other, { emit: c.emit });
    expect(c.logs()).toContain(
      `Ignoring the checkpoint in ${task.checkpointDir}: it was saved for other params, data or network; training from the start`,
    );
    expect(c.metrics('loss').map((m) => m.step)).toEqual([1, 2, 3, 4]);

    writeFileSync(join(task.checkpointDir, CHECKPOINT), 'not a checkpoint');
    const d = collect();
    await runTrainTask(task, { emit: d.emit });
    expect(d.logs().some((l) => /^Ignoring the checkpoint in .*: (not a Trainyard checkpoint|damaged)/.test(l))).toBe(true);
    expect(d.metrics('loss')).toHaveLength(4);
  });
});
