import { afterEach, describe, expect, it } from 'vitest';
import type { ModelDetail, RegisteredModel } from '../../shared/contract';
import type { Client } from '../../shared/rpc/client';
import { NotFound } from '../../shared/errors';
import { setClient } from '../api/client';
import { modelRows, useModels } from './models';

function model(name: string, updatedAt: number, latestVersion = 1): RegisteredModel {
  return {
    name,
    description: '',
    tags: {},
    createdAt: 1,
    updatedAt,
    task: 'forecast',
    latestVersion,
    versionCount: latestVersion,
    aliases: {},
    gate: { rules: [], protectedAliases: ['champion'], hooks: [] },
    lastGate: null,
  };
}

/** A connection whose models.get answers from `stored` (after `delay` ms) and counts the calls. */
function fakeClient(stored: Record<string, RegisteredModel>, delay: Record<string, number> = {}) {
  const calls = { get: 0 };
  const api = {
    models: {
      list: async () => Object.values(stored),
      get: async ({ name }: { name: string }): Promise<ModelDetail> => {
        calls.get++;
        await new Promise((r) => setTimeout(r, delay[name] ?? 0));
        const m = stored[name];
        if (!m) throw new NotFound('Model', name);
        return { model: m, versions: [], history: [], reports: [] };
      },
    },
  };
  setClient({ api } as unknown as Client);
  return calls;
}

afterEach(() => {
  useModels.getState().close();
  useModels.setState({ byName: {}, loaded: false, error: null, transfers: {} });
  setClient(null);
});

describe('the models store', () => {
  it('lists models newest-updated first', async () => {
    fakeClient({ a: model('a', 5), b: model('b', 9), c: model('c', 5) });
    await useModels.getState().loadList();
    expect(modelRows(useModels.getState().byName).map((m) => m.name)).toEqual(['b', 'a', 'c']);
  });

  it('re-reads the open model when it is updated, and only that one', async () => {
    const stored = { a: model('a', 1), b: model('b', 1) };
    const calls = fakeClient(stored);
    await useModels.getState().open('a');
    expect(calls.get).toBe(1);
    stored.a = model('a', 2, 2);
    useModels.getState().receiveModel(stored.a);
    useModels.getState().receiveModel(model('b', 3));
    await new Promise((r) => setTimeout(r, 10));
    expect(calls.get).toBe(2);
    expect(useModels.getState().detail?.model.latestVersion).toBe(2);
    expect(useModels.getState().byName.b.updatedAt).toBe(3);
  });

  it('drops the answer for a model no longer open', async () => {
    fakeClient({ slow: model('slow', 1), fast: model('fast', 1) }, { slow: 30 });
    const first = useModels.getState().open('slow');
    await useModels.getState().open('fast');
    await first;
    expect(useModels.getState().openName).toBe('fast');
    expect(useModels.getState().detail?.model.name).toBe('fast');
  });

  it('says why a model cannot be read', async () => {
    fakeClient({});
    await useModels.getState().open('gone');
    expect(useModels.getState().detailError).toMatch(/gone/);
  });

  it('keeps transfers by their id until forgotten', () => {
    const p = { transferId: 't1', direction: 'push' as const, target: 'h/r:t', bytesDone: 1, bytesTotal: 2, state: 'running' as const, error: null };
    useModels.getState().receiveTransfer(p);
    useModels.getState().receiveTransfer({ ...p, bytesDone: 2, state: 'completed' });
    expect(useModels.getState().transfers.t1.state).toBe('completed');
    useModels.getState().forgetTransfer('t1');
    expect(useModels.getState().transfers).toEqual({});
  });
});
