/**
 * The scheduler against a real core: order across and within priorities, aging, set-priority, pause
 * and resume, resources and GPU pinning, dependencies, estimates and stats. No-op jobs in real worker
 * processes keep each case quick.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src/shared/contract';
import { Conflict, InvalidInput } from '../../../src/shared/errors';
import { coresPerTest, noop, until } from './harness';

const startCore = coresPerTest();

const startOrder = (jobs: Job[]) => [...jobs].sort((a, b) => a.startedAt! - b.startedAt!).map((j) => j.id);

describe('queue scheduling', () => {
  it('starts by priority (urgent > high > normal > low), first in first out within one', async () => {
    const h = await startCore();
    await h.api.queue.pause({});
    const plan = ['low', 'normal', 'urgent', 'normal', 'high', 'urgent', 'low'] as const;
    const ids: string[] = [];
    for (const priority of plan) ids.push((await h.api.jobs.create({ ...noop(), priority })).id);
    await h.api.queue.resume({});
    const done = await h.drain(ids);
    const [l1, n1, u1, n2, hi, u2, l2] = ids;
    expect(startOrder(done)).toEqual([u1, u2, hi, n1, n2, l1, l2]);
    expect(done.every((j) => j.status === 'completed')).toBe(true);
  });

  it('ages a waiting low job up to high, says so, and never past it', async () => {
    const h = await startCore({ agingMinutes: 0.002 }); // 120 ms per level
    await h.api.queue.pause({});
    const low = await h.api.jobs.create({ ...noop(), priority: 'low' });
    expect(low.effectivePriority).toBe('low');
    await new Promise((r) => setTimeout(r, 400)); // three aging intervals
    const normal = await h.api.jobs.create({ ...noop(), priority: 'normal' });
    const aged = await h.api.jobs.get({ id: low.id });
    expect(aged.effectivePriority).toBe('high'); // two levels up, stopped at the ceiling
    // The boost is announced by the periodic aging check, without anyone asking.
    await until(() => h.updates.some((j) => j.id === low.id && j.effectivePriority === 'high'));
    expect(aged.priority).toBe('low');
    const urgent = await h.api.jobs.create({ ...noop(), priority: 'urgent' });
    await h.api.queue.resume({});
    const done = await h.drain([low.id, normal.id, urgent.id]);
    expect(startOrder(done)).toEqual([urgent.id, low.id, normal.id]);
  });

  it('changes a queued job priority; refuses for a job that already ran', async () => {
    const h = await startCore();
    await h.api.queue.pause({});
    const a = await h.api.jobs.create({ ...noop(), priority: 'normal' });
    const b = await h.api.jobs.create({ ...noop(), priority: 'low' });
    const raised = await h.api.jobs.setPriority({ id: b.id, priority: 'urgent' });
    expect(raised.priority).toBe('urgent');
    await h.api.queue.resume({});
    const done = await h.drain([a.id, b.id]);
    expect(startOrder(done)).toEqual([b.id, a.id]);
    await expect(h.api.jobs.setPriority({ id: a.id, priority: 'high' })).rejects.toMatchObject({ name: Conflict.name });
  });

  it('pause drains: nothing new starts until resume; the pause survives a restart', async () => {
    const h = await startCore();
    const first = await h.api.jobs.create(noop(300));
    await h.waitFor(first.id, (j) => j.status === 'running');
    const state = await h.api.queue.pause({});
    expect(state.paused).toBe(true);
    const second = await h.api.jobs.create(noop());
    expect((await h.waitFor(first.id)).status).toBe('completed'); // the running job finished
    expect((await h.api.jobs.get({ id: second.id })).status).toBe('queued');
    const dir = h.dir;
    await h.core.close();
    const restarted = await startCore({ dataDir: dir });
    expect((await restarted.api.queue.state({})).paused).toBe(true);
    expect((await restarted.api.queue.state({})).queued).toBe(1);
    await restarted.api.queue.resume({});
    expect((await restarted.waitFor(second.id)).status).toBe('completed');
  });

  it('refuses at submit a job that can never fit; pins GPU jobs to distinct devices', async () => {
    const h = await startCore({ maxConcurrent: 3, capacity: { gpus: 2, cpuSlots: 8, memoryMB: 4096 } });
    await expect(h.api.jobs.create({ ...noop(), resources: { gpus: 4 } })).rejects.toMatchObject({
      name: InvalidInput.name,
      field: 'resources.gpus',
      message: expect.stringMatching(/asks for 4 GPUs and this machine offers 2/),
    });
    await expect(h.api.jobs.create({ ...noop(), resources: { memoryMB: 8192 } })).rejects.toMatchObject({ field: 'resources.memoryMB' });
    await h.api.queue.pause({});
    const g = [];
    for (let i = 0; i < 3; i++) g.push(await h.api.jobs.create({ ...noop(300), resources: { gpus: 1 } }));
    await h.api.queue.resume({});
    const done = await h.drain(g.map((j) => j.id));
    const byStart = [...done].sort((a, b) => a.startedAt! - b.startedAt!);
    // Two GPUs: the first two ran side by side on 0 and 1, the third waited for one to be free.
    expect(new Set(byStart.slice(0, 2).flatMap((j) => j.gpuIndices))).toEqual(new Set([0, 1]));
    expect(byStart[2].startedAt!).toBeGreaterThanOrEqual(Math.min(byStart[0].finishedAt!, byStart[1].finishedAt!));
    const envs = h.workers.map((w) => w.env.CUDA_VISIBLE_DEVICES);
    expect(envs).toEqual(expect.arrayContaining(['0', '1']));
    expect(h.workers.every((w) => w.env.CUDA_DEVICE_ORDER === 'PCI_BUS_ID')).toBe(true);
    const timeline = await h.api.jobs.transitions({ id: byStart[0].id });
    expect(timeline.find((t) => t.to === 'running')?.cause).toMatch(/^started on GPU [01]$/);
  });

  it('keeps free GPUs for a waiting bigger GPU job instead of letting smaller GPU jobs jump ahead; CPU jobs still run', async () => {
    const h = await startCore({ maxConcurrent: 4, capacity: { gpus: 2, cpuSlots: 8, memoryMB: 4096 } });
    const running = await h.api.jobs.create({ ...noop(600), resources: { gpus: 1 } });
    await h.waitFor(running.id, (j) => j.status === 'running');
    const big = await h.api.jobs.create({ ...noop(0), priority: 'high', resources: { gpus: 2 } });
    const small = await h.api.jobs.create({ ...noop(0), resources: { gpus: 1 } });
    const cpu = await h.api.jobs.create({ ...noop(0), resources: { gpus: 0 } });
    const [, dBig, dSmall, dCpu] = await h.drain([running.id, big.id, small.id, cpu.id]);
    expect(dSmall.startedAt!).toBeGreaterThanOrEqual(dBig.startedAt!); // one GPU was free, but reserved for the 2-GPU job
    expect(dCpu.startedAt!).toBeLessThan(dBig.startedAt!); // a CPU job did not wait behind it
  });

  it('applies per-kind and global limits the user sets, at once and after a restart', async () => {
    const h = await startCore({ maxConcurrent: 3 });
    const state = await h.api.queue.configure({ maxPerKind: { noop: 1 }, agingMinutes: 30 });
    expect(state).toMatchObject({ maxConcurrent: 3, maxPerKind: { noop: 1 }, agingMinutes: 30 });
    const jobs = [];
    for (let i = 0; i < 3; i++) jobs.push(await h.api.jobs.create(noop(150)));
    const done = await h.drain(jobs.map((j) => j.id));
    const byStart = [...done].sort((a, b) => a.startedAt! - b.startedAt!);
    for (let i = 1; i < byStart.length; i++) expect(byStart[i].startedAt!).toBeGreaterThanOrEqual(byStart[i - 1].finishedAt!); // one at a time
    const dir = h.dir;
    await h.core.close();
    const restarted = await startCore({ dataDir: dir, maxConcurrent: 3 });
    expect(await restarted.api.queue.state({})).toMatchObject({ maxPerKind: { noop: 1 }, agingMinutes: 30 });
    expect((await restarted.api.queue.configure({ maxPerKind: { noop: null }, maxConcurrent: 2 })).maxPerKind).toEqual({});
    await expect(restarted.api.queue.configure({ maxConcurrent: 0 })).rejects.toMatchObject({ name: InvalidInput.name, field: 'maxConcurrent' });
  });

  it('waits for dependencies; cancels a job whose dependency was cancelled, with the cause', async () => {
    const h = await startCore({ maxConcurrent: 2 });
    await expect(h.api.jobs.create({ ...noop(), after: ['01NOSUCHJOB'] })).rejects.toMatchObject({ field: 'after' });
    const a = await h.api.jobs.create(noop(300));
    const b = await h.api.jobs.create({ ...noop(), after: [a.id] });
    const x = await h.api.jobs.create({ ...noop(5000), priority: 'low' });
    const y = await h.api.jobs.create({ ...noop(), after: [x.id] });
    const [da, db] = await h.drain([a.id, b.id]);
    expect(db.startedAt!).toBeGreaterThanOrEqual(da.finishedAt!);
    await h.api.jobs.cancel({ id: x.id });
    const dy = await h.waitFor(y.id);
    expect(dy.status).toBe('cancelled');
    expect(dy.error).toMatch(new RegExp(`Dependency ${x.id} was cancelled`));
  });

  it('checks every transition in one place: invalid ones are Conflicts with a clear message', async () => {
    const h = await startCore();
    const job = await h.api.jobs.create(noop());
    await h.waitFor(job.id);
    await expect(h.api.jobs.cancel({ id: job.id })).rejects.toMatchObject({ name: Conflict.name, message: `Job ${job.id} is completed; it cannot be cancelled` });
    await expect(h.api.jobs.retry({ id: job.id })).rejects.toMatchObject({ name: Conflict.name });
    const timeline = await h.api.jobs.transitions({ id: job.id });
    expect(timeline.map((t) => `${t.from ?? '-'}>${t.to}`)).toEqual(['->queued', 'queued>running', 'running>completed']);
  });

  it('learns a duration estimate from finished jobs of the same kind and size, and keeps stats', async () => {
    const h = await startCore();
    const first = [await h.api.jobs.create(noop(100)), await h.api.jobs.create(noop(100))];
    await h.drain(first.map((j) => j.id));
    const next = await h.api.jobs.create({ ...noop(100), priority: 'high' });
    expect(next.estimateMs).not.toBeNull();
    expect(next.estimateMs!).toBeGreaterThanOrEqual(100);
    const other = await h.api.jobs.create(noop(5000)); // another size: nothing learned yet
    expect(other.estimateMs).toBeNull();

    await h.api.jobs.cancel({ id: other.id });
    await h.waitFor(next.id);
    // A job queued before its class had history gets the estimate once two of the class finished.
    const a = await h.api.jobs.create(noop(30));
    const b = await h.api.jobs.create(noop(30));
    const c = await h.api.jobs.create({ ...noop(30), after: [a.id, b.id] });
    expect(c.estimateMs).toBeNull();
    await h.drain([a.id, b.id, c.id]);
    expect((await h.api.jobs.get({ id: c.id })).estimateMs).not.toBeNull();
    const stats = await h.api.queue.stats({});
    expect(stats.counts.completed).toBe(6);
    expect(stats.counts.cancelled).toBe(1);
    expect(stats.meanRunMs!).toBeGreaterThanOrEqual(100);
    expect(stats.throughputPerHour).toBe(7);
    expect(stats.perPriority.find((p) => p.priority === 'high')).toMatchObject({ completed: 1 });
  });
});
