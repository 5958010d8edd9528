/**
 * What the machine offers the scheduler and what running jobs hold. A job starts only when its GPUs,
 * CPU slots and memory are all free; GPU jobs get specific device indices, which the worker sees as
 * CUDA_VISIBLE_DEVICES (with CUDA_DEVICE_ORDER=PCI_BUS_ID, so the indices mean what nvidia-smi shows).
 */
import type { JobResources } from '../../shared/contract';

export interface Capacity extends JobResources {
  /** Device indices of the GPUs the scheduler may hand out. */
  gpuIndices: number[];
}

export class ResourceLedger {
  private freeGpus: number[];
  private cpuInUse = 0;
  private memInUse = 0;

  constructor(readonly capacity: Capacity) {
    this.freeGpus = [...capacity.gpuIndices];
  }

  /** Why a job could never run here, or null when it could (once resources are free). */
  neverFits(r: JobResources): string | null {
    const c = this.capacity;
    if (r.gpus > c.gpus) return `it asks for ${r.gpus} GPU${r.gpus === 1 ? '' : 's'} and this machine offers ${c.gpus}`;
    if (r.cpuSlots > c.cpuSlots) return `it asks for ${r.cpuSlots} CPU slots and this machine offers ${c.cpuSlots}`;
    if (r.memoryMB > c.memoryMB) return `it asks for ${r.memoryMB} MB of memory and this machine offers ${c.memoryMB} MB`;
    return null;
  }

  fitsNow(r: JobResources): boolean {
    return (
      r.gpus <= this.freeGpus.length &&
      this.cpuInUse + r.cpuSlots <= this.capacity.cpuSlots &&
      this.memInUse + r.memoryMB <= this.capacity.memoryMB
    );
  }

  /** Takes the resources; returns the GPU indices handed out. Call only after `fitsNow`. */
  acquire(r: JobResources): number[] {
    const gpus = this.freeGpus.splice(0, r.gpus);
    this.cpuInUse += r.cpuSlots;
    this.memInUse += r.memoryMB;
    return gpus;
  }

  release(r: JobResources, gpuIndices: number[]): void {
    this.freeGpus = [...new Set([...this.freeGpus, ...gpuIndices])].sort((a, b) => a - b);
    this.cpuInUse = Math.max(0, this.cpuInUse - r.cpuSlots);
    this.memInUse = Math.max(0, this.memInUse - r.memoryMB);
  }

  inUse(): JobResources {
    return { gpus: this.capacity.gpus - this.freeGpus.length, cpuSlots: this.cpuInUse, memoryMB: this.memInUse };
  }
}

/** The worker environment that pins a job to its GPUs (none: CUDA sees no device). */
export function gpuEnv(gpuIndices: number[]): Record<string, string> {
  return { CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: gpuIndices.join(',') };
}
