/**
 * A dataset's numeric columns as sparklines: each column's values in file order, cut into at most
 * `points` equal buckets and each bucket reduced to its mean (missing and unreadable cells skipped;
 * a bucket with none left is null, a gap in the line). Enough to see trend, seasonality and holes.
 */
import type { ColumnType, DatasetProfile } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { isMissing, parseNumber } from './cells';
import type { DataTable } from './table';

export function columnSparklines(table: DataTable, types: readonly ColumnType[], points: number): DatasetProfile {
  if (!Number.isInteger(points) || points < 2) throw new InvalidInput('points must be a whole number, 2 or more', 'points');
  const n = table.rows.length;
  const buckets = Math.min(points, n);
  const columns: DatasetProfile['columns'] = [];
  table.columns.forEach((name, c) => {
    if (types[c] !== 'number') return;
    const sums = new Float64Array(buckets);
    const counts = new Uint32Array(buckets);
    for (let r = 0; r < n; r++) {
      const cell = table.rows[r][c];
      if (cell === undefined || isMissing(cell)) continue;
      const v = parseNumber(cell);
      if (v === null || !Number.isFinite(v)) continue;
      const b = Math.min(buckets - 1, Math.floor((r * buckets) / n));
      sums[b] += v;
      counts[b] += 1;
    }
    columns.push({ name, values: Array.from(sums, (s, b) => (counts[b] > 0 ? s / counts[b] : null)) });
  });
  return { columns };
}
