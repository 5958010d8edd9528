/**
 * Anomaly detection quality: Trainyard's isolation forest and autoencoder, each at its own
 * threshold (the best F1 on the validation labels), against scikit-learn's IsolationForest with its
 * defaults (contamination 'auto', its own threshold) on the same causal windows, on three real
 * series with documented injected anomalies (resources/datasets/README.md).
 *
 * Every detector scores row t from the window of rows t-w+1..t only, the scaler fitted on the
 * training rows; forests are grown on the training windows only. scikit-learn gets the window's
 * scaled values (what it would be given), and, to show where the gain comes from, Trainyard's
 * window features too. Figures are on the held-out test rows; forests are the median of 5 seeds,
 * the autoencoder one run with its default seed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../src/core/compute';
import { csvTable, fitScaler, planAnomalySplit, transform, validateTrainingTable, type AnomalyPlan } from '../src/core/data';
import { anomalyMetrics, type AnomalyMetrics } from '../src/core/metrics';
import { chooseThreshold, resolveAutoencoderParams, resolveIsolationForestParams, type AnomalyDetector } from '../src/core/models';
import { trainAutoencoderDetector } from '../src/core/models/anomaly/autoencoder-train';
import { fitForestDetector } from '../src/core/models/anomaly/forest-detector';
import { causalRowScores, forestFeatures, windowMatrix } from '../src/core/models/anomaly/windows';

const SERIES = [
  { file: 'seattle-temperature-anomalies.csv', target: 'temperature', what: 'Seattle hourly temperature normals' },
  { file: 'seattle-daily-temperature-anomalies.csv', target: 'temp_max', what: 'Seattle daily maximum temperature' },
  { file: 'co2-anomalies.csv', target: 'CO2', what: 'Mauna Loa CO2, monthly' },
];
const SEEDS = [1, 2, 3, 4, 5];
const FOREST = resolveIsolationForestParams({});
const AUTOENCODER = resolveAutoencoderParams({});

interface Scored {
  m: AnomalyMetrics;
  s: number;
}

interface Series {
  name: string;
  values: Float64Array;
  labels: Uint8Array | Int32Array | Float64Array | number[];
  plan: AnomalyPlan;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function load(file: string, target: string, window: number): Series {
  const text = readFileSync(new URL(`../resources/datasets/${file}`, import.meta.url), 'utf8');
  const frame = validateTrainingTable(csvTable(text), { target, labelColumn: 'anomaly' });
  const values = frame.series.values;
  return { name: file, values, labels: frame.labels!, plan: planAnomalySplit(values.length, { window, valFraction: 0.15, testFraction: 0.15 }) };
}

const testPart = (s: Series, rows: Float64Array) => {
  const t = s.plan.rows.test;
  return { labels: Array.from(s.labels).slice(t.start, t.end), scores: rows.subarray(t.start, t.end) };
};

/** A Trainyard detector at its own threshold: the best F1 on the validation labels. */
async function ownThreshold(s: Series, d: AnomalyDetector, window: number): Promise<AnomalyMetrics> {
  const rows = await d.scoreRows(s.values);
  const train = { start: window - 1, end: s.plan.rows.train.end };
  const th = chooseThreshold(rows, { train, val: s.plan.rows.val }, { threshold: 'auto', quantile: 0.99, contamination: 0.02 }, s.labels);
  const t = testPart(s, rows);
  return anomalyMetrics(t.labels, t.scores, th.value);
}

/** The causal windows of the scaled series, row-major, with the training windows first. */
function windowsOf(s: Series, window: number) {
  const scaler = fitScaler(s.values.subarray(0, s.plan.rows.train.end));
  const m = windowMatrix(transform(scaler, s.values), window);
  return { m, features: forestFeatures(m), trainWindows: s.plan.rows.train.end - window + 1 };
}

function sklearn(payload: unknown): Record<string, { seconds: number; scores: number[]; threshold: number }[]> | string {
  const data = join(tmpdir(), 'trainyard-bench-anomaly.json');
  writeFileSync(data, JSON.stringify(payload));
  const script = fileURLToPath(new URL('./anomaly_sklearn.py', import.meta.url));
  const r = spawnSync('/usr/bin/python3', [script, data], { encoding: 'utf8', maxBuffer: 512 * 2 ** 20 });
  if (r.status !== 0) return `peer unavailable (${r.stderr.trim().split('\n').pop()}; apt-get install python3-sklearn)`;
  return JSON.parse(r.stdout);
}

const fmt = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
const row = (name: string, runs: Scored[]) => {
  const med = (f: (m: AnomalyMetrics) => number | null) => fmt(median(runs.map((x) => f(x.m) ?? NaN)));
  return (
    `| ${name} | ${med((m) => m.f1)} | ${med((m) => m.rocAuc)} | ${med((m) => m.prAuc)} | ${med((m) => m.precision)} | ` +
    `${med((m) => m.recall)} | ${med((m) => m.events.eventRecall)} | ${fmt(median(runs.map((x) => x.m.flagged / x.m.n)))} | ${fmt(median(runs.map((x) => x.s)))} |`
  );
};

