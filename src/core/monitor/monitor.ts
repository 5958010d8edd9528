/**
 * The live monitor. Every `intervalMs` (while the core runs its scheduler) it samples the machine
 * (CPU per core, memory, the data directory's disk), the GPUs through the shared nvidia-smi reader
 * (each GPU process matched to the job whose worker is it or started it), and the worker pool (pid,
 * job, uptime, heartbeat age, RSS, CPU). Each sample is announced (`monitor.sample`), added to the
 * history, and to the running jobs' own series.
 *
 * Ticks never overlap (the next is scheduled when one ends), the timer never keeps the process
 * alive, and a failing reading is logged once and skipped: the monitor must never stop the core.
 */
import { freemem, totalmem } from 'node:os';
import type { GpuInfo, MonitorJob, MonitorRange, MonitorSnapshot, WorkerInfo } from '../../shared/contract';
import type { CoreLog } from '../log';
import type { WorkerStatus } from '../workers';
import { gpuMemoryOfJob as gpuMemoryOf, seriesOf } from '../../shared/monitor-series';
import type { MonitorHistoryStore } from './history';
import { CpuCoresReader, diskOf, ownerOf } from './machine';
import type { GpuReading } from './nvidia-smi';
import { ProcessReader } from './process';

/** Live, and cheap: one sample is a handful of /proc reads and, where there is a GPU, one nvidia-smi call. */
export const MONITOR_INTERVAL_MS = 2000;
/** A job's own series: an hour at the default interval, kept for the last jobs that ran. */
const JOB_SERIES_POINTS = 1800;
const JOB_SERIES_KEPT = 50;

export interface MonitorDeps {
  dataDir: string;
  history: MonitorHistoryStore;
  gpus: { read(): Promise<GpuReading> };
  /** The worker pool's live processes. */
  workers: () => WorkerStatus[];
  /** The running jobs and their worker pids. */
  runningJobs: () => { jobId: string; pid: number | null }[];
  /** Hears every sample (the app announces it as `monitor.sample`). */
  onSample?: (s: MonitorSnapshot) => void;
  log: CoreLog;
  intervalMs?: number;
}

interface JobSeries {
  ts: number[];
  cpuPercent: (number | null)[];
  rssMb: (number | null)[];
  gpuMemoryMb: (number | null)[];
}

export class SystemMonitor {
  private readonly cpu = new CpuCoresReader();
  private readonly procs = new Map<number, ProcessReader>();
  private readonly jobSeries = new Map<string, JobSeries>();
  private readonly intervalMs: number;
  private latest: MonitorSnapshot | null = null;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private sampling: Promise<MonitorSnapshot> | null = null;
  /** What failed already: a reading that keeps failing is logged once, not every tick. */
  private readonly reported = new Set<string>();

  constructor(private readonly deps: MonitorDeps) {
    this.intervalMs = Math.max(10, deps.intervalMs ?? MONITOR_INTERVAL_MS);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
    this.guard('history', () => this.deps.history.flush());
  }

  /** The latest sample; one taken now where there is none recent (a CLI that runs no scheduler). */
  async snapshot(): Promise<MonitorSnapshot> {
    if (this.latest && Date.now() - this.latest.at < 2 * this.intervalMs) return this.latest;
    if (!this.latest && this.stopped) {
      // CPU is a rate: a first reading only sets the baseline the next one is measured from.
      await this.sample();
      await new Promise((r) => setTimeout(r, 250));
    }
    return this.sample();
  }

  history(range: MonitorRange) {
    return this.deps.history.read(range);
  }

