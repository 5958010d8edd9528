import type { ApiHandlers } from '../../shared/contract';
import type { ClusterService } from './service';

export function clustersHandlers(clusters: ClusterService): ApiHandlers['clusters'] {
  return {
    add: (input) => clusters.add(input),
    list: async () => clusters.list(),
    remove: async ({ name }) => {
      await clusters.remove(name);
      return { removed: name };
    },
    status: ({ name }) => clusters.status(name),
  };
}
