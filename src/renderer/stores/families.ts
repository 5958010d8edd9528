/** The model families the core offers (system.families), loaded once: the forms list them from here. */
import { create } from 'zustand';
import type { ModelFamilyInfo } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';

interface FamiliesState {
  list: ModelFamilyInfo[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
}

export const useFamilies = create<FamiliesState>((set, get) => ({
  list: [],
  loaded: false,
  error: null,
  async load() {
    if (get().loaded) return;
    try {
      set({ list: await api().system.families({}), loaded: true, error: null });
    } catch (err) {
      set({ error: `The model families could not be loaded: ${errorMessage(err)}` });
    }
  },
}));
