import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInput, Unavailable } from '../../shared/errors';
import {
  BACKEND_CANDIDATES,
  detectBackends,
  forcedBackend,
  nativeTensorflowBackend,
  optionalImport,
  selectBackend,
  type BackendCandidate,
} from './index';

const fake = (name: string, available: boolean, reason = 'no adapter'): BackendCandidate & { activated: number } => {
  const c = {
    name,
    activated: 0,
    probe: async () => ({ available, reason: available ? null : reason }),
    activate: async () => {
      c.activated++;
    },
    device: () => `${name}-device`,
  };
  return c;
};

describe('compute backends', () => {
  const saved = process.env.TRAINYARD_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRAINYARD_BACKEND;
    else process.env.TRAINYARD_BACKEND = saved;
  });

  it('prefers tfjs-node-gpu, then tfjs-node, then WebGPU (Dawn), then wasm, then cpu', async () => {
    expect(BACKEND_CANDIDATES.map((c) => c.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
    const found = await detectBackends();
    expect(found.map((b) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
    // wasm and cpu ship with Trainyard; the others depend on the machine, and say why when absent.
    expect(found.slice(3)).toEqual([
      { name: 'wasm', available: true, reason: null },
      { name: 'cpu', available: true, reason: null },
    ]);
    for (const b of found) if (!b.available) expect(b.reason).toMatch(/\w{6,}/);
  });

  it('starts the first available backend and names the device', async () => {
    const found = await detectBackends();
    const first = found.find((b) => b.available)!.name;
    const b = await selectBackend();
    expect(b.name).toBe(first);
    expect(tf.getBackend()).toBe(first === 'tensorflow-gpu' ? 'tensorflow' : first);
    expect(b.device).toMatch(/^(cpu|gpu): ./);
    expect(b.skipped.map((s) => s.name)).toEqual(found.slice(0, found.findIndex((x) => x.available)).map((x) => x.name));
  });

  it('honours a forced backend, from the task or TRAINYARD_BACKEND, and knows the packages’ names', async () => {
    expect((await selectBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await selectBackend('wasm')).name).toBe('wasm');
    process.env.TRAINYARD_BACKEND = 'cpu';
    expect(forcedBackend()).toBe('cpu');
    expect(forcedBackend('wasm')).toBe('wasm');
    expect(forcedBackend(' WASM ')).toBe('wasm');
    expect(forcedBackend('tfjs-node-gpu')).toBe('tensorflow-gpu');
    expect(forcedBackend('cuda')).toBe('tensorflow-gpu');
    expect(forcedBackend('tfjs-node')).toBe('tensorflow');
    process.env.TRAINYARD_BACKEND = 'auto';
    expect(forcedBackend()).toBeUndefined();
    const err = await selectBackend('tpu').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).field).toBe('backend');
    expect((err as Error).message).toBe('Unknown backend "tpu"; known: tensorflow-gpu, tensorflow, webgpu, wasm, cpu');
  });

  it('falls back past a backend that is not available, and explains a forced one that is not', async () => {
    const gpu = fake('gpu', false);
    const other = fake('other', true);
    const b = await selectBackend(undefined, [gpu, other]);
    expect(b).toMatchObject({ name: 'other', device: 'other-device', skipped: [{ name: 'gpu', reason: 'no adapter' }] });
    expect(gpu.activated).toBe(0);
    const err = await selectBackend('gpu', [gpu, other]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Unavailable);
    expect((err as Error).message).toBe('The gpu backend is not available here: no adapter');
  });

  it('falls back past a backend that probes well but fails to start, and says so when it was forced', async () => {
    const broken: BackendCandidate = { ...fake('broken', true), activate: async () => Promise.reject(new Error('driver crashed')) };
    const b = await selectBackend(undefined, [broken, fake('cpu2', true)]);
    expect(b.name).toBe('cpu2');
    expect(b.skipped).toEqual([{ name: 'broken', reason: 'driver crashed' }]);
    const err = await selectBackend('broken', [broken]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Unavailable);
    expect((err as Error).message).toBe('The broken backend failed to start: driver crashed');
  });

  it('imports an optional package only when it is there, and never breaks when it is not', async () => {
    const missing = nativeTensorflowBackend({ name: 'native', pkg: '@tensorflow/tfjs-node-not-a-package', gpu: false });
    expect(await missing.probe()).toEqual({
      available: false,
      reason: '@tensorflow/tfjs-node-not-a-package is not installed (optional: it downloads libtensorflow at install time)',
    });
    await expect(missing.activate()).rejects.toThrow('@tensorflow/tfjs-node-not-a-package is not installed');
    const err = await selectBackend('native', [missing, fake('cpu2', true)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Unavailable);
    expect((err as Error).message).toMatch(/^The native backend is not available here: .* is not installed/);
    // A package that is installed loads through the same guard.
    expect(typeof (await optionalImport<{ version: unknown }>('@tensorflow/tfjs')).version).toBe('object');
  });
});
