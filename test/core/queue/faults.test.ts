/**
 * Supervision against workers that misbehave for real: one that ignores SIGTERM, one that exits
 * non-zero, one that segfaults, one that hangs, one that is killed with SIGKILL, one that crashes once
 * and is retried by its policy. Each fails only its own job, with the cause recorded, and the core goes on.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coresPerTest, isAlive, noop, until } from './harness';

const startCore = coresPerTest();

describe('queue faults', () => {
  it('cancels a running job whose worker ignores SIGTERM: SIGKILL after the grace period, ended cancelled', async () => {
    const h = await startCore({ fault: 'ignore-sigterm', cancelGraceMs: 300 });
    const job = await h.api.jobs.create(noop(60_000));
    await h.waitFor(job.id, (j) => j.status === 'running');
    await until(() => h.workers.length > 0);
    const pid = h.workers[0].handle.pid;
    await h.api.jobs.cancel({ id: job.id });
    const end = await h.waitFor(job.id);
    expect(end.status).toBe('cancelled');
    expect(isAlive(pid)).toBe(false);
    const last = (await h.api.jobs.transitions({ id: job.id })).at(-1)!;
    expect(last).toMatchObject({ from: 'running', to: 'cancelled', cause: 'cancelled by the user' });
    // The core is fine: the next job runs.
    const next = await h.api.jobs.create(noop(0));
    await h.api.jobs.cancel({ id: next.id }).catch(() => undefined);
    expect((await h.waitFor(next.id)).status).toMatch(/cancelled|completed/);
  });

  it('cancels a queued job at once', async () => {
    const h = await startCore();
    await h.api.queue.pause({});
    const job = await h.api.jobs.create(noop(0));
    const end = await h.api.jobs.cancel({ id: job.id });
    expect(end).toMatchObject({ status: 'cancelled', error: 'Cancelled by the user before it started' });
    expect(h.workers).toHaveLength(0);
  });

  it('a worker that exits non-zero fails its job with the exit code and its last stderr lines', async () => {
    const h = await startCore({ fault: 'exit' });
    const job = await h.api.jobs.create(noop(0));
    const end = await h.waitFor(job.id);
    expect(end.status).toBe('failed');
    expect(end.error).toMatch(/exited with code 3/);
    const last = (await h.api.jobs.transitions({ id: job.id })).at(-1)!;
    expect(last).toMatchObject({ to: 'failed', exitCode: 3, signal: null });
    expect(last.logTail.join('\n')).toMatch(/out of cheese/);
  });

  it('a worker that segfaults fails its job with the signal', async () => {
    const h = await startCore({ fault: 'segfault' });
    const job = await h.api.jobs.create(noop(0));
    const end = await h.waitFor(job.id);
    expect(end.status).toBe('failed');
    expect((await h.api.jobs.transitions({ id: job.id })).at(-1)).toMatchObject({ to: 'failed', signal: 'SIGSEGV' });
  });

  it('a worker that stops its heartbeat is killed as hung and its job failed', async () => {
    const h = await startCore({ fault: 'hang', heartbeatTimeoutMs: 1000 });
    const job = await h.api.jobs.create(noop(0));
    const end = await h.waitFor(job.id);
    expect(end.status).toBe('failed');
    expect(end.error).toMatch(/stopped responding \(no heartbeat for \d+ s\)/);
    expect(isAlive(h.workers[0].handle.pid)).toBe(false);
  });

  it('a worker killed with SIGKILL fails only its job; the other running job completes', async () => {
    const h = await startCore({ maxConcurrent: 2 });
    const victim = await h.api.jobs.create(noop(30_000));
    const other = await h.api.jobs.create(noop(500));
    await h.waitFor(victim.id, (j) => j.status === 'running');
    await h.waitFor(other.id, (j) => j.status === 'running');
    await until(() => h.workers.length === 2);
    const victimWorker = h.workers[0];
    process.kill(victimWorker.handle.pid!, 'SIGKILL');
    const end = await h.waitFor(victim.id);
    expect(end.status).toBe('failed');
    expect(end.error).toMatch(/killed by SIGKILL/);
    expect((await h.waitFor(other.id)).status).toBe('completed');
  });

  it('retries a crash per the job policy, with backoff, and says so in the log and the timeline', async () => {
    const mark = join(mkdtempSync(join(tmpdir(), 'trainyard-mark-')), 'crashed');
    const h = await startCore({ fault: 'crash-first', workerEnv: { TRAINYARD_FAULT_MARK: mark } });
    const job = await h.api.jobs.create({ ...noop(0), retryPolicy: { maxAttempts: 3, backoffMs: 200 } });
    const end = await h.waitFor(job.id);
    expect(end.status).toBe('completed');
    expect(end.attempt).toBe(1); // the same job: automatic retries do not make new ones
    const timeline = await h.api.jobs.transitions({ id: job.id });
    expect(timeline.map((t) => `${t.from ?? '-'}>${t.to}`)).toEqual(['->queued', 'queued>running', 'running>queued', 'queued>running', 'running>completed']);
    expect(timeline[2].cause).toMatch(/crashed: .*exited with code 3.*automatic retry 2 of 3/);
    expect(timeline[3].ts - timeline[2].ts).toBeGreaterThanOrEqual(200); // the backoff was honoured
    const logs = await h.api.jobs.logs({ id: job.id });
    expect(logs.map((l) => l.message).join('\n')).toMatch(/Retrying automatically \(attempt 2 of 3\) in 0 s/);
  });

  it('gives up after max attempts and fails with the last crash', async () => {
    const h = await startCore({ fault: 'exit' });
    const job = await h.api.jobs.create({ ...noop(0), retryPolicy: { maxAttempts: 2, backoffMs: 0 } });
    const end = await h.waitFor(job.id);
    expect(end.status).toBe('failed');
    const timeline = await h.api.jobs.transitions({ id: job.id });
    expect(timeline.filter((t) => t.to === 'running')).toHaveLength(2);
    const retried = await h.api.jobs.retry({ id: job.id });
    expect(retried).toMatchObject({ status: 'queued', attempt: 2, retryOf: job.id });
  });
});
