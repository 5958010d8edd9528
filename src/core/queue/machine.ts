/**
 * What this machine offers the scheduler: CPU slots (cores), memory, and GPUs (from `nvidia-smi -L`).
 * `TRAINYARD_GPUS` overrides the GPU list ("0,1" or a count), for machines where nvidia-smi is not
 * on the PATH and for tests of the scheduler's GPU accounting.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { Capacity } from './resources';

export function machineCapacity(override: Partial<Capacity> = {}): Capacity {
  const gpuIndices = override.gpuIndices ?? (override.gpus !== undefined ? range(override.gpus) : detectGpus());
  return {
    gpus: gpuIndices.length,
    gpuIndices,
    cpuSlots: override.cpuSlots ?? cpus().length,
    memoryMB: override.memoryMB ?? Math.floor(totalmem() / 1024 / 1024),
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function detectGpus(): number[] {
  const env = process.env.TRAINYARD_GPUS;
  if (env !== undefined && env.trim() !== '') {
    if (/^\d+$/.test(env.trim())) return range(Number(env.trim()));
    return env.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n >= 0);
  }
  try {
    const out = execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').map((l) => /^GPU (\d+):/.exec(l)?.[1]).filter((x): x is string => x !== undefined).map(Number);
  } catch {
    return []; // no NVIDIA driver on this machine
  }
}
