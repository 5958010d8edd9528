import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Unavailable } from '../../shared/errors';
import { BACKEND_CANDIDATES, detectBackends, forcedBackend, selectBackend, type BackendCandidate } from './index';

describe('compute backends', () => {
  const saved = process.env.TRAINYARD_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRAINYARD_BACKEND;
    else process.env.TRAINYARD_BACKEND = saved;
  });

  it('lists wasm then cpu, both available here', async () => {
    expect(BACKEND_CANDIDATES.map((c) => c.name)).toEqual(['wasm', 'cpu']);
    expect(await detectBackends()).toEqual([
      { name: 'wasm', available: true, reason: null },
      { name: 'cpu', available: true, reason: null },
    ]);
  });

  it('starts the preferred backend and names the device', async () => {
    const b = await selectBackend();
    expect(b.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(b.device).toMatch(/^cpu: /);
  });

  it('honours a forced backend, from the task or TRAINYARD_BACKEND', async () => {
    expect((await selectBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await selectBackend('wasm')).name).toBe('wasm');
    process.env.TRAINYARD_BACKEND = 'cpu';
    expect(forcedBackend()).toBe('cpu');
    expect(forcedBackend('wasm')).toBe('wasm');
    await expect(selectBackend('cuda')).rejects.toThrow('Unknown backend "cuda"; known: wasm, cpu');
  });

  it('falls back past a backend that is not available, and explains a forced one that is not', async () => {
    const missing: BackendCandidate = {
      name: 'gpu',
      probe: async () => ({ available: false, reason: 'no adapter' }),
      activate: async () => undefined,
      device: () => 'gpu',
    };
    const candidates = [missing, ...BACKEND_CANDIDATES];
    const b = await selectBackend(undefined, candidates);
    expect(b.name).toBe('wasm');
    expect(b.skipped).toEqual([{ name: 'gpu', reason: 'no adapter' }]);
    const err = await selectBackend('gpu', candidates).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Unavailable);
    expect((err as Error).message).toBe('The gpu backend is not available here: no adapter');
  });
});
