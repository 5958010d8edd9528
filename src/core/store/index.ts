export { openStore, type Store } from './connection';
export { migrate, schemaVersion } from './migrate';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';
export type { DB } from './schema';
export { DatasetRepository, type StoredDataset } from './repositories/datasets';
export { JobRepository, toJob, type JobRow, type NewTransition } from './repositories/jobs';
export { RunRepository, type MetricRow } from './repositories/runs';
