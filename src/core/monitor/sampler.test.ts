import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import type { MetricRow } from '../store';
import { NvidiaSmi } from './nvidia-smi';
import { startSystemSampler, SYSTEM_METRIC_KEYS } from './sampler';

const children: ChildProcess[] = [];
const dirs: (() => void)[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) d();
});

/** A real process that holds ~96 MB and keeps one core busy until killed. */
async function busyProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', "const b = Buffer.alloc(96 * 1024 * 1024, 1); process.stdout.write('ready\\n'); for (;;) { b[Math.floor(Math.random() * b.length)]++; }"], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`busy process exited with ${code}`)));
  });
  return child;
}

/** Collects what the sampler records, and resolves once `n` samples have arrived. */
function collector(n: number) {
  const samples: MetricRow[][] = [];
  let done!: () => void;
  const enough = new Promise<void>((r) => (done = r));
  return {
    samples,
    enough,
    record(points: MetricRow[]) {
      samples.push(points);
      if (samples.length === n) done();
    },
  };
}

const valueOf = (points: MetricRow[], key: string) => points.find((p) => p.key === key)?.value;

describe('system sampler', () => {
  it('records the machine and a real worker process: its memory, its CPU, numbered samples', async () => {
    const child = await busyProcess();
    const c = collector(4);
    const stop = startSystemSampler({ runId: 'run-1', pid: child.pid!, record: c.record, intervalMs: 150, gpus: null });
    await c.enough;
    await stop();
    const after = c.samples.length;

    expect(c.samples.map((s) => s[0].step)).toEqual([...Array(after).keys()]);
    for (const s of c.samples) {
      expect(new Set(s.map((p) => p.runId))).toEqual(new Set(['run-1']));
      expect(s.every((p) => p.key.startsWith('sys.') && Number.isFinite(p.value))).toBe(true);
      expect(valueOf(s, SYSTEM_METRIC_KEYS.memoryMb)).toBeGreaterThan(0);
      const cpu = valueOf(s, SYSTEM_METRIC_KEYS.cpuPercent);
      expect(cpu).toBeGreaterThanOrEqual(0);
      expect(cpu).toBeLessThanOrEqual(100);
      // The 96 MB buffer is resident: the process's RSS holds it.
      expect(valueOf(s, SYSTEM_METRIC_KEYS.processMemoryMb)).toBeGreaterThan(96);
    }
    // A busy loop uses CPU: over all samples after the first, the process shows real CPU time.
    const procCpu = c.samples.slice(1).map((s) => valueOf(s, SYSTEM_METRIC_KEYS.processCpuPercent) ?? 0);
    expect(Math.max(...procCpu)).toBeGreaterThan(10);
    expect(c.samples.flat().some((p) => p.key.includes('gpu'))).toBe(false);

    // Stopped means stopped: nothing more is recorded.
    await new Promise((r) => setTimeout(r, 400));
    expect(c.samples.length).toBe(after);
  });

  it('keeps sampling the machine after the process ends, and survives a failing record', async () => {
    const child = await busyProcess();
    let calls = 0;
    const c = collector(6);
    const stop = startSystemSampler({
      runId: 'run-2',
      pid: child.pid!,
      intervalMs: 100,
      gpus: null,
      record(points) {
        calls++;
        if (calls === 2) throw new Error('store is busy');
        c.record(points);
        if (calls === 3) child.kill('SIGKILL');
      },
    });
    await c.enough;
    await stop();
    const last = c.samples[c.samples.length - 1];
    expect(valueOf(last, SYSTEM_METRIC_KEYS.memoryMb)).toBeGreaterThan(0);
    expect(valueOf(last, SYSTEM_METRIC_KEYS.processMemoryMb)).toBeUndefined();
  });

  it('records GPU utilisation and memory, and the process’s GPU memory, from an nvidia-smi', async () => {
    const child = await busyProcess();
    const t = tempDir();
    dirs.push(t.cleanup);
    // A stand-in for nvidia-smi printing what the real one prints for these queries.
    const fake = join(t.dir, 'nvidia-smi');
    writeFileSync(
      fake,
      `#!/bin/sh
case "$1" in
  --query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,power.limit) printf '0, GPU-aaaa, NVIDIA H200, 87, 40960, 143771, 60, 400, 700\\n1, GPU-bbbb, NVIDIA H200, [N/A], 0, 143771, 30, 90, 700\\n' ;;
  --query-compute-apps=pid,process_name,used_memory,gpu_uuid) printf '${child.pid}, node, 1532, GPU-aaaa\\n999999, python3, 10, GPU-bbbb\\n' ;;
  *) exit 9 ;;
esac
`,
    );
    chmodSync(fake, 0o755);
    const c = collector(2);
    const stop = startSystemSampler({ runId: 'run-3', pid: child.pid!, record: c.record, intervalMs: 100, gpus: new NvidiaSmi(fake) });
    await c.enough;
    await stop();
    const s = c.samples[1];
    expect(valueOf(s, SYSTEM_METRIC_KEYS.gpuUtilPercent(0))).toBe(87);
    expect(valueOf(s, SYSTEM_METRIC_KEYS.gpuMemoryMb(0))).toBe(40960);
    expect(valueOf(s, SYSTEM_METRIC_KEYS.gpuMemoryPercent(0))).toBeCloseTo((100 * 40960) / 143771);
    expect(valueOf(s, SYSTEM_METRIC_KEYS.gpuUtilPercent(1))).toBeUndefined(); // [N/A] is not a zero
    expect(valueOf(s, SYSTEM_METRIC_KEYS.gpuMemoryMb(1))).toBe(0);
    expect(valueOf(s, SYSTEM_METRIC_KEYS.processGpuMemoryMb)).toBe(1532);
  });

  it('without nvidia-smi, asks once and records the rest', async () => {
    const missing = new NvidiaSmi('/nonexistent/nvidia-smi');
    expect(await missing.sample()).toBeNull();
    const c = collector(2);
    const stop = startSystemSampler({ runId: 'run-4', record: c.record, intervalMs: 50, gpus: missing });
    await c.enough;
    await stop();
    expect(c.samples.flat().map((p) => p.key).filter((k) => k.includes('gpu'))).toEqual([]);
    expect(valueOf(c.samples[0], SYSTEM_METRIC_KEYS.memoryMb)).toBeGreaterThan(0);
  });
});