export async function anomaly(): Promise<void> {
  await selectBackend();
  const w = FOREST.window;
  const series = SERIES.map((s) => load(s.file, s.target, Math.max(w, AUTOENCODER.window)));
  const inputs: Record<string, unknown> = {};
  for (const s of series) {
    const win = windowsOf(s, w);
    inputs[`${s.name}:raw`] = { x: Array.from(win.m.x), count: win.m.count, features: w, trainWindows: win.trainWindows };
    inputs[`${s.name}:features`] = { x: Array.from(win.features.x), count: win.m.count, features: win.features.features, trainWindows: win.trainWindows };
  }
  const peer = sklearn({ inputs, seeds: SEEDS });

  const out: string[] = [
    `Trainyard isolation forest: defaults (${FOREST.trees} trees x ${FOREST.sampleSize} samples, window ${w}, ${forestFeatures(windowMatrix([0, 0, 0], 3)).features} features per window); ` +
      `autoencoder: defaults (window ${AUTOENCODER.window}, ${AUTOENCODER.hiddenUnits}-${AUTOENCODER.bottleneck}-${AUTOENCODER.hiddenUnits}, up to ${AUTOENCODER.epochs} epochs). ` +
      `scikit-learn IsolationForest: defaults (100 trees, max_samples='auto', contamination='auto'), its own threshold. Test rows only; time is fit + scoring every row.`,
  ];
  const verdicts: string[] = [];
  for (let i = 0; i < series.length; i++) {
    const s = series[i];
    const t = s.plan.rows.test;
    const share = Array.from(s.labels).slice(t.start, t.end).reduce((a, b) => a + b, 0) / (t.end - t.start);
    // One seed after another, so each is timed alone.
    const forest: Scored[] = [];
    for (const seed of SEEDS) {
      const t0 = performance.now();
      const d = fitForestDetector(s.values, s.plan.rows.train.end, { ...FOREST, seed });
      forest.push({ m: await ownThreshold(s, d, w), s: (performance.now() - t0) / 1000 });
    }
    const t0 = performance.now();
    const ae = await trainAutoencoderDetector(s.values, s.plan.rows, AUTOENCODER);
    const autoencoder: Scored[] = [{ m: await ownThreshold(s, ae.detector, AUTOENCODER.window), s: (performance.now() - t0) / 1000 }];
    ae.detector.dispose();

    out.push(
      '',
      `### ${SERIES[i].what} (${s.name}, target ${SERIES[i].target}): ${s.values.length} rows, test ${t.end - t.start} rows, ${(share * 100).toFixed(1)}% anomalous`,
      '',
      '| detector | F1 | ROC-AUC | PR-AUC | precision | recall | event recall | flagged share | s |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      row('Trainyard isolation forest (best validation F1 threshold)', forest),
      row('Trainyard autoencoder (best validation F1 threshold)', autoencoder),
    );
    if (typeof peer === 'string') {
      out.push(`| scikit-learn IsolationForest | ${peer} | | | | | | | |`);
      continue;
    }
    const peerRuns = (key: string): Scored[] =>
      peer[`${s.name}:${key}`].map((p) => {
        const rows = causalRowScores(s.values.length, w, (k) => p.scores[k]);
        const part = testPart(s, rows);
        return { m: anomalyMetrics(part.labels, part.scores, p.threshold), s: p.seconds };
      });
    const raw = peerRuns('raw');
    out.push(
      row(`scikit-learn IsolationForest on the raw windows (${w} scaled values)`, raw),
      row("scikit-learn IsolationForest on Trainyard's window features", peerRuns('features')),
      `| random scorer (expected) | ${fmt((2 * share) / (1 + share))} | 0.500 | ${fmt(share)} | | | | | |`,
    );
    const f1 = (r: Scored[]) => median(r.map((x) => x.m.f1));
    const auc = (r: Scored[]) => median(r.map((x) => x.m.rocAuc ?? NaN));
    for (const [name, r] of [['isolation forest', forest], ['autoencoder', autoencoder]] as const) {
      const ok = f1(r) >= f1(raw) && auc(r) >= auc(raw);
      verdicts.push(
        `- ${s.name}, ${name}: F1 ${fmt(f1(r))} vs ${fmt(f1(raw))} (ratio ${fmt(f1(r) / f1(raw))}), ROC-AUC ${fmt(auc(r))} vs ${fmt(auc(raw))} ` +
          `(ratio ${fmt(auc(r) / auc(raw))}): ${ok ? 'goal met' : 'GOAL NOT MET'}`,
      );
    }
  }
  if (verdicts.length) out.push('', "Against scikit-learn's IsolationForest on the raw windows (goal: F1 and ROC-AUC at least its own):", ...verdicts);
  process.stdout.write(out.join('\n') + '\n');
}
