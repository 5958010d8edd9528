/**
 * The live monitor in a real core: real worker processes, the real machine, and the stand-in
 * nvidia-smi (first on PATH) replaying the H200's outputs, with a worker's pid put on the GPU.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type CoreApp } from '../../src/core/app';
import { MonitorHistory, MonitorJob, MonitorSnapshot } from '../../src/shared/contract';
import { createClient, createMemoryPair, serveConnection, type Client } from '../../src/shared/rpc';
import { pathWithStandin } from '../helpers/nvidia-smi';
import { tempDir } from '../helpers/tmp';

describe('live monitor', () => {
  let core: CoreApp;
  let client: Client;
  let cleanup: () => void;
  let appsFile: string;

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    appsFile = join(t.dir, 'gpu-apps.csv');
    // The shared reader runs `nvidia-smi` from PATH: this process now has an H200.
    process.env.PATH = pathWithStandin();
    process.env.NVIDIA_SMI_STANDIN_APPS = appsFile;
    core = await createApp({ dataDir: join(t.dir, 'data'), monitorIntervalMs: 300 });
    const [a, b] = createMemoryPair();
    serveConnection({ handlers: core.api, events: core.events, transport: a });
    client = createClient(b);
  });

  afterAll(async () => {
    client?.close();
    await core?.close();
    cleanup?.();
  });

  /** The next live samples until one passes `until`. */
  function sampleWhere(until: (s: MonitorSnapshot) => boolean): Promise<MonitorSnapshot> {
    return new Promise((resolve) => {
      const off = client.on('monitor.sample', (s) => {
        if (until(s)) {
          off();
          resolve(s);
        }
      });
    });
  }

  it('announces samples of the machine and the H200 as events', async () => {
    const s = await sampleWhere(() => true);
    // What the core sends is what the contract says.
    expect(MonitorSnapshot.parse(s)).toEqual(s);
    expect(s.cpu.perCore.length).toBeGreaterThan(0);
    expect(s.memory.totalBytes).toBeGreaterThan(s.memory.usedBytes);
    expect(s.disk?.path).toBe(core.dataDir);
    expect(s.disk!.totalBytes).toBeGreaterThan(0);
    expect(s.gpus).toMatchObject({ available: true, reason: null });
    expect(s.gpus.devices).toEqual([
      expect.objectContaining({ index: 0, name: 'NVIDIA H200', memoryTotalMb: 143771, temperatureC: 34, powerW: 98.1, powerLimitW: 700, processes: [] }),
    ]);
    // The next sample measures CPU over the interval since this one.
    const next = await sampleWhere(() => true);
    expect(next.cpu.totalPercent).toBeGreaterThanOrEqual(0);
    expect(next.cpu.totalPercent).toBeLessThanOrEqual(100);
  });

  it('lists a running job’s worker, matches its GPU process to the job, and keeps the job’s own series', async () => {
    const job = await client.api.jobs.create({ spec: { kind: 'noop', sleepMs: 60_000 } });
    const withWorker = await sampleWhere((s) => s.workers.some((w) => w.jobId === job.id && w.rssMb !== null));
    const worker = withWorker.workers.find((w) => w.jobId === job.id)!;
    expect(worker.pid).toBeGreaterThan(0);
    expect(worker.rssMb).toBeGreaterThan(10);
    expect(worker.heartbeatAgeMs).toBeGreaterThanOrEqual(0);
    expect(worker.uptimeMs).toBeGreaterThanOrEqual(0);

    // The worker appears on the GPU (as nvidia-smi would list it), and another program beside it.
    writeFileSync(appsFile, `${worker.pid}, node, 2048\n1, other-program, 512\n`);
    const onGpu = await sampleWhere((s) => (s.gpus.devices[0]?.processes.length ?? 0) === 2);
    expect(onGpu.gpus.devices[0].processes).toEqual([
      { pid: worker.pid, name: 'node', usedMemoryMb: 2048, jobId: job.id },
      { pid: 1, name: 'other-program', usedMemoryMb: 512, jobId: null },
    ]);

    await expect.poll(async () => (await client.api.monitor.job({ jobId: job.id })).series.ts.length, { timeout: 20_000 }).toBeGreaterThan(2);
    const mine = await client.api.monitor.job({ jobId: job.id });
    expect(MonitorJob.parse(mine)).toEqual(mine);
    expect(MonitorSnapshot.parse(onGpu)).toEqual(onGpu);
    expect(mine).toMatchObject({ running: true, worker: { pid: worker.pid, jobId: job.id }, gpuMemoryMb: 2048 });
    expect(mine.series.rssMb.every((v) => v === null || v > 10)).toBe(true);
    expect(mine.series.gpuMemoryMb).toContain(2048);

    await client.api.jobs.cancel({ id: job.id });
    await expect.poll(async () => (await client.api.monitor.job({ jobId: job.id })).running, { timeout: 20_000 }).toBe(false);
    // What it used while it ran stays readable after it ended.
    const ended = await client.api.monitor.job({ jobId: job.id });
    expect(ended).toMatchObject({ running: false, worker: null });
    expect(ended.series.ts.length).toBeGreaterThan(2);
    await expect(client.api.monitor.job({ jobId: 'NO-SUCH-JOB' })).rejects.toThrow(/NO-SUCH-JOB/);
  });

  it('history: the last hour holds the samples, with GPU series', async () => {
    const h = await client.api.monitor.history({ range: '1h' });
    expect(MonitorHistory.parse(h)).toEqual(h);
    for (const range of ['6h', '24h'] as const) {
      const other = await client.api.monitor.history({ range });
      expect(MonitorHistory.parse(other)).toEqual(other);
      expect(other.ts.length).toBeGreaterThan(0);
    }
    expect(h.ts.length).toBeGreaterThan(0);
    expect(Object.keys(h.series)).toEqual(expect.arrayContaining(['cpu', 'memory', 'disk', 'workers', 'gpu0.util', 'gpu0.memory', 'gpu0.temperature', 'gpu0.power']));
    expect(h.series['gpu0.temperature'].at(-1)).toBe(34);
    await expect(client.api.monitor.history({ range: '2h' as '1h' })).rejects.toThrow(/range/);
  });
});
