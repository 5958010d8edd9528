/**
 * Builds resources/datasets/seattle-temperature-anomalies.csv: the hourly temperature normals for
 * Seattle from vega-datasets 3.2.1, with anomalies injected at fixed positions and a 0/1 `anomaly`
 * column marking every injected hour. Magnitudes and signs come from a seeded generator, so running
 * it again writes the same bytes.
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

const SEED = 20101;
const SOURCE = fileURLToPath(new URL('../node_modules/vega-datasets/data/seattle-weather-hourly-normals.csv', import.meta.url));
const TARGET = fileURLToPath(new URL('../resources/datasets/seattle-temperature-anomalies.csv', import.meta.url));

/** One hour pushed up or down by 6 to 10 °C (the normals never move more than 2 °C in an hour). */
const SPIKES = [500, 1400, 2300, 3100, 4100, 5000, 5800, 6300, 6800, 7200, 7600, 7900, 8150, 8400, 8650];
/** A stretch moved up or down by 5 to 8 °C: a sensor recalibrated wrongly, then fixed. */
const LEVEL_SHIFTS = [
  { start: 2600, hours: 48 },
  { start: 4500, hours: 36 },
  { start: 6500, hours: 36 },
  { start: 7700, hours: 48 },
];
/** A stretch stuck at its first hour's value: a sensor that stopped updating. */
const FLAT_LINES = [
  { start: 1800, hours: 36 },
  { start: 5300, hours: 30 },
  { start: 7000, hours: 30 },
  { start: 8250, hours: 36 },
];

const round1 = (v: number) => Math.round(v * 10) / 10;

const lines = readFileSync(SOURCE, 'utf8').trim().split('\n');
const header = lines[0].split(',');
const dateAt = header.indexOf('date');
const tempAt = header.indexOf('temperature');
const rows = lines.slice(1).map((l) => l.split(','));
const dates = rows.map((r) => r[dateAt]);
const temp = rows.map((r) => Number(r[tempAt]));
const label = new Array<number>(temp.length).fill(0);
const rand = seededRandom(SEED);
const sign = () => (rand() < 0.5 ? -1 : 1);
const log: string[] = [];

for (const at of SPIKES) {
  const delta = sign() * round1(6 + 4 * rand());
  temp[at] = round1(temp[at] + delta);
  label[at] = 1;
  log.push(`| spike | ${at} | ${dates[at]} | 1 h | ${delta > 0 ? '+' : ''}${delta} °C |`);
}
for (const { start, hours } of LEVEL_SHIFTS) {
  const delta = sign() * round1(5 + 3 * rand());
  for (let i = start; i < start + hours; i++) {
    temp[i] = round1(temp[i] + delta);
    label[i] = 1;
  }
  log.push(`| level shift | ${start}-${start + hours - 1} | ${dates[start]} | ${hours} h | ${delta > 0 ? '+' : ''}${delta} °C |`);
}
for (const { start, hours } of FLAT_LINES) {
  const held = temp[start];
  for (let i = start; i < start + hours; i++) {
    temp[i] = held;
    label[i] = 1;
  }
  log.push(`| flat line | ${start}-${start + hours - 1} | ${dates[start]} | ${hours} h | held at ${held} °C |`);
}

const out = ['date,temperature,anomaly', ...dates.map((d, i) => `${d},${temp[i].toFixed(1)},${label[i]}`)];
writeFileSync(TARGET, out.join('\n') + '\n');
process.stdout.write(`Wrote ${TARGET}: ${temp.length} rows, ${label.filter((l) => l === 1).length} anomalous\n`);
process.stdout.write(['| kind | rows | starts | length | change |', '| --- | --- | --- | --- | --- |', ...log].join('\n') + '\n');
