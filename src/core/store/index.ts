export { openStore, type Store } from './connection';
export { DiskReserve, RESERVE_FILE, asDiskFull, diskFull, isDiskFull } from './disk-full';
export { migrate, schemaVersion } from './migrate';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';
export type { AliasEventsTable, ClustersTable, DB, GateReportsTable, ModelVersionsTable, RegisteredModelsTable, StudiesTable, TrialsTable } from './schema';
export { DatasetRepository, type StoredDataset } from './repositories/datasets';
export { JobRepository, toJob, type JobRow, type NewTransition } from './repositories/jobs';
export { SettingsRepository } from './repositories/settings';
export { RunRepository, latestPerSeries, storable, type MetricRow, type RunOrder, type RunSelection } from './repositories/runs';
