import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import { InvalidInput } from '../../shared/errors';
import { openStore, type Store } from '../store';
import { DatasetCatalog } from './index';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function catalog(): { catalog: DatasetCatalog; dir: string; store: Store } {
  const t = tempDir();
  const store = openStore(join(t.dir, 'trainyard.db'));
  cleanups.push(t.cleanup, () => store.close());
  return { catalog: new DatasetCatalog(store, t.dir), dir: t.dir, store };
}

/** A small hourly series with a label column, as Parquet. */
function parquetBytes(): Buffer {
  const n = 48;
  return Buffer.from(
    parquetWriteBuffer({
      columnData: [
        { name: 'time', data: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1, i))), type: 'TIMESTAMP' },
        { name: 'load', data: Float64Array.from({ length: n }, (_, i) => 10 + Math.sin(i / 3)), type: 'DOUBLE' },
        { name: 'anomaly', data: Int32Array.from({ length: n }, (_, i) => (i === 20 ? 1 : 0)), type: 'INT32' },
      ],
    }),
  );
}

describe('dataset catalogue', () => {
  it('lists and imports the anomaly sample with its label column', async () => {
    const { catalog: c } = catalog();
    const sample = c.samples().find((s) => s.file === 'seattle-temperature-anomalies.csv');
    expect(sample).toMatchObject({ target: 'temperature', labelColumn: 'anomaly', frequency: 'hourly' });
    const d = await c.import({ kind: 'sample', file: 'seattle-temperature-anomalies.csv' });
    expect(d).toMatchObject({ name: 'seattle-temperature-anomalies', rows: 8759, timeColumn: 'date', warnings: [] });
    expect(d.columns.map((col) => [col.name, col.type])).toEqual([
      ['date', 'timestamp'],
      ['temperature', 'number'],
      ['anomaly', 'number'],
    ]);
  });

  it('imports a Parquet file from disk: schema types, sha256 of the bytes, a .parquet copy, a preview', async () => {
    const { catalog: c, dir } = catalog();
    const path = join(dir, 'load.parquet');
    const bytes = parquetBytes();
    writeFileSync(path, bytes);
    const d = await c.import({ kind: 'path', path });
    expect(d).toMatchObject({ name: 'load', filename: 'load.parquet', rows: 48, timeColumn: 'time', sizeBytes: bytes.length });
    expect(d.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(d.columns.find((col) => col.name === 'anomaly')).toMatchObject({ type: 'number', min: 0, max: 1 });
    const stored = await c.file(d.id);
    expect(stored.path.endsWith(`${d.id}.parquet`)).toBe(true);
    expect(readFileSync(stored.path)).toEqual(bytes);
    const preview = await c.preview(d.id, 2);
    expect(preview.columns).toEqual(['time', 'load', 'anomaly']);
    expect(preview.rows[1]).toEqual(['2024-01-01T01:00:00.000Z', 10 + Math.sin(1 / 3), 0]);
  });

  it('imports an upload sent as base64 and gives the same dataset as the file on disk', async () => {
    const { catalog: c } = catalog();
    const bytes = parquetBytes();
    const d = await c.import({ kind: 'content', filename: 'upload.parquet', text: bytes.toString('base64'), encoding: 'base64' });
    expect(d.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(d.rows).toBe(48);
    // Text uploads are unchanged: the default encoding is UTF-8.
    const csv = await c.import({ kind: 'content', filename: 'small.csv', text: 'a,b\n1,2\n3,4\n' });
    expect(csv.rows).toBe(2);
  });

  it('refuses invalid base64, a corrupt Parquet upload and a fake .parquet, each with an InvalidInput', async () => {
    const { catalog: c } = catalog();
    const fail = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
    const b64 = await fail(c.import({ kind: 'content', filename: 'x.parquet', text: 'not base64!', encoding: 'base64' }));
    expect(b64).toBeInstanceOf(InvalidInput);
    expect((b64 as InvalidInput).field).toBe('source.text');

    const damaged = parquetBytes();
    for (let i = 8; i < damaged.length - 200; i++) damaged[i] = 0x07;
    const corrupt = await fail(c.import({ kind: 'content', filename: 'x.parquet', text: damaged.toString('base64'), encoding: 'base64' }));
    expect(corrupt).toBeInstanceOf(InvalidInput);
    expect((corrupt as Error).message).toMatch(/Parquet file/);

    const fake = await fail(c.import({ kind: 'content', filename: 'x.parquet', text: 'a,b\n1,2\n3,4\n' }));
    expect((fake as Error).message).toBe('x.parquet is named .parquet but is not a Parquet file (it lacks the PAR1 markers)');
    expect(await c.list()).toEqual([]);
  });

  it('says at import what training would refuse: unreadable cells, missing values, too few rows; stored and listed', async () => {
    const { catalog: c, dir } = catalog();
    // The Seattle normals with three edits: row 5 pressure "n/a", row 9 temperature "NaN", rows 12 and 30 without a wind value.
    const ls = readFileSync(new URL('../../../resources/datasets/seattle-weather-hourly-normals.csv', import.meta.url), 'utf8').trimEnd().split('\n');
    const edit = (row: number, col: number, value: string) => {
      const cells = ls[row - 1].split(',');
      cells[col] = value;
      ls[row - 1] = cells.join(',');
    };
    edit(5, 1, 'n/a');
    edit(9, 2, 'NaN');
    edit(12, 3, '');
    edit(30, 3, '');
    const path = join(dir, 'seattle-edited.csv');
    writeFileSync(path, ls.join('\n') + '\n');
    const d = await c.import({ kind: 'path', path });
    expect(d.rows).toBe(8759); // imported all the same
    expect(d.warnings).toEqual([
      { kind: 'unreadable', column: 'pressure', message: 'Column "pressure": row 5 holds "n/a", not a finite number; training on this column would refuse it' },
      { kind: 'unreadable', column: 'temperature', message: 'Column "temperature": row 9 holds "NaN", not a finite number; training on this column would refuse it' },
      { kind: 'missing', column: 'wind', message: 'Column "wind": 2 missing values (first at row 12); training on it needs missing drop, interpolate or ffill' },
    ]);
    expect((await c.list())[0].warnings).toEqual(d.warnings);

    // A column of words is text, not a column of broken numbers; 20 rows are too few for the default job.
    const words = ['time,level,weather', ...Array.from({ length: 20 }, (_, i) => `2024-01-01T${String(i).padStart(2, '0')}:00:00,${i},${i % 2 ? 'sun' : 'rain'}`)];
    const small = await c.import({ kind: 'content', filename: 'small.csv', text: words.join('\n') });
    expect(small.warnings.map((w) => w.kind)).toEqual(['few_rows']);
    expect(small.warnings[0].message).toMatch(/^20 rows: a job with the default window of \d+, horizon \d+ and 15% \/ 15% validation \/ test split needs at least \d+;/);
  });
});
