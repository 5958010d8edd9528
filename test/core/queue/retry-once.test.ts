/**
 * A failed or cancelled job is retried once: the retry is a new job, and asking again for the
 * original (a second click, a second window) is refused, pointing at the retry that exists.
 */
import { describe, expect, it } from 'vitest';
import { coresPerTest, noop } from './harness';

const startCore = coresPerTest();

describe('retrying a job', () => {
  it('makes one retry; a second retry of the same job is a Conflict naming the first', async () => {
    const h = await startCore();
    await h.api.queue.pause({});
    const job = await h.api.jobs.create(noop());
    await h.api.jobs.cancel({ id: job.id });
    const retry = await h.api.jobs.retry({ id: job.id });
    expect(retry).toMatchObject({ status: 'queued', attempt: 2, retryOf: job.id });

    await expect(h.api.jobs.retry({ id: job.id })).rejects.toMatchObject({
      code: 'Conflict',
      message: `Job ${job.id} was already retried as job ${retry.id}; retry that one instead`,
    });
    // The retry itself, once it ended, can be retried in turn.
    await h.api.jobs.cancel({ id: retry.id });
    const again = await h.api.jobs.retry({ id: retry.id });
    expect(again).toMatchObject({ attempt: 3, retryOf: retry.id });
    const retries = (await h.api.jobs.list({ limit: 100 })).filter((j) => j.retryOf === job.id);
    expect(retries.map((j) => j.id)).toEqual([retry.id]);
  });

  it('two retries racing for one job start one attempt', async () => {
    const h = await startCore();
    await h.api.queue.pause({});
    const job = await h.api.jobs.create(noop());
    await h.api.jobs.cancel({ id: job.id });
    const outcomes = await Promise.allSettled([h.api.jobs.retry({ id: job.id }), h.api.jobs.retry({ id: job.id })]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(['Conflict']);
    expect((await h.api.jobs.list({ limit: 100 })).filter((j) => j.retryOf === job.id)).toHaveLength(1);
  });
});
