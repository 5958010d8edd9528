/**
 * A property test over many seeds: under a randomised workload of submits (random priorities,
 * resources, kinds of wait) and cancels (queued and running), the scheduler never runs more jobs than
 * the global or per-kind limit, never hands out more CPU slots, memory or GPUs than the machine has,
 * never gives one GPU to two jobs, and every job ends exactly once.
 */
import { describe, expect, it } from 'vitest';
import type { Job, Priority } from '../../../src/shared/contract';
import { prng } from '../../helpers/rng';
import { FINAL, startCore } from './harness';

const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
const SEEDS = 6;

describe('scheduler limits (property)', () => {
  it(`never exceeds concurrency or resources under random submit/cancel, over ${SEEDS} seeds`, async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rand = prng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
      const maxConcurrent = 1 + Math.floor(rand() * 3);
      const capacity = { gpus: Math.floor(rand() * 3), cpuSlots: 2 + Math.floor(rand() * 3), memoryMB: 1024 };
      const h = await startCore({ maxConcurrent, capacity, workerIdleMs: 5000 });
      const running = new Map<string, Job>();
      const violations: string[] = [];
      const ended = new Map<string, number>();
      h.core.events.on('job.updated', (j) => {
        if (j.status === 'running') running.set(j.id, j);
        else running.delete(j.id);
        if (FINAL.includes(j.status)) ended.set(j.id, (ended.get(j.id) ?? 0) + 1);
        const jobs = [...running.values()];
        const sum = (f: (x: Job) => number) => jobs.reduce((a, x) => a + f(x), 0);
        if (jobs.length > maxConcurrent) violations.push(`seed ${seed}: ${jobs.length} running > ${maxConcurrent}`);
        if (sum((x) => x.resources.cpuSlots) > capacity.cpuSlots) violations.push(`seed ${seed}: CPU slots over capacity`);
        if (sum((x) => x.resources.memoryMB) > capacity.memoryMB) violations.push(`seed ${seed}: memory over capacity`);
        const gpus = jobs.flatMap((x) => x.gpuIndices);
        if (gpus.length > capacity.gpus || new Set(gpus).size !== gpus.length) violations.push(`seed ${seed}: GPUs ${gpus.join(',')} of ${capacity.gpus}`);
      });

      const ids: string[] = [];
      for (let i = 0; i < 14; i++) {
        const resources = { gpus: Math.floor(rand() * (capacity.gpus + 1)), cpuSlots: 1 + Math.floor(rand() * capacity.cpuSlots), memoryMB: 128 + Math.floor(rand() * 896) };
        const job = await h.api.jobs.create({ spec: { kind: 'noop', sleepMs: Math.floor(rand() * 120) }, priority: pick(PRIORITIES), resources });
        ids.push(job.id);
        if (rand() < 0.25) {
          const victim = pick(ids);
          await h.api.jobs.cancel({ id: victim }).catch(() => undefined); // may have ended already: a Conflict
        }
        if (rand() < 0.3) await new Promise((r) => setTimeout(r, Math.floor(rand() * 60)));
      }
      const done = await h.drain(ids);
      await h.close();
      expect(violations).toEqual([]);
      expect(done.every((j) => j.status === 'completed' || j.status === 'cancelled')).toBe(true);
      // One final status per job, announced once.
      expect(ids.every((id) => ended.get(id) === 1)).toBe(true);
    }
  });
});
