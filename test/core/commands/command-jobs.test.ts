/**
 * Command jobs against real programs: the PyTorch digits example run normally, cancelled mid-run and
 * crashing; a script that ignores SIGTERM; 1 MB lines; a flood of output. Real processes, a real core.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupMembers } from '../../../src/core/commands';
import { LOG_LINES_PER_START, MAX_LINE_BYTES } from '../../../src/core/queue/executors/command';
import { coresPerTest, until } from '../queue/harness';
import { PYTHON, command, digits, torchMissing } from './helpers';

const startCore = coresPerTest();
const skip = torchMissing();
if (skip) console.warn(`Skipping the PyTorch command job tests: ${skip}`);

const logsOf = async (h: Awaited<ReturnType<typeof startCore>>, id: string) => {
  const lines = [];
  for (let after = 0; ; ) {
    const page = await h.api.jobs.logs({ id, afterId: after, limit: 10000 });
    if (page.length === 0) return lines;
    lines.push(...page);
    after = page[page.length - 1].id;
  }
};

describe.skipIf(skip !== null)('command jobs running the PyTorch digits example', () => {
  it('runs to the end: per-epoch loss and accuracy, params, the saved weights as an artifact, exit code 0', async () => {
    const h = await startCore();
    const job = await h.api.jobs.create(command(digits(['--lr', '{lr}', '--epochs', '{epochs}'], { params: { lr: 0.05, epochs: 4 }, name: 'digits' })));
    const done = await h.waitFor(job.id);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.progress.fraction).toBe(1);
    const run = await h.api.runs.get({ id: done.runId! });
    expect(run.model).toBe('command');
    expect(run.params).toEqual({ lr: 0.05, epochs: 4 });
    expect(run.summary.val_accuracy).toBeGreaterThan(0.8);
    const series = await h.api.runs.metrics({ id: run.id, keys: ['loss', 'val_accuracy'] });
    for (const s of series) expect(s.points.map((p) => p.step)).toEqual([0, 1, 2, 3]);
    const loss = series.find((s) => s.key === 'loss')!.points.map((p) => p.value);
    expect(loss[3]).toBeLessThan(loss[0]);
    expect(run.artifacts.map((a) => a.path.split('/').pop()).sort()).toEqual(['card.json', 'model.pt']);
    const end = (await h.api.jobs.transitions({ id: job.id })).at(-1)!;
    expect(end).toMatchObject({ to: 'completed', exitCode: 0, signal: null });
    const log = (await logsOf(h, job.id)).map((l) => l.message).join('\n');
    expect(log).toContain('epoch 3: loss');
    expect(log).not.toContain('TRAINYARD_METRIC'); // metric lines become metrics, not log lines

    // Registered like any model: its files, and its metrics and params as lineage; no built-in predict.
    const version = await h.api.models.register({ name: 'digits', runId: run.id });
    expect(version.files.map((f) => f.path).sort()).toEqual(['card.json', 'model.pt']);
    expect(version.schema.task).toBe('command');
    expect(version.lineage).toMatchObject({ runId: run.id, jobId: job.id, family: 'command', params: { lr: 0.05, epochs: 4 } });
    expect(version.lineage.metrics.val_accuracy).toBe(run.summary.val_accuracy);
    const predicted = await h.api.models.predict({ ref: 'digits:1', data: { source: { kind: 'sample', file: 'co2-concentration.csv' } } }).catch((e: unknown) => e);
    expect(predicted).toMatchObject({ name: 'InvalidInput' });
    expect((predicted as Error).message).toMatch(/digits:1 holds the files of a command run: a command model has no built-in predict/);
  });

  it('cancelled mid-run: the script sees the stop and ends cleanly, the run is cancelled with the epochs it reported', async () => {
    const h = await startCore();
    const job = await h.api.jobs.create(command(digits(['--epochs', '200', '--sleep', '0.5'])));
    const running = await h.waitFor(job.id, (j) => j.status === 'running' && j.runId !== null);
    await waitForMetric(h, running.runId!, 'val_loss');
    await h.api.jobs.cancel({ id: job.id });
    const done = await h.waitFor(job.id);
    expect(done.status).toBe('cancelled');
    expect(done.error).toBe('Cancelled by the user');
    const run = await h.api.runs.get({ id: done.runId! });
    expect(run.status).toBe('cancelled');
    expect(run.summary.val_loss).toBeGreaterThan(0);
    const end = (await h.api.jobs.transitions({ id: job.id })).at(-1)!;
    // The helper's should_prune() saw the request within an epoch: exit 0, before any SIGTERM.
    expect(end).toMatchObject({ to: 'cancelled', exitCode: 0, signal: null });
    const log = (await logsOf(h, job.id)).map((l) => l.message).join('\n');
    expect(log).toContain('Trainyard asked to stop after epoch');
  });

  it('crashing with exit 1: failed with the code and the last stderr lines, and retried per its policy', async () => {
    const h = await startCore();
    const job = await h.api.jobs.create(command(digits(['--epochs', '5', '--crash-at', '0']), { retryPolicy: { maxAttempts: 2, backoffMs: 0 } }));
    const done = await h.waitFor(job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^the command exited with code 1: .*crashing on purpose after epoch 0/);
    const timeline = await h.api.jobs.transitions({ id: job.id });
    expect(timeline.map((t) => t.to)).toEqual(['queued', 'running', 'queued', 'running', 'failed']);
    expect(timeline[2].cause).toMatch(/automatic retry 2 of 2/);
    expect(timeline.at(-1)).toMatchObject({ exitCode: 1, signal: null });
    expect(timeline.at(-1)!.logTail.join('\n')).toContain('crashing on purpose');
    expect((await h.api.runs.get({ id: done.runId! })).status).toBe('failed');
  });

  it('crashing with a segfault: failed, killed by SIGSEGV', async () => {
    const h = await startCore();
    const job = await h.api.jobs.create(command(digits(['--epochs', '5', '--segfault-at', '1'])));
    const done = await h.waitFor(job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^the command was killed by SIGSEGV/);
    expect((await h.api.jobs.transitions({ id: job.id })).at(-1)).toMatchObject({ exitCode: null, signal: 'SIGSEGV' });
    const run = await h.api.runs.get({ id: done.runId! });
    expect((await h.api.runs.metrics({ id: run.id, keys: ['loss'] }))[0].points).toHaveLength(2);
  });
});

async function waitForMetric(h: Awaited<ReturnType<typeof startCore>>, runId: string, key: string): Promise<void> {
  for (;;) {
    const run = await h.api.runs.get({ id: runId });
    if (run.summary[key] !== undefined) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('command jobs and their processes', () => {
  it('a script that ignores SIGTERM, and its child, are killed as a group after the grace period', async () => {
    const h = await startCore();
    const job = await h.api.jobs.create(command({ argv: [PYTHON, 'ignores-sigterm.py'], graceMs: 500 }));
    const running = await h.waitFor(job.id, (j) => j.status === 'running' && j.runId !== null);
    await waitForMetric(h, running.runId!, 'ready');
    const pgid = await groupOf(h, job.id);
    expect(groupMembers(pgid)!.length).toBe(2); // the script and its child
    await h.api.jobs.cancel({ id: job.id });
    const done = await h.waitFor(job.id);
    expect(done.status).toBe('cancelled');
    expect((await h.api.jobs.transitions({ id: job.id })).at(-1)).toMatchObject({ signal: 'SIGKILL' });
    await until(() => groupMembers(pgid)!.length === 0);
  });

  it('fills the argv template and TRAINYARD_PARAMS, pins CUDA_VISIBLE_DEVICES, reads the metrics file, keeps artifacts', async () => {
    const h = await startCore({ capacity: { gpuIndices: [0, 1] } });
    const job = await h.api.jobs.create(
      command({ argv: [PYTHON, 'report.py', '--lr={lr}', '{{literal}}'], params: { lr: 0.1, layers: 3 }, env: { EXTRA: 'yes', CUDA_VISIBLE_DEVICES: '7' } }, { resources: { gpus: 1, cpuSlots: 1, memoryMB: 64 } }),
    );
    const done = await h.waitFor(job.id);
    expect(done.status, done.error ?? '').toBe('completed');
    const log = (await logsOf(h, job.id)).map((l) => l.message);
    expect(log).toContain('argv=["--lr=0.1", "{literal}"]');
    expect(log).toContain('params={"layers": 3, "lr": 0.1}');
    expect(log).toContain('cuda=0'); // the scheduler's pinning wins over the job's own env
    expect(log).toContain('extra=yes');
    expect(log.some((l) => l.includes('Metric "label" is not a number'))).toBe(true);
    const run = await h.api.runs.get({ id: done.runId! });
    const [score] = await h.api.runs.metrics({ id: run.id, keys: ['score'] });
    expect(score.points.map((p) => [p.step, p.value])).toEqual([[0, 0], [1, 10], [2, 20], [3, 30]]);
    expect(run.artifacts.find((a) => a.path.endsWith('sub/weights.bin'))).toMatchObject({ sizeBytes: 1000, kind: 'artifact' });
  });

  it('refuses at submit a template naming a param that is not set, and a program that does not exist fails saying so', async () => {
    const h = await startCore();
    const refused = await h.api.jobs.create(command({ argv: [PYTHON, 'x.py', '--lr', '{lr}'], params: { rate: 1 } })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'InvalidInput', field: 'spec.argv.3' });
    expect((refused as Error).message).toMatch(/names the param \{lr\}, which is not set \(params: rate\)/);
    const job = await h.api.jobs.create(command({ argv: ['no-such-program-here'] }, { retryPolicy: { maxAttempts: 3, backoffMs: 0 } }));
    const done = await h.waitFor(job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/Could not start "no-such-program-here": no such program/);
    expect((await h.api.jobs.transitions({ id: job.id })).map((t) => t.to)).toEqual(['queued', 'running', 'failed']); // not retried: it would fail the same way
  });

  it('1 MB lines are kept truncated with a marker; the last line without a newline is kept', async () => {
    const h = await startCore();
    const job = await h.api.jobs.create(command({ argv: [PYTHON, 'long-lines.py'] }));
    const done = await h.waitFor(job.id);
    expect(done.status, done.error ?? '').toBe('completed');
    const log = (await logsOf(h, job.id)).map((l) => l.message);
    const long = log.filter((l) => l.includes('[line truncated: 1048576 bytes in all]'));
    expect(long).toHaveLength(6);
    for (const l of long) expect(Buffer.byteLength(l)).toBeLessThan(MAX_LINE_BYTES + 100);
    expect(log).toContain('the end');
  });

  it('a flood of output: the log stays bounded, every metric line is ingested, the event loop keeps turning', async () => {
    const h = await startCore();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const job = await h.api.jobs.create(command({ argv: [PYTHON, 'flood.py'] }));
    const done = await h.waitFor(job.id);
    delay.disable();
    expect(done.status, done.error ?? '').toBe('completed');
    const lines = await logsOf(h, job.id);
    // 300k lines printed; the log keeps a bounded share and says how many it left out.
    expect(lines.length).toBeLessThan(LOG_LINES_PER_START + 100);
    expect(lines.length).toBeLessThan(300_000);
    const dropped = lines.filter((l) => /lines? of output not kept in the log/.test(l.message));
    expect(dropped.length).toBeGreaterThan(0);
    const [x] = await h.api.runs.metrics({ id: done.runId!, keys: ['x'], maxPoints: 100 });
    expect(x.total).toBe(20_000);
    const run = await h.api.runs.get({ id: done.runId! });
    expect(run.summary.x).toBe(299_985);
    console.info(`flood: ${lines.length} log lines kept of 300000; event loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`);
  });
});

/** The process group of a running command job: its leader's pid, from the job's record. */
async function groupOf(h: Awaited<ReturnType<typeof startCore>>, jobId: string): Promise<number> {
  const file = join(h.dir, 'commands', `${jobId}.json`);
  await until(() => existsSync(file));
  return (JSON.parse(readFileSync(file, 'utf8')) as { pgid: number }).pgid;
}
