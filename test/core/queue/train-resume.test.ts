/**
 * A training job interrupted by Trainyard stopping goes back to the queue and, when Trainyard starts
 * again, resumes from its last checkpoint rather than from epoch 1, continuing the same run (each
 * epoch once in its curves); its run records system metrics.
 */
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp';
import { startCore } from './harness';

describe('training jobs across a restart', () => {
  it('re-queues an interrupted training job and resumes it from its checkpoint', async () => {
    const t = tempDir();
    let h = await startCore({ dataDir: t.dir, systemSampleMs: 100 });
    const dataset = await h.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    const job = await h.api.jobs.create({
      spec: { kind: 'train', datasetId: dataset.id, target: 'CO2', model: 'mlp', params: { epochs: 1500, checkpointEvery: 2, patience: 2000, seed: 3 } },
      priority: 'normal',
    });
    // Wait for a few epochs, so a checkpoint exists.
    await new Promise<void>((resolve) => {
      const off = h.core.events.on('run.metric', (m) => {
        if (m.jobId === job.id && m.key === 'val_loss' && m.step >= 5) {
          off();
          resolve();
        }
      });
    });
    const firstRun = (await h.api.jobs.get({ id: job.id })).runId!;
    await h.core.close();

    h = await startCore({ dataDir: t.dir, systemSampleMs: 100 });
    const end = await h.waitFor(job.id);
    expect(end.status).toBe('completed');
    const timeline = await h.api.jobs.transitions({ id: job.id });
    expect(timeline.map((x) => `${x.from ?? '-'}>${x.to}`)).toEqual(['->queued', 'queued>running', 'running>queued', 'queued>running', 'running>completed']);
    expect(timeline[2].cause).toMatch(/^interrupted: Trainyard was stopped/);
    const log = (await h.api.jobs.logs({ id: job.id, limit: 10000 })).map((l) => l.message);
    expect(log.some((m) => /^Resuming from the checkpoint at epoch \d+/.test(m))).toBe(true);
    expect(log.some((m) => m.startsWith(`Continuing run ${firstRun}:`))).toBe(true);
    // One run per job: the resumed start continued the interrupted one, and no phantom run is left.
    expect(end.runId).toBe(firstRun);
    const run = await h.api.runs.get({ id: end.runId! });
    expect(run.status).toBe('completed');
    expect((await h.api.runs.list({})).runs.map((r) => r.id)).toEqual([firstRun]);
    const [loss] = await h.api.runs.metrics({ id: firstRun, keys: ['loss'] });
    // Each epoch at most once (the chart read thins a long curve), from the first to the last.
    const steps = loss.points.map((p) => p.step);
    expect(steps[0]).toBe(1);
    expect(steps[steps.length - 1]).toBe(1500);
    expect(steps.every((s, i) => i === 0 || s > steps[i - 1])).toBe(true);
    expect(run.summary['test.rmse']).toBeGreaterThan(0);
    expect(Object.keys(run.summary).some((k) => k.startsWith('sys.'))).toBe(true);
    await h.close();
    t.cleanup();
  });
});
