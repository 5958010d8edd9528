/**
 * The dataset catalogue (rows in the store, immutable copies in the data directory). It lives apart
 * from data/ so worker processes, which import data/ to parse and window series, never load the store.
 */
export { DatasetCatalog, contentBytes } from './catalog';
export type { PathImports } from './path-imports';
export { datasetsHandlers } from './handlers';
