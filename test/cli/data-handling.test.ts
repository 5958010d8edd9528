/**
 * Real data as it comes, from the command line: a real `trainyard` process imports an edited copy of
 * the bundled Seattle normals (warned about at once), trains with --missing, --duplicates and an
 * exact --split-rows, and `runs show` prints the boundaries to the row; bad splits are refused at
 * submit with the field named.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job, Run } from '../../src/shared/contract';
import { trainyardCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const SEATTLE = fileURLToPath(new URL('../../resources/datasets/seattle-weather-hourly-normals.csv', import.meta.url));
const t = tempDir();
afterAll(() => t.cleanup());
const { run: trainyard, json } = trainyardCli(t.dir);



/**
 * The Seattle normals with the temperature of spreadsheet row 40 blanked and row 60 (2010-01-03T11:00)
 * resent with another temperature right after it: 8,760 data rows, 8,759 once the resend is merged.
 */
function editedSeattle(): string {
  const ls = readFileSync(SEATTLE, 'utf8').trimEnd().split('\n');
  const blank = ls[39].split(',');
  blank[2] = '';
  ls[39] = blank.join(',');
  const resend = ls[59].split(',');
  resend[2] = String(Number(resend[2]) + 2);
  ls.splice(60, 0, resend.join(','));
  const path = join(t.dir, 'seattle-edited.csv');
  writeFileSync(path, ls.join('\n') + '\n');
  return path;
}

describe('trainyard CLI: data handling', () => {
  it('warns at import, trains with the flags, and shows the exact split boundaries', () => {
    const imported = trainyard('datasets', 'import', editedSeattle(), '--name', 'seattle');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('warning: Column "temperature": 1 missing value (first at row 40); training on it needs missing drop, interpolate or ffill');
    expect(trainyard('datasets', 'list').stdout).toContain('seattle: Column "temperature": 1 missing value (first at row 40)');

    const refused = trainyard('jobs', 'submit', '--dataset', 'seattle', '--target', 'temperature', '--model', 'linear', '--split-rows', '6131,9000');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/spec\.data\.split\.rows: the first test row 9000 is past the last row of dataset seattle \(8760 rows/);
    const half = trainyard('jobs', 'submit', '--dataset', 'seattle', '--target', 'temperature', '--val-from', '2010-11-01');
    expect(half.code).not.toBe(0);
    expect(half.stderr).toMatch(/A split by date needs both --val-from and --test-from/);

    const job = json<Job>(
      'jobs', 'submit', '--dataset', 'seattle', '--target', 'temperature', '--model', 'linear', '--param', 'epochs=2',
      '--missing', 'interpolate', '--duplicates', 'mean', '--split-rows', '6131,7445',
    );
    expect(job.spec).toMatchObject({ data: { timeOrder: 'sort', duplicates: 'mean', missing: 'interpolate', split: { rows: [6131, 7445] } } });
    const done = json<Job>('jobs', 'wait', job.id);
    expect(done.status, done.error ?? undefined).toBe('completed');

    const run = json<Run>('runs', 'show', done.runId!);
    expect(run.params).toMatchObject({
      'data.rows_read': 8760,
      'data.rows': 8759,
      'data.rows_merged': 1,
      'data.missing.temperature': 1,
      'split.val.first_row': 6131,
      'split.test.first_row': 7445,
      'split.test.last_row': 8758,
    });
    const shown = trainyard('runs', 'show', done.runId!).stdout;
    expect(shown).toContain('split (by rows; rows are 0-based data rows after resolution):');
    const line = (part: string) => shown.split('\n').find((l) => l.startsWith(`${part} `))?.split(/\s{2,}/);
    expect(line('train')).toEqual(['train', '0', '6130', '6131', '2010-01-01T01:00:00Z', '2010-09-13T11:00:00Z']);
    expect(line('validation')).toEqual(['validation', '6131', '7444', '1314', '2010-09-13T12:00:00Z', '2010-11-07T05:00:00Z']);
    expect(line('test')).toEqual(['test', '7445', '8758', '1314', '2010-11-07T06:00:00Z', '2010-12-31T23:00:00Z']);
    expect(shown).toContain('duplicates: mean (1 repeated timestamp, 1 row merged)');
    expect(shown).toContain('missing: interpolate (temperature: 1)');
  });

  it('refuses a date split on a dataset without a time column', () => {
    const path = join(t.dir, 'no-time.csv');
    writeFileSync(path, ['a,b', ...Array.from({ length: 60 }, (_, i) => `${i},${i * 2}`)].join('\n') + '\n');
    expect(trainyard('datasets', 'import', path).code).toBe(0);
    const r = trainyard('jobs', 'submit', '--dataset', 'no-time', '--target', 'b', '--val-from', '2010-01-01', '--test-from', '2010-02-01');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/spec\.data\.split: a split by date needs a time column, and dataset no-time has none/);
  });
});
