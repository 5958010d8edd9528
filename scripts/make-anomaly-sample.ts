/**
 * Builds the anomaly samples in resources/datasets: real series from vega-datasets 3.2.1 (and the
 * bundled CO2 record), with anomalies injected at fixed positions and a 0/1 `anomaly` column
 * marking every injected row. Magnitudes and signs come from a seeded generator, so running it
 * again writes the same bytes.
 *
 *   npx tsx scripts/make-anomaly-sample.ts
 *
 * Positions are 0-based data rows (row 0 is 2010-01-01T01:00). Split at rows 6131 and 7445 (the
 * tests' split) the 8,759 rows divide into train 0-6130, validation 6131-7444, test 7445-8758 (the
 * default 15% / 15% split, floored, is one row later: 0-6132, 6133-7445, 7446-8758); each part holds
 * spikes, a level shift and a flat-lined stretch.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/core/models';

interface Stretch {
  start: number;
  rows: number;
}

interface Sample {
  /** Written to resources/datasets/. */
  file: string;
  /** Read from, relative to the repository root. */
  source: string;
  timeColumn: string;
  valueColumn: string;
  /** The column name in the written file. */
  target: string;
  seed: number;
  unit: string;
  /** What one row is, for the table: "h", "d", "mo". */
  rowUnit: string;
  /** Decimals the value keeps. */
  decimals: number;
  /** One row moved up or down by `spikeSize[0]` to `spikeSize[1]`. */
  spikes: number[];
  spikeSize: [number, number];
  /** A stretch moved up or down by `shiftSize[0]` to `shiftSize[1]`: a sensor recalibrated wrongly, then fixed. */
  levelShifts: Stretch[];
  shiftSize: [number, number];
  /** A stretch stuck at its first row's value: a sensor that stopped updating. */
  flatLines: Stretch[];
}

const SAMPLES: Sample[] = [
  {
    // The normals never move more than 2 °C in an hour.
    file: 'seattle-temperature-anomalies.csv',
    source: 'node_modules/vega-datasets/data/seattle-weather-hourly-normals.csv',
    timeColumn: 'date',
    valueColumn: 'temperature',
    target: 'temperature',
    seed: 20101,
    unit: '°C',
    rowUnit: 'h',
    decimals: 1,
    spikes: [500, 1400, 2300, 3100, 4100, 5000, 5800, 6300, 6800, 7200, 7600, 7900, 8150, 8400, 8650],
    spikeSize: [6, 10],
    levelShifts: [
      { start: 2600, rows: 48 },
      { start: 4500, rows: 36 },
      { start: 6500, rows: 36 },
      { start: 7700, rows: 48 },
    ],
    shiftSize: [5, 8],
    flatLines: [
      { start: 1800, rows: 36 },
      { start: 5300, rows: 30 },
      { start: 7000, rows: 30 },
      { start: 8250, rows: 36 },
    ],
  },
  {
    // Daily maxima move 2.2 °C a day on average and at most 11 °C: weather, not a smooth curve.
    file: 'seattle-daily-temperature-anomalies.csv',
    source: 'node_modules/vega-datasets/data/seattle-weather.csv',
    timeColumn: 'date',
    valueColumn: 'temp_max',
    target: 'temp_max',
    seed: 20121,
    unit: '°C',
    rowUnit: 'd',
    decimals: 1,
    spikes: [100, 300, 520, 700, 900, 1080, 1150, 1200, 1290, 1350, 1420],
    spikeSize: [12, 16],
    levelShifts: [
      { start: 400, rows: 14 },
      { start: 1100, rows: 10 },
      { start: 1300, rows: 14 },
    ],
    shiftSize: [7, 10],
    flatLines: [
      { start: 800, rows: 12 },
      { start: 1180, rows: 10 },
      { start: 1380, rows: 12 },
    ],
  },
  {
    // A rising trend with a yearly cycle of about 6 ppm; months move at most 2.7 ppm.
    file: 'co2-anomalies.csv',
    source: 'resources/datasets/co2-concentration.csv',
    timeColumn: 'Date',
    valueColumn: 'CO2',
    target: 'CO2',
    seed: 19583,
    unit: 'ppm',
    rowUnit: 'mo',
    decimals: 2,
    spikes: [60, 150, 250, 350, 450, 540, 600, 660, 720],
    spikeSize: [3, 5],
    levelShifts: [
      { start: 200, rows: 6 },
      { start: 560, rows: 6 },
      { start: 690, rows: 6 },
    ],
    shiftSize: [3, 4],
    flatLines: [
      { start: 400, rows: 6 },
      { start: 590, rows: 6 },
      { start: 650, rows: 6 },
    ],
  },
];

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

function inject(s: Sample): void {
  const round = (v: number) => Math.round(v * 10 ** s.decimals) / 10 ** s.decimals;
  const lines = readFileSync(root(s.source), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const dateAt = header.indexOf(s.timeColumn);
  const valueAt = header.indexOf(s.valueColumn);
  const rows = lines.slice(1).map((l) => l.split(','));
  const dates = rows.map((r) => r[dateAt]);
  const value = rows.map((r) => Number(r[valueAt]));
  const label = new Array<number>(value.length).fill(0);
  const rand = seededRandom(s.seed);
  const sign = () => (rand() < 0.5 ? -1 : 1);
  const between = ([low, high]: [number, number]) => round(low + (high - low) * rand());
  const signed = (d: number) => `${d > 0 ? '+' : ''}${d} ${s.unit}`;
  const log: string[] = [];

  for (const at of s.spikes) {
    const delta = sign() * between(s.spikeSize);
    value[at] = round(value[at] + delta);
    label[at] = 1;
    log.push(`| spike | ${at} | ${dates[at]} | 1 ${s.rowUnit} | ${signed(delta)} |`);
  }
  for (const { start, rows: n } of s.levelShifts) {
    const delta = sign() * between(s.shiftSize);
    for (let i = start; i < start + n; i++) {
      value[i] = round(value[i] + delta);
      label[i] = 1;
    }
    log.push(`| level shift | ${start}-${start + n - 1} | ${dates[start]} | ${n} ${s.rowUnit} | ${signed(delta)} |`);
  }
  for (const { start, rows: n } of s.flatLines) {
    const held = value[start];
    for (let i = start; i < start + n; i++) {
      value[i] = held;
      label[i] = 1;
    }
    log.push(`| flat line | ${start}-${start + n - 1} | ${dates[start]} | ${n} ${s.rowUnit} | held at ${held} ${s.unit} |`);
  }

  const out = [`${s.timeColumn},${s.target},anomaly`, ...dates.map((d, i) => `${d},${value[i].toFixed(s.decimals)},${label[i]}`)];
  writeFileSync(root(`resources/datasets/${s.file}`), out.join('\n') + '\n');
  process.stdout.write(`Wrote ${s.file}: ${value.length} rows, ${label.filter((l) => l === 1).length} anomalous (seed ${s.seed})\n`);
  process.stdout.write(['| kind | rows | starts | length | change |', '| --- | --- | --- | --- | --- |', ...log].join('\n') + '\n\n');
}

for (const s of SAMPLES) inject(s);
