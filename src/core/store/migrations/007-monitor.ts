import type { Migration } from './types';

/**
 * The monitor's 24 h of history, bounded by construction: each resolution is a ring of 360 fixed
 * buckets (10 s over 1 h, 60 s over 6 h, 240 s over 24 h), a bucket's slot is its start time divided
 * by its width modulo 360, and writing a bucket replaces whatever an older lap left in that slot.
 * The table never holds more than 3 × 360 rows. `series` is a JSON object of series name → mean.
 */
export const monitor: Migration = {
  version: 7,
  name: 'monitor',
  sql: `
    CREATE TABLE monitor_history (
      resolution TEXT NOT NULL,
      slot INTEGER NOT NULL CHECK (slot >= 0),
      bucket_start INTEGER NOT NULL,
      samples INTEGER NOT NULL CHECK (samples > 0),
      series TEXT NOT NULL,
      PRIMARY KEY (resolution, slot)
    ) WITHOUT ROWID;
  `,
};
