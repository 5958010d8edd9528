/**
 * Model quality on real series of different kinds: the test MAE and RMSE of Trainyard's default
 * `auto` family (and of the families it chooses among) through the whole pipeline as a job runs
 * it, beside scikit-learn's LinearRegression and HistGradientBoostingRegressor (Debian's
 * python3-sklearn) fitted on the same lag windows and scored on the same chronological test split,
 * in two representations (raw lags, and Trainyard's differences), plus the naive and seasonal-naive
 * baselines. The goal: `auto` beats the best of those on test MAE on every series, choosing on
 * validation only.
 *
 * A second table checks Trainyard's own GBDT against HistGradientBoostingRegressor given the very
 * same encoded inputs and hyperparameters: an audit of the implementation, not of the method.
 *
 * `QUALITY_FAMILIES=all` adds the recurrent and convolutional families (slow on the hourly series).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORECAST_FAMILY_NAMES, GBDT_DEFAULTS, fitGbdt, gbdtForecaster, type ForecastFamilyName } from '../src/core/models';
import { runTrainTask } from '../src/core/pipeline';
import { encodedSets } from '../src/core/pipeline/closed-form';
import { loadStep } from '../src/core/pipeline/load';
import { prepareWindows } from '../src/core/pipeline/preprocess';
import { Reporter } from '../src/core/pipeline/report';
import { sampleTask } from '../src/core/pipeline/testing';

interface Series {
  file: string;
  title: string;
  target: string;
}

/** Five kinds of series, every file shipped in resources/datasets (sources and licences in its README). */
const SERIES: Series[] = [
  { file: 'co2-concentration.csv', title: 'Mauna Loa CO2, monthly trend + cycle', target: 'CO2' },
  { file: 'seattle-weather-hourly-normals.csv', title: 'Seattle temperature normals, hourly seasonal', target: 'temperature' },
  { file: 'seattle-weather.csv', title: 'Seattle daily maximum temperature, daily weather', target: 'temp_max' },
  { file: 'global-temp.csv', title: 'Global temperature anomaly, yearly', target: 'temp' },
  { file: 'seattle-weather.csv', title: 'Seattle daily mean wind speed, a noisy sensor', target: 'wind' },
  { file: 'us-employment.csv', title: 'US nonfarm employment, monthly', target: 'nonfarm' },
];

interface Scores {
  rmse: number;
  mae: number;
  seconds?: number;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toFixed(4));
const DEFAULTS = { window: 12, horizon: 1, valFraction: 0.15, testFraction: 0.15 };

