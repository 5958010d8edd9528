/** What the registry needs from the rest of the core. */
import type { DatasetCatalog } from '../datasets';
import type { EventBus } from '../events';
import type { Store } from '../store';
import type { Tracking } from '../tracking';
import type { WorkerPool } from '../workers';
import type { SecretStore } from './exporters/credentials';
import type { ModelScorer } from './ports';

export interface RegistryDeps {
  store: Store;
  bus: EventBus;
  tracking: Tracking;
  datasets: DatasetCatalog;
  pool: WorkerPool;
  dataDir: string;
  /** Where registry credentials are kept; the desktop shell passes one backed by Electron's safeStorage. Default: `<dataDir>/credentials.json`. */
  secrets?: SecretStore;
}

/** The core part also needs a scorer, for the gate's champion rule. */
export interface RegistryCoreDeps extends RegistryDeps {
  scorer: ModelScorer;
}
