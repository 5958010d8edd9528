import { describe, expect, it } from 'vitest';
import type { MonitorHistory, MonitorSnapshot } from '../../shared/contract';
import { appendSample } from './monitor';

const snap = (at: number, cpu: number, gpus = 0): MonitorSnapshot => ({
  at,
  cpu: { totalPercent: cpu, perCore: [cpu] },
  memory: { usedBytes: 1, totalBytes: 4 },
  disk: null,
  gpus: {
    available: gpus > 0,
    reason: gpus > 0 ? null : 'nvidia-smi is not installed',
    devices: Array.from({ length: gpus }, (_, index) => ({ index, uuid: null, name: 'H200', utilPercent: 50, memoryUsedMb: 1, memoryTotalMb: 2, temperatureC: 30, powerW: 90, powerLimitW: 700, processes: [] })),
  },
  workers: [],
});

describe('live samples on the history chart', () => {
  const h: MonitorHistory = { range: '1h', bucketMs: 10_000, ts: [1000, 2000], series: { cpu: [1, 2], memory: [25, 25] } };

  it('appends a sample, with series it brings for the first time filled with nulls before it', () => {
    const next = appendSample(h, snap(3000, 7, 1));
    expect(next.ts).toEqual([1000, 2000, 3000]);
    expect(next.series.cpu).toEqual([1, 2, 7]);
    expect(next.series['gpu0.util']).toEqual([null, null, 50]);
    expect(next.series.disk).toEqual([null, null, null]);
  });

  it('drops what has left the range, and ignores a sample older than the last point', () => {
    const later = appendSample(h, snap(1500 + 3_600_000, 9));
    expect(later.ts).toEqual([2000, 1500 + 3_600_000]);
    expect(later.series.cpu).toEqual([2, 9]);
    expect(appendSample(h, snap(1500, 9))).toBe(h);
  });
});
