import { describe, expect, it } from 'vitest';
import type { ColumnStats, Dataset } from '../../shared/contract';
import { defaultTarget, isIndexLike } from './datasets';

const num = (name: string, min: number, max: number, missing = 0): ColumnStats => ({ name, type: 'number', missing, min, max, mean: (min + max) / 2 });

function dataset(columns: ColumnStats[], rows = 100): Dataset {
  return { id: 'd1', name: 'load', filename: 'load.csv', sha256: 'x', sizeBytes: 1, rows, columns, timeColumn: 'time', warnings: [], cannotTrain: null, createdAt: 0 };
}

const time: ColumnStats = { name: 'time', type: 'timestamp', missing: 0, min: 0, max: 1, mean: null };

describe('the default target', () => {
  it('tells an index column by its name or by numbering the rows', () => {
    expect(isIndexLike(num('Unnamed: 0', 0, 99), 100)).toBe(true);
    expect(isIndexLike(num('id', 7, 3000), 100)).toBe(true);
    expect(isIndexLike(num('seq', 1, 100), 100)).toBe(true);
    expect(isIndexLike(num('load', 1, 100, 3), 100)).toBe(false);
    expect(isIndexLike(num('load', 3.2, 80), 100)).toBe(false);
  });

  it('is the remembered choice, else the sample suggestion, else the only measured column', () => {
    const d = dataset([time, num('index', 0, 99), num('load', 2, 9)]);
    expect(defaultTarget(d, [], undefined, null)).toBe('load');
    const two = dataset([time, num('index', 0, 99), num('load', 2, 9), num('temp', -3, 30)]);
    expect(defaultTarget(two, [], undefined, 'temp')).toBe('temp');
    expect(defaultTarget(two, [], 'load', 'gone')).toBe('load');
  });

  it('asks (empty) when several columns could be the target, rather than take the first', () => {
    const two = dataset([time, num('index', 0, 99), num('load', 2, 9), num('temp', -3, 30)]);
    expect(defaultTarget(two, [], undefined, null)).toBe('');
    expect(defaultTarget(dataset([time, num('row', 1, 100)]), [], undefined, null)).toBe('');
  });
});
