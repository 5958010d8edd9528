/** What the core reports about this machine: platform, backends, workers, data directory, version. */
import { create } from 'zustand';
import type { SystemInfo } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';

interface SystemState {
  info: SystemInfo | null;
  updatedAt: number | null;
  error: string | null;
  load(): Promise<void>;
}

export const useSystem = create<SystemState>((set) => ({
  info: null,
  updatedAt: null,
  error: null,
  async load() {
    try {
      const info = await api().system.info({});
      set({ info, updatedAt: Date.now(), error: null });
    } catch (err) {
      set({ error: errorMessage(err) });
    }
  },
}));
