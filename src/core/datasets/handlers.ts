/** The `datasets` group of the API, over the dataset catalogue. */
import type { ApiHandlers } from '../../shared/contract';
import type { DatasetCatalog } from './catalog';

export function datasetsHandlers(datasets: DatasetCatalog): ApiHandlers['datasets'] {
  return {
    samples: async () => datasets.samples(),
    import: ({ source, name }) => datasets.import(source, name),
    list: () => datasets.list(),
    get: ({ id }) => datasets.get(id),
    preview: ({ id, limit }) => datasets.preview(id, limit),
    profile: ({ id, points }) => datasets.profile(id, points),
    rename: ({ id, name }) => datasets.rename(id, name),
    delete: ({ id }) => datasets.delete(id),
  };
}
