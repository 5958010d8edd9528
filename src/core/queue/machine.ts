/**
 * What this machine offers the scheduler: CPU slots (cores), memory, and GPUs (from the shared
 * nvidia-smi reader). `TRAINYARD_GPUS` overrides the GPU list ("0,1" or a count), for machines where
 * nvidia-smi is not on the PATH and for tests of the scheduler's GPU accounting.
 */
import { cpus, totalmem } from 'node:os';
import { nvidiaSmi } from '../monitor';
import type { Capacity } from './resources';

export async function machineCapacity(override: Partial<Capacity> = {}): Promise<Capacity> {
  const gpuIndices = override.gpuIndices ?? (override.gpus !== undefined ? range(override.gpus) : await detectGpus());
  return {
    gpus: gpuIndices.length,
    gpuIndices,
    cpuSlots: override.cpuSlots ?? cpus().length,
    memoryMB: override.memoryMB ?? Math.floor(totalmem() / 1024 / 1024),
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function detectGpus(): Promise<number[]> {
  const env = process.env.TRAINYARD_GPUS;
  if (env !== undefined && env.trim() !== '') {
    if (/^\d+$/.test(env.trim())) return range(Number(env.trim()));
    return env.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n >= 0);
  }
  const reading = await nvidiaSmi().read();
  // No reading (no NVIDIA driver, or nvidia-smi failing): no GPU to hand out; the monitor says why.
  return reading.ok ? reading.gpus.map((g) => g.index) : [];
}
