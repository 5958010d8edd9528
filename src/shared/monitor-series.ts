/**
 * What the monitor's history keeps of a sample, one number per series: percentages of CPU, memory
 * and disk, the worker count, and per GPU its utilisation, memory (percent), temperature and power.
 * The core writes these into its history; the UI appends live samples to a chart with the same names.
 */
import type { MonitorSnapshot } from './contract';

export type SeriesValues = Record<string, number | null>;

const pct = (used: number | null, total: number | null) => (used !== null && total ? (100 * used) / total : null);

/** GPU memory held by a job's processes, over every GPU; null where it holds none that is known. */
export function gpuMemoryOfJob(s: MonitorSnapshot, jobId: string): number | null {
  const mine = s.gpus.devices.flatMap((g) => g.processes).filter((p) => p.jobId === jobId && p.usedMemoryMb !== null);
  return mine.length ? mine.reduce((a, p) => a + (p.usedMemoryMb ?? 0), 0) : null;
}

export function seriesOf(s: MonitorSnapshot): SeriesValues {
  const v: SeriesValues = {
    cpu: s.cpu.totalPercent,
    memory: pct(s.memory.usedBytes, s.memory.totalBytes),
    disk: s.disk ? pct(s.disk.usedBytes, s.disk.totalBytes) : null,
    workers: s.workers.length,
  };
  for (const g of s.gpus.devices) {
    v[`gpu${g.index}.util`] = g.utilPercent;
    v[`gpu${g.index}.memory`] = pct(g.memoryUsedMb, g.memoryTotalMb);
    v[`gpu${g.index}.temperature`] = g.temperatureC;
    v[`gpu${g.index}.power`] = g.powerW;
  }
  return v;
}
