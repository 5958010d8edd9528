import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppsCsv, parseGpuCsv } from './nvidia-smi';

// Real output of one H200 (see fixtures/README.md), with the field list it was queried with.
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const H200_FIELDS = 'index,uuid,name,driver_version,temperature.gpu,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,power.draw,power.limit,clocks.sm,clocks.mem,fan.speed,pstate'.split(',');

describe('nvidia-smi parser', () => {
  const csv = fixture('h200-query-gpu.csv');

  it('reads the real --query-gpu output with its header and units line', () => {
    expect(parseGpuCsv(csv, H200_FIELDS)).toEqual([
      { index: 0, uuid: 'GPU-9ebf79ba-450d-61e3-5577-7016886f3add', utilPercent: 0, memoryUsedMb: 0, memoryTotalMb: 143771 },
    ]);
  });

  it('reads the same output without its header (noheader), and with units on the values', () => {
    const body = csv.split('\n').slice(1).join('\n');
    expect(parseGpuCsv(body, H200_FIELDS)).toEqual(parseGpuCsv(csv, H200_FIELDS));
    // `--format=csv` without nounits: the same row with its units, as nvidia-smi writes them.
    const withUnits = body.replace(', 34, 0, 0, 143771, 0, 143156, 98.10, 700.00, 345, 3201,', ', 34, 0 %, 0 %, 143771 MiB, 0 MiB, 143156 MiB, 98.10 W, 700.00 W, 345 MHz, 3201 MHz,');
    expect(withUnits).not.toBe(body);
    expect(parseGpuCsv(withUnits, H200_FIELDS)).toEqual(parseGpuCsv(csv, H200_FIELDS));
  });

  it('reads the sampler’s own field list, two GPUs, one busy, one reporting [N/A]', () => {
    const out = '0, GPU-aaaa, 87, 40960, 143771\n1, GPU-bbbb, [N/A], [Not Supported], 143771\n';
    expect(parseGpuCsv(out)).toEqual([
      { index: 0, uuid: 'GPU-aaaa', utilPercent: 87, memoryUsedMb: 40960, memoryTotalMb: 143771 },
      { index: 1, uuid: 'GPU-bbbb', utilPercent: null, memoryUsedMb: null, memoryTotalMb: 143771 },
    ]);
  });

  it('reads --query-compute-apps: the real idle output is header only', () => {
    const fields = ['pid', 'process_name', 'used_memory', 'gpu_uuid'];
    expect(parseAppsCsv(fixture('h200-query-compute-apps-idle.csv'), fields)).toEqual([]);
    expect(parseAppsCsv('4242, python3, 1532, GPU-aaaa\n', fields)).toEqual([{ pid: 4242, usedMemoryMb: 1532, gpuUuid: 'GPU-aaaa' }]);
    expect(parseAppsCsv('', fields)).toEqual([]);
  });
});
