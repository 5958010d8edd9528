/**
 * Causal scoring: a row's score uses only the rows up to it, so what comes after row t (a spike, a
 * level shift, a sensor gone mad) never changes row t's score, for either family. A detector that
 * looked ahead would fail here.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../compute';
import { csvTable, planAnomalySplit, validateTrainingTable } from '../../data';
import { datasetFile } from '../../pipeline/testing';
import { seededRandom } from '../random';
import { trainAutoencoderDetector } from './autoencoder-train';
import type { AnomalyDetector } from './detector';
import { fitForestDetector } from './forest-detector';
import { resolveAutoencoderParams, resolveIsolationForestParams } from './params';
import { UNSCORED_ROW_SCORE } from './windows';

const frame = validateTrainingTable(csvTable(readFileSync(datasetFile('seattle-daily-temperature-anomalies.csv'), 'utf8')), {
  target: 'temp_max',
  labelColumn: 'anomaly',
});
const values = frame.series.values;

/** The series with every row after `t` replaced by wild values. */
function rewrittenAfter(t: number, seed: number): Float64Array {
  const rand = seededRandom(seed);
  const out = values.slice();
  for (let i = t + 1; i < out.length; i++) out[i] = 100 * (rand() - 0.5);
  return out;
}

async function expectCausal(detector: AnomalyDetector, close: (a: number, b: number) => void) {
  const before = await detector.scoreRows(values);
  expect(before).toHaveLength(values.length);
  for (let i = 0; i < detector.window - 1; i++) expect(before[i]).toBe(UNSCORED_ROW_SCORE);
  for (const [t, seed] of [
    [detector.window + 3, 1],
    [700, 2],
    [1300, 3],
  ]) {
    const after = await detector.scoreRows(rewrittenAfter(t, seed));
    for (let i = 0; i <= t; i++) close(after[i], before[i]);
    // The rows after t do see the change: the test would notice a detector that ignored its input.
    expect(after[t + 1]).not.toBe(before[t + 1]);
  }
  // Row t itself moves with its own value.
  const spiked = values.slice();
  spiked[900] += 25;
  expect((await detector.scoreRows(spiked))[900]).toBeGreaterThan(before[900]);
}

beforeAll(async () => {
  await selectBackend();
});

describe('causal scoring', () => {
  it('isolation forest: changing the rows after t never changes the score of row t or any row before it', async () => {
    const plan = planAnomalySplit(values.length, { window: 12, valFraction: 0.15, testFraction: 0.15 });
    const detector = fitForestDetector(values, plan.rows.train.end, resolveIsolationForestParams({ trees: 30 }));
    await expectCausal(detector, (a, b) => expect(a).toBe(b));
  });

  it('autoencoder: changing the rows after t never changes the score of row t or any row before it', async () => {
    const p = resolveAutoencoderParams({ window: 16, epochs: 3 });
    const plan = planAnomalySplit(values.length, p);
    const { detector } = await trainAutoencoderDetector(values, plan.rows, p);
    try {
      // The network scores windows in batches; a batch's other windows may move the last float bit.
      await expectCausal(detector, (a, b) => expect(a).toBeCloseTo(b, 6));
    } finally {
      detector.dispose();
    }
  });
});
