/**
 * Data handling through the whole pipeline, for a forecast and an anomaly family: the job's `data`
 * options reach the one shared load, the run's log says what was done, and the exact split
 * boundaries land in the run params and the model card.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../../test/helpers/tmp';
import { DataHandling, type DataHandlingInput } from '../../shared/contract';
import { runDataSummary } from '../../shared/run-data';
import { runTrainTask } from './index';
import { collect, datasetFile, sampleTask } from './testing';

const tmp = tempDirPerTest();

/** The anomaly sample with a resent, normal reading of spreadsheet row 502 (the spike at data row 500) added after it. */
function anomalySampleWithResend(dir: string): string {
  const ls = readFileSync(datasetFile('seattle-temperature-anomalies.csv'), 'utf8').trimEnd().split('\n');
  ls.splice(502, 0, `${ls[501].split(',')[0]},5.0,0`);
  const path = join(dir, 'resent.csv');
  writeFileSync(path, ls.join('\n') + '\n');
  return path;
}

describe('data handling in a run', () => {
  it('a linear forecast split at rows [6131, 7445] records exactly those boundaries, in params and card', async () => {
    const dir = tmp();
    const c = collect();
    const task = sampleTask(dir, 'seattle-weather-hourly-normals.csv', 'temperature', { epochs: 3 }, {}, {
      model: 'linear',
      data: { timeOrder: 'sort', duplicates: 'refuse', missing: 'refuse', split: { rows: [6131, 7445] } },
    });
    const result = await runTrainTask(task, { emit: c.emit });
    expect(result.params).toMatchObject({
      'split.method': 'rows',
      'split.train.first_row': 0,
      'split.train.last_row': 6130,
      'split.val.first_row': 6131,
      'split.val.last_row': 7444,
      'split.test.first_row': 7445,
      'split.test.last_row': 8758,
      'split.test.to': '2010-12-31T23:00:00Z',
      'data.rows_read': 8759,
      'data.rows': 8759,
    });
    const summary = runDataSummary(result.params)!;
    expect(summary.parts.map((p) => [p.part, p.firstRow, p.lastRow])).toEqual([
      ['train', 0, 6130],
      ['val', 6131, 7444],
      ['test', 7445, 8758],
    ]);
    expect(c.logs().find((l) => l.startsWith('Split at the rows data.split names'))).toMatch(
      /train rows 0-6130 \(6131; 2010-01-01T01:00:00Z to .*\), validation rows 6131-7444 \(1314; .*\), test rows 7445-8758 \(1314; .* to 2010-12-31T23:00:00Z\)$/,
    );
    // Every test prediction is of a test row: as many predictions as test rows.
    const predictions = readFileSync(result.artifacts.find((a) => a.kind === 'predictions')!.path, 'utf8').trimEnd().split('\n');
    expect(predictions).toHaveLength(1 + 1314);
    const card = JSON.parse(readFileSync(result.artifacts.find((a) => a.kind === 'card')!.path, 'utf8'));
    expect(card.split.by).toBe('rows');
    expect(card.split.boundaries.test).toEqual({ firstRow: 7445, lastRow: 8758, rows: 1314, from: expect.any(String), to: '2010-12-31T23:00:00Z' });
    expect(card.data).toMatchObject({ rowsRead: 8759, rows: 8759, timeOrder: { policy: 'sort', outOfOrder: 0 } });
  });

  it('an isolation forest on a file with a resent hour: refused by default, merged under mean with the label kept', async () => {
    const dir = tmp();
    const path = anomalySampleWithResend(dir);
    const extra = { datasetPath: path };
    const spec = (data: DataHandlingInput) => ({ model: 'isolation_forest' as const, labelColumn: 'anomaly', data: DataHandling.parse(data) });
    const refused = sampleTask(dir, '', 'temperature', { trees: 20 }, extra, spec({}));
    await expect(runTrainTask(refused, { emit: () => {} })).rejects.toThrow(/^Duplicate timestamp 2010-01-21T21:00:00 in column "date" at rows 502 and 503/);

    const c = collect();
    const merged = sampleTask(dir, '', 'temperature', { trees: 20 }, { ...extra, runId: 'run-2' }, spec({ duplicates: 'mean', split: { valFrom: '2010-09-01', testFrom: '2010-11-01' } }));
    const result = await runTrainTask(merged, { emit: c.emit });
    expect(result.params).toMatchObject({ 'data.duplicates': 'mean', 'data.rows_read': 8760, 'data.rows': 8759, 'data.rows_merged': 1, 'split.method': 'dates' });
    expect(result.params['split.val.from']).toBe('2010-09-01');
    expect(result.params['split.test.from']).toBe('2010-11-01');
    expect(c.logs()).toContain(
      'Resolved 1 repeated timestamp (1 row merged) by keeping the mean of each column (the label: the max); first: 2010-01-21T21:00:00 at rows 502, 503',
    );
    // Every labelled anomaly survives the merge: 315 in the file, as before the resend.
    expect(c.logs().some((l) => l.startsWith('Label column anomaly: 315 rows marked anomalous'))).toBe(true);
  });
});
