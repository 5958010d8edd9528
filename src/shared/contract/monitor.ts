/**
 * The live monitor: what the machine, its GPUs and Trainyard's worker processes use now
 * (`monitor.snapshot`, and the `monitor.sample` event every tick), over the last day
 * (`monitor.history`), and what one job uses (`monitor.job`).
 */
import { z } from 'zod';
import { Id, Millis, method } from './vocabulary';

const Num = z.number().nullable();

export const GpuProcessInfo = z.object({
  pid: z.number().int(),
  name: z.string().nullable(),
  usedMemoryMb: Num,
  /** The Trainyard job whose worker is this process or started it; null for other programs. */
  jobId: Id.nullable(),
});
export type GpuProcessInfo = z.infer<typeof GpuProcessInfo>;

export const GpuInfo = z.object({
  index: z.number().int(),
  uuid: z.string().nullable(),
  name: z.string().nullable(),
  utilPercent: Num,
  memoryUsedMb: Num,
  memoryTotalMb: Num,
  temperatureC: Num,
  powerW: Num,
  powerLimitW: Num,
  processes: z.array(GpuProcessInfo),
});
export type GpuInfo = z.infer<typeof GpuInfo>;

export const WorkerInfo = z.object({
  pid: z.number().int(),
  /** The job it runs; null while it waits, warm, for the next. */
  jobId: Id.nullable(),
  startedAt: Millis,
  uptimeMs: z.number().nonnegative(),
  /** Since the worker last reported; null while it runs nothing (it is not watched then). */
  heartbeatAgeMs: Num,
  rssMb: Num,
  /** 100 = one core busy. */
  cpuPercent: Num,
});
export type WorkerInfo = z.infer<typeof WorkerInfo>;

export const MonitorSnapshot = z.object({
  at: Millis,
  cpu: z.object({
    /** Share of all cores busy since the previous sample, 0..100. */
    totalPercent: Num,
    perCore: z.array(Num),
  }),
  memory: z.object({ usedBytes: z.number(), totalBytes: z.number() }),
  /** The file system holding the data directory; null where it cannot be read. */
  disk: z.object({ path: z.string(), usedBytes: z.number(), freeBytes: z.number(), totalBytes: z.number() }).nullable(),
  gpus: z.object({
    available: z.boolean(),
    /** Why there is no GPU reading, in one line (nvidia-smi missing, failing, hanging...). */
    reason: z.string().nullable(),
    devices: z.array(GpuInfo),
  }),
  workers: z.array(WorkerInfo),
});
export type MonitorSnapshot = z.infer<typeof MonitorSnapshot>;

export const MonitorRange = z.enum(['1h', '6h', '24h']);
export type MonitorRange = z.infer<typeof MonitorRange>;

/**
 * Columns for a chart: bucket start times, and per series (`cpu`, `memory`, `disk`, `gpu0.util`,
 * `gpu0.memory`, `gpu0.temperature`, `gpu0.power`, `workers`) the mean over each bucket, null where
 * the series had no sample. Percent series are 0..100.
 */
export const MonitorHistory = z.object({
  range: MonitorRange,
  bucketMs: z.number().int().positive(),
  ts: z.array(Millis),
  series: z.record(z.string(), z.array(Num)),
});
export type MonitorHistory = z.infer<typeof MonitorHistory>;

/** What one job's processes use: now (while it runs), and the samples taken since it started. */
export const MonitorJob = z.object({
  jobId: Id,
  running: z.boolean(),
  worker: WorkerInfo.nullable(),
  /** GPU memory held by the job's processes, summed over GPUs; null where none is known. */
  gpuMemoryMb: Num,
  series: z.object({
    ts: z.array(Millis),
    cpuPercent: z.array(Num),
    rssMb: z.array(Num),
    gpuMemoryMb: z.array(Num),
  }),
});
export type MonitorJob = z.infer<typeof MonitorJob>;

export const monitorMethods = {
  snapshot: method(z.object({}).strict().default({}), MonitorSnapshot),
  history: method(z.object({ range: MonitorRange.default('1h') }).strict(), MonitorHistory),
  job: method(z.object({ jobId: Id }).strict(), MonitorJob),
};
