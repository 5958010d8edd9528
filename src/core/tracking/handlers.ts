/** The `runs` group of the API, over the tracking capability. Inputs arrive validated by the contract. */
import type { ApiHandlers } from '../../shared/contract';
import type { Tracking } from './index';

export function runsHandlers(tracking: Tracking): ApiHandlers['runs'] {
  return {
    list: (input) => tracking.list(input),
    get: ({ id }) => tracking.get(id),
    metrics: ({ id, keys, maxPoints, from, to }) => tracking.metrics(id, keys, maxPoints, { from, to }),
    exportSeries: ({ id, key }) => tracking.exportSeries(id, key),
    experiments: () => tracking.experiments(),
    keys: () => tracking.keys(),
    compare: ({ ids }) => tracking.compare(ids),
    update: ({ id, ...change }) => tracking.update(id, change),
    delete: ({ ids }) => tracking.delete(ids),
    artifact: ({ id }) => tracking.artifactFile(id),
    artifactContent: ({ id }) => tracking.artifactContent(id),
    export: (input) => tracking.export(input),
  };
}
