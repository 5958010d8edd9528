/** The `trainyard` command as a user runs it: a real process, a temp data directory, --json output. */
import type { Dataset, Job, QueueState, QueueStats, Run } from '../../src/shared/contract';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';

const BIN = fileURLToPath(new URL('../../bin/trainyard.mjs', import.meta.url));
const SAMPLE = fileURLToPath(new URL('../../resources/datasets/us-employment.csv', import.meta.url));
const t = tempDir();
afterAll(() => t.cleanup());

function trainyard(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '--data-dir', t.dir, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T = Record<string, unknown>>(...args: string[]): T {
  const r = trainyard(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe('trainyard CLI', () => {
  it('imports, submits, waits and shows a run, all machine-readable', () => {
    const d = json<Dataset>('datasets', 'import', SAMPLE, '--name', 'employment');
    expect(d).toMatchObject({ name: 'employment', rows: 120 });
    expect(json<Dataset[]>('datasets', 'list').map((x) => x.name)).toEqual(['employment']);

    const job = json<Job>('jobs', 'submit', '--dataset', 'employment', '--target', 'nonfarm', '--param', 'epochs=3', '--param', 'window=6', '--priority', 'high');
    expect(job).toMatchObject({ status: 'queued', priority: 'high', spec: { params: { epochs: 3, window: 6 } } });
    expect(json<Job[]>('jobs', 'list', '--status', 'queued').map((j) => j.id)).toEqual([job.id]);

    const done = json<Job>('jobs', 'wait', job.id);
    expect(done.status, done.error ?? undefined).toBe('completed');
    const run = json<Run>('runs', 'show', done.runId!);
    expect(run.params).toMatchObject({ epochs: 3, window: 6 });
    expect(run.summary['test.rmse']).toBeGreaterThan(0);
    expect(run.summary['naive.rmse']).toBeGreaterThan(0);

    const shown = trainyard('runs', 'show', done.runId!);
    expect(shown.stdout).toMatch(/RMSE/);
    expect(shown.stdout).toMatch(/naive/);
  });

  it('fails with a one-line reason and a non-zero exit', () => {
    const missing = trainyard('jobs', 'submit', '--dataset', 'nope', '--target', 'x');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^trainyard: Dataset "nope" was not found/);

    const badParam = trainyard('jobs', 'submit', '--dataset', 'employment', '--target', 'nonfarm', '--param', 'epochs=lots');
    expect(badParam.code).not.toBe(0);
    expect(badParam.stderr).toMatch(/params\.epochs/);

    const completed = json<Job[]>('jobs', 'list', '--status', 'completed')[0];
    const cancel = trainyard('jobs', 'cancel', completed.id);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toMatch(/is completed; it cannot be cancelled/);
  });

  it('drives the queue: pause, resume, set-priority, stats, a timeline, and refusals with the reason', () => {
    expect(json<QueueState>('queue', 'limits', '--max-concurrent', '2', '--train', '1')).toMatchObject({ maxConcurrent: 2, maxPerKind: { train: 1 } });
    // The older flag name still works for scripts, but the help shows only the contract's name.
    expect(json<QueueState>('queue', 'limits', '--concurrency', '3').maxConcurrent).toBe(3);
    expect(json<QueueState>('queue', 'limits', '--max-concurrent', '2').maxConcurrent).toBe(2);
    const help = trainyard('queue', 'limits', '--help').stdout;
    expect(help).toMatch(/--max-concurrent <n>/);
    expect(help).not.toMatch(/--concurrency/);
    expect(json<QueueState>('queue', 'limits', '--train', 'none').maxPerKind).toEqual({});
    expect(json<QueueState>('queue', 'pause').paused).toBe(true);
    const low = json<Job>('jobs', 'submit', '--noop', '0', '--priority', 'low');
    const dependent = json<Job>('jobs', 'submit', '--noop', '0', '--after', low.id, '--max-attempts', '3');
    expect(dependent).toMatchObject({ after: [low.id], retryPolicy: { maxAttempts: 3 } });
    expect(json<Job>('jobs', 'set-priority', low.id, 'urgent').priority).toBe('urgent');

    const tooBig = trainyard('jobs', 'submit', '--noop', '0', '--gpus', '64');
    expect(tooBig.code).not.toBe(0);
    expect(tooBig.stderr).toMatch(/can never run here: it asks for 64 GPUs/);

    expect(json<{ state: QueueState }>('queue', 'stats').state).toMatchObject({ paused: true, queued: 2 });
    expect(json<QueueState>('queue', 'resume').paused).toBe(false);
    expect(json<Job>('jobs', 'wait', dependent.id).status).toBe('completed');
    const stats = json<{ stats: QueueStats }>('queue', 'stats').stats;
    expect(stats.perPriority.find((p) => p.priority === 'urgent')).toMatchObject({ completed: 1 });

    const shown = trainyard('jobs', 'show', low.id);
    expect(shown.stdout).toMatch(/timeline:/);
    expect(shown.stdout).toMatch(/queued\s+→ running\s+started/);
    expect(shown.stdout).toMatch(/running\s+→ completed\s+completed/);
  });
});
