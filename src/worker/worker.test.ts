/**
 * The worker as the core sees it: a real child process started by the fork launcher, driven over
 * comlink, reporting on the event channel.
 */
import * as Comlink from 'comlink';
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp';
import { collect, sampleTask } from '../core/pipeline/testing';
import { CANCELLED_MESSAGE, comlinkEndpoint, forkLauncher, type WorkerApi } from '../core/workers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function start() {
  const { dir, cleanup } = tempDir();
  const handle = forkLauncher({ env: {} });
  const c = collect();
  handle.onMessage((env) => {
    if (env.ch === 'evt') c.emit(env.e);
  });
  const remote = Comlink.wrap<WorkerApi>(comlinkEndpoint(handle));
  cleanups.push(() => {
    handle.kill('SIGKILL');
    cleanup();
  });
  return { dir, handle, remote, c };
}

describe('worker process', () => {
  it('trains a short job, streaming progress, logs, metrics and heartbeats', async () => {
    const { dir, remote, c } = start();
    const backends = await remote.backends();
    expect(backends.backend).toBe('wasm');
    expect(backends.backends.map((b) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu']);

    const task = sampleTask(dir, 'co2-concentration.csv', 'CO2', { epochs: '3', patience: 0 });
    const result = await remote.train(task);

    expect(result.params.epochs).toBe(3);
    expect(result.backend).toBe('wasm');
    expect(Number.isFinite(result.metrics['test.rmse'])).toBe(true);
    expect(Number.isFinite(result.metrics['naive.rmse'])).toBe(true);
    for (const a of result.artifacts) expect(existsSync(a.path)).toBe(true);
    expect(result.artifacts.map((a) => a.kind)).toEqual(['model', 'weights', 'preprocessing', 'card', 'predictions']);

    const progress = c.progress();
    expect(progress[progress.length - 1]).toMatchObject({ step: 'register', fraction: 1 });
    expect(c.metrics('loss').map((m) => m.step)).toEqual([1, 2, 3]);
    expect(c.metrics('val_loss')).toHaveLength(3);
    expect(c.logs().some((l) => l.startsWith('Loaded 741 rows from co2-concentration.csv'))).toBe(true);
    expect(c.logs()).toContain(c.logs().find((l) => l.startsWith('Epoch 3/3 loss=')));
    expect(c.events.some((e) => e.type === 'heartbeat')).toBe(true);
  });

  it('rejects with the error message intact when training fails', async () => {
    const { dir, remote } = start();
    await expect(remote.train(sampleTask(dir, 'co2-concentration.csv', 'co2'))).rejects.toThrow(
      'Column "co2" is not in the file; the columns are "Date", "CO2", "adjusted CO2"',
    );
    await expect(remote.train(sampleTask(dir, 'co2-concentration.csv', 'CO2', { epochz: 3 }))).rejects.toThrow(
      /^params\.epochz: unknown parameter/,
    );
  });

  it('stops mid-training on cancel: train rejects with "cancelled"', async () => {
    const { dir, handle, remote, c } = start();
    const task = sampleTask(dir, 'seattle-weather-hourly-normals.csv', 'temperature', { epochs: 5000, patience: 0 });
    const sawEpoch = new Promise<void>((resolve) => {
      handle.onMessage((env) => {
        if (env.ch === 'evt' && env.e.type === 'metric') resolve();
      });
    });
    const training = remote.train(task);
    const outcome = training.then(
      () => 'completed',
      (e: Error) => e.message,
    );
    await sawEpoch;
    // Heartbeats keep coming while it trains: the loop hands the event loop a turn between batches.
    await new Promise<void>((resolve) => {
      let beats = 0;
      const off = handle.onMessage((env) => {
        if (env.ch === 'evt' && env.e.type === 'heartbeat' && ++beats === 2) {
          off();
          resolve();
        }
      });
    });
    expect(c.progress().some((p) => p.step === 'register')).toBe(false);
    await remote.cancel();
    expect(await outcome).toBe(CANCELLED_MESSAGE);
    expect(c.metrics('loss').length).toBeLessThan(5000);
    expect(existsSync(task.modelDir)).toBe(false);
  });

  it('exits when its parent disconnects', async () => {
    // Forked directly: the launcher's handle hides the child, and a parent that dies only disconnects.
    const child = fork(fileURLToPath(new URL('./index.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    cleanups.push(() => child.kill('SIGKILL'));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => child.once('message', () => resolve()));
    child.disconnect();
    expect(await exited).toBe(0);
  });
});