function python(script: string, input: object): Record<string, Scores> | string {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-quality-'));
  try {
    const data = join(dir, 'input.json');
    writeFileSync(data, JSON.stringify(input));
    const r = spawnSync('/usr/bin/python3', [new URL(script, import.meta.url).pathname, data], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) return `peer unavailable (${r.stderr.trim().split('\n').pop()}; apt-get install python3-sklearn)`;
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, Scores>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const silent = { report: new Reporter(() => {}), shouldStop: () => false };

/**
 * The peers' inputs: raw lag windows on the same split Trainyard uses, of the default window (the
 * goal's peers) and, where the series has a season, of the longest window auto tries (two seasons
 * + 1), so the peers are not held to fewer lags than auto may choose.
 */
async function lagInputs(dir: string, s: Series) {
  const task = sampleTask(dir, s.file, s.target);
  const loaded = await loadStep(task, silent);
  const params = { ...GBDT_DEFAULTS, ...DEFAULTS };
  const prepared = prepareWindows(loaded, params, 'flat', []);
  const windows = [params.window, ...(prepared.season ? [2 * prepared.season + 1] : [])];
  const peers = windows.map((window) => {
    const p = window === params.window ? prepared : prepareWindows(loaded, { ...params, window }, 'flat', []);
    const w = p.plan.windows;
    return { window, x: Array.from(p.windows.x), y: Array.from(p.windows.y), train: [w.train.start, w.train.end], test: [w.test.start, w.test.end] };
  });
  return { loaded, prepared, peers };
}

/** Trainyard's GBDT and scikit-learn's on the same encoded windows, hyperparameters and number of trees. */
async function gbdtAudit(prepared: Awaited<ReturnType<typeof lagInputs>>['prepared']): Promise<Record<string, Scores> | string> {
  const { train, val } = encodedSets(prepared);
  const t0 = performance.now();
  const fit = fitGbdt(train, { ...val, features: train.features }, GBDT_DEFAULTS);
  const seconds = (performance.now() - t0) / 1000;
  const f = gbdtForecaster(prepared.preprocessing, fit.model);
  const predicted = await f.predictWindows(prepared.test.raw);
  const mine = score(prepared.test.actual, predicted);
  const w = prepared.plan.windows;
  const features = train.features;
  const peer = python('./quality.py', {
    mode: 'gbdt',
    features,
    x: Array.from(prepared.encoded.x),
    y: Array.from(prepared.encoded.y),
    last: Array.from(prepared.encoded.last),
    actual: Array.from(prepared.windows.y),
    train: [w.train.start, w.train.end],
    test: [w.test.start, w.test.end],
    yScaler: prepared.preprocessing.y,
    params: { ...GBDT_DEFAULTS, trees: fit.bestRound },
  });
  if (typeof peer === 'string') return peer;
  return { [`Trainyard gbdt (${fit.bestRound} trees)`]: { ...mine, seconds }, ...peer };
}

function score(actual: ArrayLike<number>, predicted: ArrayLike<number>): Scores {
  let sq = 0;
  let abs = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = predicted[i] - actual[i];
    sq += e * e;
    abs += Math.abs(e);
  }
  return { rmse: Math.sqrt(sq / actual.length), mae: abs / actual.length };
}

export async function quality(): Promise<void> {
  const families: ForecastFamilyName[] =
    process.env.QUALITY_FAMILIES === 'all' ? [...FORECAST_FAMILY_NAMES] : ['auto', 'linear', 'gbdt', 'mlp'];
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-quality-'));
  const verdicts: string[] = [];
  try {
    process.stdout.write(
      `Test split (last 15% of rows, chronological), validation the 15% before it, horizon 1; Trainyard families with their default params, seed 42 ` +
        `(auto picks on validation only); peers on windows of ${DEFAULTS.window} values. "s" is the whole job for Trainyard, fit + predict for the peers.\n`,
    );
    for (const s of SERIES) {
      const rows: [string, Scores][] = [];
      let baselines: [string, Scores][] = [];
      let ranOn = '';
      let chosen = '';
      for (const family of families) {
        const t0 = performance.now();
        const id = `${s.file}-${s.target}-${family}`;
        const r = await runTrainTask(sampleTask(dir, s.file, s.target, {}, { jobId: id, runId: id }, { model: family }), { emit: () => {} });
        const m = r.metrics;
        ranOn = `${r.backend} on ${r.device}`;
        if (family === 'auto') chosen = String(r.params.chosen);
        rows.push([`Trainyard ${family}${family === 'auto' ? ` (chose ${r.params.chosen})` : ''}`, { rmse: m['test.rmse'], mae: m['test.mae'], seconds: (performance.now() - t0) / 1000 }]);
        baselines = [
          ['naive (last value)', { rmse: m['naive.rmse'], mae: m['naive.mae'] }],
          ...(m['seasonal_naive.rmse'] !== undefined ? [['seasonal naive', { rmse: m['seasonal_naive.rmse'], mae: m['seasonal_naive.mae'] }] as [string, Scores]] : []),
        ];
      }
      const { prepared, peers } = await lagInputs(dir, s);
      const p = python('./quality.py', { mode: 'peers', peers, window: DEFAULTS.window });
      const peerRows: [string, Scores][] = typeof p === 'string' ? [] : Object.entries(p).map(([k, v]) => [`scikit-learn ${k}`, v]);
      process.stdout.write(`\n### ${s.title} (${s.file}, target ${s.target}); Trainyard on ${ranOn}\n`);
      if (typeof p === 'string') process.stdout.write(`${p}\n`);
      const all = [...rows, ...peerRows, ...baselines];
      // The goal's rivals: the peers on the default window; LinearRegression on differences is
      // Trainyard's own linear family without the penalty, not one of them.
      const longer = (name: string) => name.includes(', window ');
      const rivals = [...peerRows.filter(([name]) => name !== 'scikit-learn LinearRegression (differences)' && !longer(name)), ...baselines];
      const bestOf = (list: [string, Scores][]) => list.reduce((a, b) => (b[1].mae < a[1].mae ? b : a), list[0]);
      const best = bestOf(rivals);
      const bestAny = bestOf([...peerRows, ...baselines]);
      process.stdout.write('| model | test MAE | test RMSE | MAE / best rival | s |\n| --- | --- | --- | --- | --- |\n');
      for (const [name, r] of all) {
        const secs = r.seconds === undefined ? '' : r.seconds.toFixed(2);
        process.stdout.write(`| ${name} | ${fmt(r.mae)} | ${fmt(r.rmse)} | ${(r.mae / best[1].mae).toFixed(3)} | ${secs} |\n`);
      }
      const auto = rows[0][1];
      const verdict = (b: [string, Scores]) =>
        `${b[0]}: ${fmt(b[1].mae)} | ${typeof p === 'string' ? 'no peer' : auto.mae < b[1].mae ? 'yes' : 'no'} (${Math.abs(100 * (1 - auto.mae / b[1].mae)).toFixed(1)}% ${auto.mae < b[1].mae ? 'below' : 'above'})`;
      verdicts.push(`| ${s.title} | ${fmt(auto.mae)} (${chosen}) | ${verdict(best)} | ${verdict(bestAny)} |`);
      const audit = await gbdtAudit(prepared);
      process.stdout.write('\nGBDT audit: the same encoded windows (differences in, change out), the same trees, leaves, depth, leaf size, L2, bins and learning rate\n');
      if (typeof audit === 'string') process.stdout.write(`${audit}\n`);
      else {
        process.stdout.write('| implementation | test MAE | test RMSE | fit s |\n| --- | --- | --- | --- |\n');
        for (const [name, r] of Object.entries(audit)) process.stdout.write(`| ${name} | ${fmt(r.mae)} | ${fmt(r.rmse)} | ${r.seconds?.toFixed(2) ?? ''} |\n`);
      }
    }
    process.stdout.write(
      '\nGoal: auto beats the best of naive, seasonal naive, LinearRegression on lags and HistGradientBoosting on lags and on differences, on test MAE\n' +
        '| series | auto test MAE (chosen) | best rival | met? | best of every row (also LinearRegression on differences, peers on two seasons + 1) | beats it? |\n' +
        '| --- | --- | --- | --- | --- | --- |\n' +
        verdicts.join('\n') +
        '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
