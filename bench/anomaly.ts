/**
 * Anomaly detection quality and speed: Trainyard's isolation forest against scikit-learn's
 * IsolationForest (Debian's python3-sklearn) on the same features, in one run.
 *
 * Data: the bundled Seattle hourly temperatures with injected anomalies (resources/datasets). Both
 * forests get the same windows (12 scaled values and their 11 differences, scaler fitted on the
 * training rows), 100 trees of 256 samples, the training windows only. Their window scores go
 * through the same row averaging and the same threshold (99% quantile of the validation rows), and
 * are scored on the held-out test rows. Median over 5 seeds; time is fit + scoring every window.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvTable, fitScaler, planAnomalySplit, transform, validateTrainingTable } from '../src/core/data';
import { anomalyMetrics, type AnomalyMetrics } from '../src/core/metrics';
import { fitIsolationForest, isolationScores } from '../src/core/models/anomaly/isolation-forest';
import { forestFeatures, quantile, rowScores, windowMatrix } from '../src/core/models/anomaly/windows';

const WINDOW = 12;
const TREES = 100;
const SAMPLE = 256;
const SEEDS = [1, 2, 3, 4, 5];

const SKLEARN = `
import sys, json, time, numpy as np
from sklearn.ensemble import IsolationForest
d = json.load(open(sys.argv[1]))
x = np.array(d['x'], dtype=np.float64).reshape(d['count'], d['features'])
train = x[:d['trainWindows']]
out = []
for seed in d['seeds']:
    t = time.perf_counter()
    f = IsolationForest(n_estimators=d['trees'], max_samples=d['sample'], random_state=seed).fit(train)
    s = -f.score_samples(x)
    out.append({'seconds': time.perf_counter() - t, 'scores': s.tolist()})
print(json.dumps(out))
`;

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function anomaly(): Promise<void> {
  const text = readFileSync(new URL('../resources/datasets/seattle-temperature-anomalies.csv', import.meta.url), 'utf8');
  const frame = validateTrainingTable(csvTable(text), { target: 'temperature', labelColumn: 'anomaly' });
  const values = frame.series.values;
  const labels = frame.labels!;
  const plan = planAnomalySplit(values.length, { window: WINDOW, valFraction: 0.15, testFraction: 0.15 });
  const scaler = fitScaler(values.subarray(0, plan.rows.train.end));
  const f = forestFeatures(windowMatrix(transform(scaler, values), WINDOW));
  const count = f.x.length / f.features;
  const trainWindows = plan.windows.train.end;
  const t = plan.rows.test;

  const evaluate = (perWindow: ArrayLike<number>): AnomalyMetrics => {
    const rows = rowScores(values.length, WINDOW, (k) => perWindow[k]);
    const threshold = quantile(rows.subarray(plan.rows.val.start, plan.rows.val.end), 0.99);
    return anomalyMetrics(labels.subarray(t.start, t.end), rows.subarray(t.start, t.end), threshold);
  };

  const ours: { m: AnomalyMetrics; s: number }[] = [];
  for (const seed of SEEDS) {
    const t0 = performance.now();
    const forest = fitIsolationForest(f.x.subarray(0, trainWindows * f.features), f.features, { trees: TREES, sampleSize: SAMPLE, seed });
    const scores = isolationScores(forest, f.x);
    ours.push({ s: (performance.now() - t0) / 1000, m: evaluate(scores) });
  }

  const data = join(tmpdir(), 'trainyard-bench-anomaly.json');
  writeFileSync(data, JSON.stringify({ x: Array.from(f.x), count, features: f.features, trainWindows, trees: TREES, sample: SAMPLE, seeds: SEEDS }));
  const r = spawnSync('/usr/bin/python3', ['-c', SKLEARN, data], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  let peer: { m: AnomalyMetrics; s: number }[] | string;
  if (r.status !== 0) peer = `peer unavailable (${r.stderr.trim().split('\n').pop()}; apt-get install python3-sklearn)`;
  else peer = (JSON.parse(r.stdout) as { seconds: number; scores: number[] }[]).map((p) => ({ s: p.seconds, m: evaluate(p.scores) }));

  const share = labels.subarray(t.start, t.end).reduce((a, b) => a + b, 0) / (t.end - t.start);
  const row = (name: string, runs: { m: AnomalyMetrics; s: number }[]) =>
    `| ${name} | ${median(runs.map((x) => x.m.rocAuc!)).toFixed(3)} | ${median(runs.map((x) => x.m.prAuc!)).toFixed(3)} | ` +
    `${median(runs.map((x) => x.m.f1)).toFixed(3)} | ${median(runs.map((x) => x.s)).toFixed(3)} |`;
  const lines = [
    `Isolation forest, ${TREES} trees x ${SAMPLE} samples, windows of ${WINDOW} (+ differences: ${f.features} features), ` +
      `${trainWindows} training windows, ${count} windows scored; test rows ${t.end - t.start} (${(share * 100).toFixed(1)}% anomalous); median of ${SEEDS.length} seeds`,
    '| detector | ROC-AUC | PR-AUC | F1 | fit + score s |',
    '| --- | --- | --- | --- | --- |',
    row('Trainyard isolation forest', ours),
    typeof peer === 'string' ? `| scikit-learn IsolationForest | ${peer} | | | |` : row('scikit-learn IsolationForest', peer),
    `| random scorer (expected) | 0.500 | ${share.toFixed(3)} | ${((2 * share) / (1 + share)).toFixed(3)} | - |`,
  ];
  if (typeof peer !== 'string') {
    lines.push(`| ratio (Trainyard / scikit-learn), time | | | | ${(median(ours.map((x) => x.s)) / median(peer.map((x) => x.s))).toFixed(3)} |`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}
