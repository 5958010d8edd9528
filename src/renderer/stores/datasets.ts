/** Imported datasets and the bundled samples. */
import { create } from 'zustand';
import type { Dataset, DatasetSource, SampleDataset } from '../../shared/contract';
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

/** The column to forecast unless the user picks another: the sample's suggestion, else the first numeric one. */
export function defaultTarget(dataset: Dataset | undefined, samples: SampleDataset[], preferred?: string): string {
  const numeric = numericColumns(dataset);
  if (preferred && numeric.includes(preferred)) return preferred;
  const sample = dataset && samples.find((s) => s.file === dataset.filename);
  if (sample && numeric.includes(sample.target)) return sample.target;
  return numeric.find((c) => c !== dataset?.timeColumn) ?? numeric[0] ?? '';
}
