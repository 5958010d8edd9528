/**
 * System metrics while a run runs: every `intervalMs`, the machine's CPU and memory, the worker
 * process's CPU and memory, and each GPU's utilisation and memory (where nvidia-smi answers), handed
 * to `record` as metric points of the run (`sys.*` keys, step = sample number). The queue passes a
 * `record` that batches them with the run's other metrics.
 *
 * Ticks never overlap (the next is scheduled when one ends), the timer never keeps the process
 * alive, and a failing reading or `record` is skipped, never thrown: monitoring must not fail a run.
 */
import type { MetricRow } from '../store';
import { MachineReader, ProcessReader } from './process';
import { nvidiaSmi, type GpuProcess, type GpuSample } from './nvidia-smi';

export interface SystemSamplerOptions {
  runId: string;
  /** The worker process to follow; omit to record the machine only. */
  pid?: number;
  record: (points: MetricRow[]) => void | Promise<void>;
  /** Hears of the first sample that failed (later ones fail the same way; one report is enough). */
  onError?: (err: unknown) => void;
  intervalMs?: number;
  /** The first sample's step (a continued run's samples go on from its last; default 0). */
  firstStep?: number;
  /** Where GPU readings come from; null for none. Defaults to the shared reader of `nvidia-smi` on PATH. */
  gpus?: { sample(): Promise<{ gpus: GpuSample[]; processes: GpuProcess[] } | null> } | null;
}

/** What every system metric's key starts with. */
export const SYSTEM_METRIC_PREFIX = 'sys.';

export const SYSTEM_METRIC_KEYS = {
  cpuPercent: 'sys.cpu_percent',
  memoryMb: 'sys.memory_mb',
  memoryPercent: 'sys.memory_percent',
  processCpuPercent: 'sys.process.cpu_percent',
  processMemoryMb: 'sys.process.memory_mb',
  processGpuMemoryMb: 'sys.process.gpu_memory_mb',
  gpuUtilPercent: (i: number) => `sys.gpu${i}.util_percent`,
  gpuMemoryMb: (i: number) => `sys.gpu${i}.memory_mb`,
  gpuMemoryPercent: (i: number) => `sys.gpu${i}.memory_percent`,
} as const;

/** The default interval: a point every 5 s is 720 points an hour per key, cheap to store and chart. */
export const DEFAULT_SAMPLE_INTERVAL_MS = 5000;

/** Starts sampling; the returned function stops it and resolves once no tick is running. */
export function startSystemSampler(opts: SystemSamplerOptions): () => Promise<void> {
  const intervalMs = Math.max(10, opts.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS);
  const machine = new MachineReader();
  const proc = opts.pid !== undefined ? new ProcessReader(opts.pid) : null;
  const gpus = opts.gpus === undefined ? nvidiaSmi() : opts.gpus;
  let step = opts.firstStep ?? 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> = Promise.resolve();
  let reported = false;
  const report = (err: unknown) => {
    if (reported) return;
    reported = true;
    opts.onError?.(err);
  };

  // A first process reading sets the baseline its CPU rate is measured from.
  if (proc) void proc.read().catch(() => null);

  async function tick(): Promise<void> {
    const ts = Date.now();
    const points: MetricRow[] = [];
    const add = (key: string, value: number | null) => {
      if (value !== null && Number.isFinite(value)) points.push({ runId: opts.runId, key, step, ts, value });
    };
    const m = machine.read();
    add(SYSTEM_METRIC_KEYS.cpuPercent, m.cpuPercent);
    add(SYSTEM_METRIC_KEYS.memoryMb, m.memoryUsedMb);
    add(SYSTEM_METRIC_KEYS.memoryPercent, (100 * m.memoryUsedMb) / m.memoryTotalMb);
    if (proc) {
      const p = await proc.read().catch(() => null);
      if (p) {
        add(SYSTEM_METRIC_KEYS.processCpuPercent, p.cpuPercent);
        add(SYSTEM_METRIC_KEYS.processMemoryMb, p.rssMb);
      }
    }
    const g = gpus ? await gpus.sample().catch(() => null) : null;
    if (g) {
      for (const gpu of g.gpus) {
        add(SYSTEM_METRIC_KEYS.gpuUtilPercent(gpu.index), gpu.utilPercent);
        add(SYSTEM_METRIC_KEYS.gpuMemoryMb(gpu.index), gpu.memoryUsedMb);
        if (gpu.memoryUsedMb !== null && gpu.memoryTotalMb) add(SYSTEM_METRIC_KEYS.gpuMemoryPercent(gpu.index), (100 * gpu.memoryUsedMb) / gpu.memoryTotalMb);
      }
      if (opts.pid !== undefined) {
        const mine = g.processes.filter((p) => p.pid === opts.pid && p.usedMemoryMb !== null);
        if (mine.length > 0) add(SYSTEM_METRIC_KEYS.processGpuMemoryMb, mine.reduce((s, p) => s + (p.usedMemoryMb ?? 0), 0));
      }
    }
    step++;
    if (points.length > 0 && !stopped) {
      try {
        await opts.record(points);
      } catch (err) {
        // The run's own metrics matter more than its system metrics: drop this sample and go on.
        report(err);
      }
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      current = tick()
        .catch(report)
        .then(schedule);
    }, intervalMs);
    timer.unref();
  }

  schedule();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = null;
    await current;
  };
}
