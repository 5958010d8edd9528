/**
 * Registered models, the one open on screen, and transfers in flight. The list is loaded with
 * models.list and kept live by 'model.updated' (which also re-reads the open model's detail, since
 * a new version or an alias move changes its versions and history); transfers are followed by
 * 'model.transfer', keyed by the transfer id the dialog chose.
 */
import { create } from 'zustand';
import type { ModelDetail, RegisteredModel, TransferProgress } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';

interface ModelsState {
  byName: Record<string, RegisteredModel>;
  loaded: boolean;
  error: string | null;
  /** The model whose detail is held. */
  openName: string | null;
  detail: ModelDetail | null;
  detailError: string | null;
  transfers: Record<string, TransferProgress>;
  loadList(): Promise<void>;
  /** Holds this model's detail (and drops another's). */
  open(name: string): Promise<void>;
  close(): void;
  /** Re-reads the open model's detail. */
  reload(): Promise<void>;
  receiveModel(model: RegisteredModel): void;
  receiveTransfer(progress: TransferProgress): void;
  forgetTransfer(id: string): void;
}

/** Bumped on each open, so an answer for a model no longer open is dropped. */
let openGeneration = 0;

export const useModels = create<ModelsState>((set, get) => ({
  byName: {},
  loaded: false,
  error: null,
  openName: null,
  detail: null,
  detailError: null,
  transfers: {},

  async loadList() {
    try {
      const list = await api().models.list({});
      const byName: Record<string, RegisteredModel> = {};
      for (const m of list) byName[m.name] = m;
      set({ byName, loaded: true, error: null });
    } catch (err) {
      set({ loaded: true, error: errorMessage(err) });
    }
  },

  async open(name) {
    openGeneration++;
    set({ openName: name, detail: null, detailError: null });
    await get().reload();
  },

  close() {
    openGeneration++;
    set({ openName: null, detail: null, detailError: null });
  },

  async reload() {
    const name = get().openName;
    if (!name) return;
    const generation = openGeneration;
    try {
      const detail = await api().models.get({ name });
      if (generation !== openGeneration) return;
      set({ detail, detailError: null, byName: { ...get().byName, [name]: detail.model } });
    } catch (err) {
      if (generation === openGeneration) set({ detailError: errorMessage(err) });
    }
  },

  receiveModel(model) {
    set({ byName: { ...get().byName, [model.name]: model } });
    if (get().openName === model.name) void get().reload();
  },

  receiveTransfer(progress) {
    set({ transfers: { ...get().transfers, [progress.transferId]: progress } });
  },

  forgetTransfer(id) {
    const transfers = { ...get().transfers };
    delete transfers[id];
    set({ transfers });
  },
}));

/** Models most recently updated first. */
export function modelRows(byName: Record<string, RegisteredModel>): RegisteredModel[] {
  return Object.values(byName).sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name));
}
