/**
 * Model quality on the bundled datasets: the test RMSE and MAE of every Trainyard forecast family
 * (default params, the whole pipeline as a job runs it) beside scikit-learn's LinearRegression and
 * HistGradientBoostingRegressor (Debian's python3-sklearn) fitted on the same lag windows and
 * scored on the same chronological test split, plus the naive and seasonal-naive baselines.
 * The peer sees the windows two ways: raw lags, and Trainyard's differenced representation.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSeries, makeWindows, planWindowSplit } from '../src/core/data';
import { FORECAST_FAMILY_NAMES, FORECAST_FAMILY_SPECS } from '../src/core/models';
import { runTrainTask } from '../src/core/pipeline';
import { sampleTask } from '../src/core/pipeline/testing';

interface Sample {
  file: string;
  title: string;
  target: string;
  /** Set on the samples made for the anomaly detectors; those are left out here. */
  labelColumn?: string;
}

interface Row {
  model: string;
  rmse: number;
  mae: number;
  seconds?: number;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toFixed(4));

function peer(sample: Sample, window: number, horizon: number): Record<string, { rmse: number; mae: number }> | string {
  const text = readFileSync(new URL(`../resources/datasets/${sample.file}`, import.meta.url), 'utf8');
  const values = loadSeries(text, { target: sample.target }).values;
  const w = makeWindows(values, window, horizon);
  const defaults = FORECAST_FAMILY_SPECS.mlp.defaults;
  const plan = planWindowSplit(values.length, { window, horizon, valFraction: defaults.valFraction, testFraction: defaults.testFraction });
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-quality-'));
  try {
    const data = join(dir, 'windows.json');
    writeFileSync(
      data,
      JSON.stringify({
        window,
        x: Array.from(w.x),
        y: Array.from(w.y),
        train: [plan.windows.train.start, plan.windows.train.end],
        test: [plan.windows.test.start, plan.windows.test.end],
      }),
    );
    const script = new URL('./quality.py', import.meta.url).pathname;
    const r = spawnSync('/usr/bin/python3', [script, data], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) return `peer unavailable (${r.stderr.trim().split('\n').pop()}; apt-get install python3-sklearn)`;
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, { rmse: number; mae: number }>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function quality(): Promise<void> {
  const samples = (JSON.parse(readFileSync(new URL('../resources/datasets/samples.json', import.meta.url), 'utf8')) as Sample[]).filter(
    (s) => s.labelColumn === undefined,
  );
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-quality-'));
  try {
    process.stdout.write(
      'Test split (last 15% of rows, chronological), window 12, horizon 1; Trainyard families with their default params, seed 42.\n' +
        'ratio: test RMSE / scikit-learn LinearRegression (lags) test RMSE, below 1 is better.\n',
    );
    for (const sample of samples) {
      const rows: Row[] = [];
      let baselines: Row[] = [];
      let ranOn = '';
      for (const family of FORECAST_FAMILY_NAMES) {
        const t0 = performance.now();
        const task = sampleTask(dir, sample.file, sample.target, {}, { jobId: `${sample.file}-${family}`, runId: `${sample.file}-${family}` }, { model: family });
        const r = await runTrainTask(task, { emit: () => {} });
        const m = r.metrics;
        ranOn = `${r.backend} on ${r.device}`;
        rows.push({ model: `Trainyard ${family}`, rmse: m['test.rmse'], mae: m['test.mae'], seconds: (performance.now() - t0) / 1000 });
        baselines = [
          { model: 'naive (last value)', rmse: m['naive.rmse'], mae: m['naive.mae'] },
          ...(m['seasonal_naive.rmse'] !== undefined
            ? [{ model: 'seasonal naive', rmse: m['seasonal_naive.rmse'], mae: m['seasonal_naive.mae'] }]
            : []),
        ];
      }
      const defaults = FORECAST_FAMILY_SPECS.mlp.defaults;
      const p = peer(sample, defaults.window, defaults.horizon);
      const peerRows: Row[] = typeof p === 'string' ? [] : Object.entries(p).map(([k, v]) => ({ model: `scikit-learn ${k}`, ...v }));
      const reference = typeof p === 'string' ? null : p['LinearRegression (lags)'].rmse;
      process.stdout.write(`\n### ${sample.title} (${sample.file}, target ${sample.target}); Trainyard on ${ranOn}\n`);
      if (typeof p === 'string') process.stdout.write(`${p}\n`);
      process.stdout.write('| model | test RMSE | test MAE | ratio | train s |\n| --- | --- | --- | --- | --- |\n');
      for (const row of [...rows, ...peerRows, ...baselines]) {
        const ratio = reference ? (row.rmse / reference).toFixed(3) : '-';
        const secs = row.seconds === undefined ? '' : row.seconds.toFixed(1);
        process.stdout.write(`| ${row.model} | ${fmt(row.rmse)} | ${fmt(row.mae)} | ${ratio} | ${secs} |\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
