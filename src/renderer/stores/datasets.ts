/** Imported datasets and the bundled samples. */
import { create } from 'zustand';
import type { ColumnStats, Dataset, DatasetSource, SampleDataset } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';

interface DatasetsState {
  list: Dataset[];
  samples: SampleDataset[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  /** Imports a dataset and adds it to the list; errors are thrown for the caller to show. */
  importSource(source: DatasetSource, name?: string): Promise<Dataset>;
  /** Renames a dataset in the core and the list; errors are thrown for the caller to show. */
  rename(id: string, name: string): Promise<Dataset>;
  /** Deletes a dataset (the core refuses one a queued or running job uses); errors are thrown. */
  remove(id: string): Promise<void>;
}

const newestFirst = (a: Dataset, b: Dataset) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);

export const useDatasets = create<DatasetsState>((set, get) => ({
  list: [],
  samples: [],
  loaded: false,
  error: null,

  async load() {
    try {
      const [list, samples] = await Promise.all([api().datasets.list({}), api().datasets.samples({})]);
      set({ list: [...list].sort(newestFirst), samples, loaded: true, error: null });
    } catch (err) {
      set({ error: errorMessage(err) });
    }
  },

  async importSource(source, name) {
    const dataset = await api().datasets.import(name ? { source, name } : { source });
    const others = get().list.filter((d) => d.id !== dataset.id);
    set({ list: [dataset, ...others].sort(newestFirst) });
    return dataset;
  },

  async rename(id, name) {
    const dataset = await api().datasets.rename({ id, name });
    set({ list: get().list.map((d) => (d.id === id ? dataset : d)) });
    return dataset;
  },

  async remove(id) {
    await api().datasets.delete({ id });
    set({ list: get().list.filter((d) => d.id !== id) });
  },
}));

export function numericColumns(dataset: Dataset | undefined): string[] {
  return dataset ? dataset.columns.filter((c) => c.type === 'number').map((c) => c.name) : [];
}

const INDEX_NAME_RE = /^(?:id|index|idx|row|rows|row_?id|row_?number|n|no|#|unnamed(?::?\s*\d+)?|level_0)$/i;

/**
 * A column that numbers the rows rather than measures anything: named like an index, or whole
 * numbers from 0 or 1 up to the row count with none missing (what a spreadsheet's or pandas' index
 * export looks like). Never a sensible default to forecast.
 */
export function isIndexLike(column: ColumnStats, rows: number): boolean {
  if (column.type !== 'number') return false;
  if (INDEX_NAME_RE.test(column.name.trim())) return true;
  const { min, max } = column;
  return column.missing === 0 && rows > 2 && min !== null && max !== null && (min === 0 || min === 1) && max - min === rows - 1;
}

const TARGET_KEY = 'trainyard.target.';

/** The target the user last chose for this dataset in this browser, if any. */
export function rememberedTarget(datasetId: string): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(TARGET_KEY + datasetId);
  } catch {
    // Storage refused (a private window's policy): nothing is remembered.
    return null;
  }
}

export function rememberTarget(datasetId: string, column: string): void {
  try {
    if (typeof localStorage !== 'undefined' && column) localStorage.setItem(TARGET_KEY + datasetId, column);
  } catch (err) {
    console.warn('The target column could not be remembered in this browser', err);
  }
}

/**
 * The column to forecast unless the user picks another: the user's last choice for this dataset,
 * else the one asked for (a sample's suggestion), else the only numeric column that is neither the
 * time nor an index; with several candidates it is '' and the form asks.
 */
export function defaultTarget(dataset: Dataset | undefined, samples: SampleDataset[], preferred?: string, remembered = dataset ? rememberedTarget(dataset.id) : null): string {
  const numeric = numericColumns(dataset);
  if (!dataset) return '';
  if (remembered && numeric.includes(remembered)) return remembered;
  if (preferred && numeric.includes(preferred)) return preferred;
  const sample = samples.find((s) => s.file === dataset.filename);
  if (sample && numeric.includes(sample.target)) return sample.target;
  const candidates = dataset.columns.filter((c) => c.type === 'number' && c.name !== dataset.timeColumn && !isIndexLike(c, dataset.rows));
  return candidates.length === 1 ? candidates[0].name : '';
}
