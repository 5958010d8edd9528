import { BUCKET_WIDTHS, rebuildBucketsSql } from '../repositories/metric-buckets';
import type { Migration } from './types';

/**
 * `metric_buckets`: multi-resolution summaries of every metric series (see
 * repositories/metric-buckets.ts), kept on write in the transaction that inserts the points, and
 * filled here from the points already stored. Rows go with their run (ON DELETE CASCADE).
 */
export const metricSummaries: Migration = {
  version: 10,
  name: 'metric-summaries',
  sql: `
    CREATE TABLE metric_buckets (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      width INTEGER NOT NULL,
      bucket INTEGER NOT NULL,
      n INTEGER NOT NULL,
      first_step INTEGER NOT NULL, first_ts INTEGER NOT NULL, first_value REAL NOT NULL,
      last_step INTEGER NOT NULL, last_ts INTEGER NOT NULL, last_value REAL NOT NULL,
      min_step INTEGER NOT NULL, min_ts INTEGER NOT NULL, min_value REAL NOT NULL,
      max_step INTEGER NOT NULL, max_ts INTEGER NOT NULL, max_value REAL NOT NULL,
      PRIMARY KEY (run_id, key, width, bucket)
    ) WITHOUT ROWID;
    ${BUCKET_WIDTHS.map(backfill).join('\n')}
  `,
};

function backfill(width: number): string {
  const { head, tail } = rebuildBucketsSql(width);
  return `${head}${tail};`;
}
