/**
 * Every step of a job's lifecycle reaches the faces as a `job.transition` event when it happens, in
 * the order recorded: an open timeline shows queued → running live, not only once the job has ended.
 */
import { describe, expect, it } from 'vitest';
import type { JobTransition } from '../../../src/shared/contract';
import { coresPerTest, noop } from './harness';

const startCore = coresPerTest();

describe('job.transition events', () => {
  it('carry the start of a job as it starts, then its end: the same rows the timeline reads', async () => {
    const h = await startCore();
    const heard: JobTransition[] = [];
    h.core.events.on('job.transition', (t) => heard.push(t));
    const job = await h.api.jobs.create(noop(400));
    await h.waitFor(job.id, (j) => j.status === 'running');
    await expect.poll(() => heard.filter((t) => t.jobId === job.id).map((t) => t.to)).toEqual(['running']);
    await h.waitFor(job.id);
    const recorded = await h.api.jobs.transitions({ id: job.id });
    const mine = heard.filter((t) => t.jobId === job.id);
    // The timeline's first row (created, queued) is written with the job; every later one is an event.
    expect(mine).toEqual(recorded.slice(1));
    expect(mine.map((t) => `${t.from}>${t.to}`)).toEqual(['queued>running', 'running>completed']);
  });

  it('carry an automatic retry of a crash back to the queue', async () => {
    const h = await startCore({ fault: 'exit' });
    const heard: JobTransition[] = [];
    h.core.events.on('job.transition', (t) => heard.push(t));
    const job = await h.api.jobs.create({ ...noop(), retryPolicy: { maxAttempts: 2, backoffMs: 0 } });
    await h.waitFor(job.id);
    const recorded = await h.api.jobs.transitions({ id: job.id });
    expect(heard.filter((t) => t.jobId === job.id)).toEqual(recorded.slice(1));
    expect(recorded.map((t) => t.to)).toEqual(['queued', 'running', 'queued', 'running', 'failed']);
  });
});
