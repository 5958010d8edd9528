/**
 * HPO over a command: a 6-trial TPE study with median pruning tunes the PyTorch digits example, two
 * trials at a time, each pinned to its own GPU (TRAINYARD_GPUS=2, which the scheduler honours).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudyCreateInput, type StudySummary } from '../../../src/shared/contract';
import { coresPerTest } from '../queue/harness';
import { DIGITS, PYTHON, torchMissing } from './helpers';

const startCore = coresPerTest();
const skip = torchMissing();
const EXAMPLE = fileURLToPath(new URL('../../../examples/pytorch-digits/study.json', import.meta.url));

let savedGpus: string | undefined;
beforeAll(() => {
  savedGpus = process.env.TRAINYARD_GPUS;
  process.env.TRAINYARD_GPUS = '2';
});
afterAll(() => {
  if (savedGpus === undefined) delete process.env.TRAINYARD_GPUS;
  else process.env.TRAINYARD_GPUS = savedGpus;
});

describe.skipIf(skip !== null)('a study over a command', () => {
  it('tunes the digits script: 6 TPE trials, median pruning, parallel trials on distinct GPUs', async () => {
    const h = await startCore({ maxConcurrent: 2 });
    const input = StudyCreateInput.parse(JSON.parse(readFileSync(EXAMPLE, 'utf8')));
    if (input.train.kind !== 'command') throw new Error('the example study runs a command');
    // A pause after each epoch leaves the pruner's decision time to land before the script's last epoch,
    // however slow the core is on a loaded machine (ten epochs of digits take about a second).
    input.train = { ...input.train, argv: [PYTHON, ...input.train.argv.slice(1), '--sleep', '0.4'], cwd: DIGITS };
    const created = await h.api.studies.create(input);
    const done = await new Promise<StudySummary>((resolve) => {
      const check = () => void h.api.studies.get({ id: created.id }).then((s) => s.status !== 'running' && (clearInterval(poll), resolve(s)));
      const poll = setInterval(check, 250);
    });
    expect(done.status, done.failureReason ?? '').toBe('completed');
    expect(done.intermediateKey).toBe('val_loss');
    const { trials } = await h.api.studies.trials({ id: created.id, offset: 0, limit: 100 });
    expect(trials).toHaveLength(6);
    // The warm start's lr=0.0001 learns far slower than the two before it: the median pruner stops it.
    expect(trials[2]).toMatchObject({ params: { lr: 0.0001, hidden: 8 }, status: 'pruned' });
    const pruned = trials.filter((t) => t.status === 'pruned');
    for (const t of pruned) {
      await h.waitFor(t.jobId!); // the trial is pruned at once; its program stops within an epoch
      const end = (await h.api.jobs.transitions({ id: t.jobId! })).at(-1)!;
      expect(end).toMatchObject({ to: 'cancelled', cause: 'pruned by the study' });
      expect(t.intermediate.length).toBeLessThan(10); // stopped before its last epoch
    }
    const completed = trials.filter((t) => t.status === 'completed');
    expect(completed.length).toBeGreaterThanOrEqual(2);
    for (const t of completed) {
      const run = await h.api.runs.get({ id: t.runId! });
      expect(t.value).toBe(run.summary.val_loss);
      expect(run.params).toMatchObject(t.params);
    }
    expect(done.best!.value).toBe(Math.min(...completed.map((t) => t.value!)));

    // Each trial's job had one GPU, the program saw it as CUDA_VISIBLE_DEVICES, and jobs that ran at the same time had different ones.
    const jobs = await h.drain(trials.map((t) => t.jobId!));
    for (const j of jobs) {
      expect(j.gpuIndices).toHaveLength(1);
      const logs = await h.api.jobs.logs({ id: j.id, afterId: 0, limit: 1000 });
      expect(logs.map((l) => l.message).join('\n')).toContain(`CUDA_VISIBLE_DEVICES='${j.gpuIndices[0]}'`);
    }
    for (const a of jobs) {
      for (const b of jobs) {
        const overlap = a.id !== b.id && a.startedAt! < b.finishedAt! && b.startedAt! < a.finishedAt!;
        if (overlap) expect(a.gpuIndices).not.toEqual(b.gpuIndices);
      }
    }
    expect(new Set(jobs.map((j) => j.gpuIndices[0]))).toEqual(new Set([0, 1]));
  });
});