  async job(jobId: string): Promise<MonitorJob> {
    const snap = await this.snapshot();
    const worker = snap.workers.find((w) => w.jobId === jobId) ?? null;
    const gpuMb = gpuMemoryOf(snap, jobId);
    const s = this.jobSeries.get(jobId) ?? { ts: [], cpuPercent: [], rssMb: [], gpuMemoryMb: [] };
    return { jobId, running: worker !== null, worker, gpuMemoryMb: gpuMb, series: s };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.current = this.sample()
        .then((s) => this.record(s))
        .catch((err: unknown) => this.report('sample', err))
        .then(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  /** One sample; concurrent askers share it. */
  private sample(): Promise<MonitorSnapshot> {
    this.sampling ??= this.take().finally(() => (this.sampling = null));
    return this.sampling;
  }

  private async take(): Promise<MonitorSnapshot> {
    const at = Date.now();
    const jobs = this.deps.runningJobs();
    const jobByPid = new Map<number, string>();
    for (const j of jobs) if (j.pid !== null) jobByPid.set(j.pid, j.jobId);
    const [gpu, disk, workers] = await Promise.all([
      this.deps.gpus.read(),
      diskOf(this.deps.dataDir).catch((err: unknown) => {
        this.report('disk', err);
        return null;
      }),
      this.readWorkers(at, jobByPid),
    ]);
    const devices: GpuInfo[] = [];
    if (gpu.ok) {
      for (const g of gpu.gpus) {
        const processes = await Promise.all(
          gpu.processes
            .filter((p) => p.gpuUuid === null || p.gpuUuid === g.uuid)
            .map(async (p) => ({ pid: p.pid, name: p.name, usedMemoryMb: p.usedMemoryMb, jobId: await ownerOf(p.pid, jobByPid) })),
        );
        devices.push({ ...g, processes });
      }
    }
    const snap: MonitorSnapshot = {
      at,
      cpu: this.cpu.read(),
      memory: { usedBytes: totalmem() - freemem(), totalBytes: totalmem() },
      disk,
      gpus: { available: gpu.ok, reason: gpu.ok ? null : gpu.reason, devices },
      workers,
    };
    this.latest = snap;
    return snap;
  }

  private async readWorkers(at: number, jobByPid: Map<number, string>): Promise<WorkerInfo[]> {
    const live = this.deps.workers();
    for (const pid of this.procs.keys()) if (!live.some((w) => w.pid === pid)) this.procs.delete(pid);
    return Promise.all(
      live.map(async (w) => {
        let reader = this.procs.get(w.pid);
        if (!reader) this.procs.set(w.pid, (reader = new ProcessReader(w.pid)));
        const r = await reader.read().catch(() => null);
        return {
          pid: w.pid,
          jobId: w.busy ? (jobByPid.get(w.pid) ?? null) : null,
          startedAt: w.startedAt,
          uptimeMs: Math.max(0, at - w.startedAt),
          heartbeatAgeMs: w.lastBeatAt === null ? null : Math.max(0, at - w.lastBeatAt),
          rssMb: r ? Math.round(r.rssMb * 10) / 10 : null,
          cpuPercent: r && r.cpuPercent !== null ? Math.round(r.cpuPercent * 10) / 10 : null,
        };
      }),
    );
  }

  private record(s: MonitorSnapshot): void {
    this.guard('event', () => this.deps.onSample?.(s));
    this.guard('history', () => this.deps.history.add(s.at, seriesOf(s)));
    for (const w of s.workers) if (w.jobId) this.addJobPoint(w.jobId, s.at, w, gpuMemoryOf(s, w.jobId));
  }

  private addJobPoint(jobId: string, at: number, w: WorkerInfo, gpuMb: number | null): void {
    let s = this.jobSeries.get(jobId);
    if (!s) {
      if (this.jobSeries.size >= JOB_SERIES_KEPT) this.jobSeries.delete(this.jobSeries.keys().next().value!);
      this.jobSeries.set(jobId, (s = { ts: [], cpuPercent: [], rssMb: [], gpuMemoryMb: [] }));
    }
    s.ts.push(at);
    s.cpuPercent.push(w.cpuPercent);
    s.rssMb.push(w.rssMb);
    s.gpuMemoryMb.push(gpuMb);
    if (s.ts.length > JOB_SERIES_POINTS) for (const col of Object.values(s)) col.shift();
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.report(what, err);
    }
  }

  private report(what: string, err: unknown): void {
    if (this.reported.has(what)) return;
    this.reported.add(what);
    this.deps.log('warn', `The monitor's ${what} failed; it goes on without it (said once)`, { error: err instanceof Error ? err.message : String(err) });
  }
}
