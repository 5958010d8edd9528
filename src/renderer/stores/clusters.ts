/** The cluster targets and what each says of itself now (partitions, nodes, this user's jobs), for the Monitor. */
import { create } from 'zustand';
import type { Cluster, ClusterStatus } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';

interface ClustersState {
  clusters: Cluster[];
  /** The last status read per cluster, and why the last read failed where it did. */
  status: Record<string, ClusterStatus>;
  errors: Record<string, string>;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
}

export const useClusters = create<ClustersState>((set) => ({
  clusters: [],
  status: {},
  errors: {},
  loaded: false,
  error: null,
  async load() {
    let clusters: Cluster[];
    try {
      clusters = await api().clusters.list({});
    } catch (err) {
      set({ error: errorMessage(err), loaded: true });
      return;
    }
    // One slow or unreachable cluster does not hold back the others.
    const reads = await Promise.allSettled(clusters.map((c) => api().clusters.status({ name: c.name })));
    set((s) => {
      const status = { ...s.status };
      const errors: Record<string, string> = {};
      reads.forEach((r, i) => {
        if (r.status === 'fulfilled') status[clusters[i].name] = r.value;
        else errors[clusters[i].name] = errorMessage(r.reason);
      });
      return { clusters, status, errors, loaded: true, error: null };
    });
  },
}));
