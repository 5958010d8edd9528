import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/tmp';
import { selectBackend } from '../../compute';
import { CHECKPOINT_FILE, disposeSnapshot, readCheckpoint, restoreInto, snapshotOf, writeCheckpoint } from './checkpoint';
import { resolveMlpParams } from './mlp';
import { buildMlp, disposeModel } from './mlp-network';

beforeAll(async () => {
  await selectBackend('wasm');
});
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A model with some Adam steps behind it, so its optimizer has moments to save. */
async function trainedModel(seed: number): Promise<tf.LayersModel> {
  const model = buildMlp(resolveMlpParams({ window: 5, hiddenUnits: 4, layers: 1, seed }));
  const x = tf.tensor2d(Array.from({ length: 32 }, (_, i) => Math.sin(i)), [8, 4]);
  const y = tf.tensor2d(Array.from({ length: 8 }, (_, i) => Math.cos(i)), [8, 1]);
  for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
  x.dispose();
  y.dispose();
  return model;
}

describe('training checkpoints', () => {
  it('round-trip weights, optimizer slots, RNG state and history through one file, written atomically', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const model = await trainedModel(3);
    const loop = { epoch: 4, rngState: 123456789, bestEpoch: 3, bestValLoss: 0.25, loss: [1, 0.5, 0.4, 0.3], valLoss: [1, 0.6, 0.25, 0.3] };
    const snap = await snapshotOf(model, loop, model.getWeights());
    await writeCheckpoint(join(dir, 'ck'), 'fp-1', snap);
    // Only the final file is left: the temporary one was renamed over it.
    expect(readdirSync(join(dir, 'ck'))).toEqual([CHECKPOINT_FILE]);

    // A write that died half-way leaves only its temporary file, which is never read.
    writeFileSync(join(dir, 'ck', `.${CHECKPOINT_FILE}.999.tmp`), 'half a checkpoint');
    const read = await readCheckpoint(join(dir, 'ck'), 'fp-1');
    if (!read.found || !read.usable) throw new Error('expected a usable checkpoint');
    expect(read.snapshot).toMatchObject(loop);
    const fresh = buildMlp(resolveMlpParams({ window: 5, hiddenUnits: 4, layers: 1, seed: 99 }));
    await restoreInto(fresh, read.snapshot);
    const same = (a: tf.Tensor[], b: tf.Tensor[]) => a.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(b[i].dataSync())));
    same(fresh.getWeights(), model.getWeights());
    const slots = async (m: tf.LayersModel) => (await m.optimizer.getWeights()).map((s) => s.tensor);
    same(await slots(fresh), await slots(model));
    expect(read.snapshot.best).toHaveLength(model.getWeights().length);

    disposeSnapshot(snap);
    disposeSnapshot(read.snapshot);
    disposeModel(model);
    disposeModel(fresh);
  });

  it('reports a missing, foreign or damaged checkpoint instead of applying it', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    expect(await readCheckpoint(dir, 'fp')).toEqual({ found: false });
    const model = await trainedModel(1);
    const snap = await snapshotOf(model, { epoch: 2, rngState: 1, bestEpoch: 1, bestValLoss: Infinity, loss: [1, 2], valLoss: [1, 2] }, null);
    await writeCheckpoint(dir, 'fp', snap);
    disposeSnapshot(snap);
    disposeModel(model);
    expect(await readCheckpoint(dir, 'other')).toEqual({ found: true, usable: false, reason: 'it was saved for other params, data or network' });
    const ok = await readCheckpoint(dir, 'fp');
    expect(ok.found && ok.usable && ok.snapshot.bestValLoss).toBe(Infinity);
    if (ok.found && ok.usable) disposeSnapshot(ok.snapshot);

    const path = join(dir, CHECKPOINT_FILE);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    const cut = await readCheckpoint(dir, 'fp');
    expect(cut).toMatchObject({ found: true, usable: false, reason: 'damaged (the file is shorter than its header says)' });
    writeFileSync(path, 'hello');
    expect((await readCheckpoint(dir, 'fp')).found).toBe(true);
    expect(existsSync(path)).toBe(true);
  });
});
