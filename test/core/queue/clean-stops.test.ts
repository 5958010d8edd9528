/**
 * A training job across clean stops and kills of a real core process. A clean stop (SIGTERM, which
 * closes the core) never counts against the job's interruption budget; a resumed job continues its
 * one run, whose curves hold each epoch once; what the worker reported before a SIGTERM is in the
 * store; and a command run without a server tells a dead owner's job apart from a running one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src/shared/contract';
import { trainyardCli } from '../../helpers/cli';
import { tempDirPerTest } from '../../helpers/tmp';
import { coresPerTest, isAlive, until } from './harness';

const CORE = fileURLToPath(new URL('../../fixtures/train-core-process.ts', import.meta.url));
const tmp = tempDirPerTest();
const startCore = coresPerTest();
// Enough epochs that four stops, each a few epochs in, land well before the end, even on a loaded machine.
const EPOCHS = 60;

interface CoreProcess {
  child: ChildProcess;
  tap: string;
  /** Resolves once the worker has reported `n` epochs in this process. */
  epochs(n: number): Promise<void>;
  exited: Promise<number | null>;
}

/** `group`: the core leads its own process group, as a command started from a terminal does. */
function startTrainCore(dir: string, n: number, group = false): CoreProcess {
  const tap = join(dir, `tap-${n}.jsonl`);
  const child = spawn(process.execPath, ['--import', 'tsx', CORE], {
    env: { ...process.env, DATA_DIR: dir, TAP_FILE: tap, EPOCHS: String(EPOCHS) },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: group,
  });
  let seen = 0;
  const waiting: { n: number; resolve: () => void }[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    seen += lines.filter((l) => l.startsWith('{"epoch"')).length;
    for (const w of waiting.filter((x) => seen >= x.n)) w.resolve();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    tap,
    exited,
    epochs: (n) =>
      new Promise<void>((resolve, reject) => {
        if (seen >= n) return resolve();
        waiting.push({ n, resolve });
        void exited.then((code) => reject(new Error(`the core process exited with ${code} before ${n} epochs`)));
      }),
  };
}

const pointId = (p: { key: string; step: number; value: number }) => `${p.key}@${p.step}=${p.value}`;

/** The job and its run's points as the store holds them, read straight from the file once no core runs. */
function stored(dir: string): { job: { id: string; run_id: string | null; status: string }; points: Set<string> } {
  const db = new Database(join(dir, 'trainyard.db'), { readonly: true });
  try {
    const job = db.prepare('SELECT id, run_id, status FROM jobs').get() as { id: string; run_id: string | null; status: string };
    const points = db.prepare('SELECT key, step, value FROM metrics WHERE run_id = ?').all(job.run_id) as { key: string; step: number; value: number }[];
    return { job, points: new Set(points.map(pointId)) };
  } finally {
    db.close();
  }
}

function runStatus(dir: string, id: string): string {
  const db = new Database(join(dir, 'trainyard.db'), { readonly: true });
  try {
    return (db.prepare('SELECT status FROM runs WHERE id = ?').get(id) as { status: string }).status;
  } finally {
    db.close();
  }
}

function tapped(file: string): { key: string; step: number; value: number }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: string; step: number; value: number });
}

describe('clean stops and kills of a core running a training job', () => {
  it('four SIGTERMs during one job: none fails it, every reported metric is stored, and the job completes as one run', async () => {
    const dir = tmp();
    for (let stop = 1; stop <= 4; stop++) {
      const core = startTrainCore(dir, stop);
      await core.epochs(3); // past a checkpoint (every 2 epochs)
      core.child.kill('SIGTERM');
      expect(await core.exited).toBe(0);
      const { job, points } = stored(dir);
      expect(job.status).toBe('queued');
      // Every point the core had received from the worker before it stopped was written.
      expect(tapped(core.tap).filter((p) => !points.has(pointId(p))), `stop ${stop}`).toEqual([]);
    }

    const h = await startCore({ dataDir: dir });
    const [only] = await h.api.jobs.list({ limit: 10 });
    const end = await h.waitFor(only.id);
    expect(end.error).toBeNull();
    expect(end.status).toBe('completed');
    const timeline = await h.api.jobs.transitions({ id: end.id });
    expect(timeline.filter((t) => t.from === 'running' && t.to === 'queued').map((t) => t.cause)).toEqual(
      Array.from({ length: 4 }, () => expect.stringMatching(/^interrupted: Trainyard was stopped/)),
    );

    // Each start after the first resumed from a checkpoint, continuing the one run.
    const log = (await h.api.jobs.logs({ id: end.id, limit: 10000 })).map((l) => l.message);
    expect(log.filter((m) => /^Resuming from the checkpoint at epoch \d+/.test(m))).toHaveLength(4);
    expect(log.filter((m) => m.startsWith(`Continuing run ${end.runId}:`))).toHaveLength(4);

    // One run for the job, completed, whose loss curve holds each epoch once.
    const runs = await h.api.runs.list({ query: '', includeArchived: true, sort: { key: 'created', order: 'asc' }, offset: 0, limit: 50 });
    expect(runs.runs.map((r) => [r.id, r.status])).toEqual([[end.runId, 'completed']]);
    const [loss] = await h.api.runs.metrics({ id: end.runId!, keys: ['loss'], maxPoints: 1000 });
    expect(loss.points.map((p) => p.step)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    const [valLoss] = await h.api.runs.metrics({ id: end.runId!, keys: ['val_loss'], maxPoints: 1000 });
    expect(valLoss.points.map((p) => p.step)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    // System samples continue across the starts rather than restarting at 0.
    const [cpu] = await h.api.runs.metrics({ id: end.runId!, keys: ['sys.cpu_percent'], maxPoints: 10000 });
    const steps = cpu.points.map((p) => p.step);
    expect(new Set(steps).size).toBe(steps.length);
  });

  it('Ctrl-C in a terminal (SIGINT to the whole process group, workers included) is a clean stop too', async () => {
    const dir = tmp();
    const core = startTrainCore(dir, 1, true);
    await core.epochs(3);
    process.kill(-core.child.pid!, 'SIGINT');
    expect(await core.exited).toBe(0);
    const { job } = stored(dir);
    expect(job.status).toBe('queued');
    const h = await startCore({ dataDir: dir });
    const end = await h.waitFor(job.id);
    expect(end.status).toBe('completed');
    const timeline = await h.api.jobs.transitions({ id: job.id });
    expect(timeline[2].cause).toMatch(/^interrupted: Trainyard was stopped/);
    expect(end.runId).toBe(job.run_id);
  });

  it('a job that ends before it resumes ends its open run the same way: cancelled while queued, or failed after its fourth kill', async () => {
    const dir = tmp();
    const stopped = startTrainCore(dir, 1);
    await stopped.epochs(3);
    stopped.child.kill('SIGTERM');
    await stopped.exited;
    const { job } = stored(dir);
    const cli = trainyardCli(dir);
    expect(cli.json<Job>('jobs', 'cancel', job.id).status).toBe('cancelled');
    expect(runStatus(dir, job.run_id!)).toBe('cancelled');

    const other = tmp();
    for (let kill = 1; kill <= 4; kill++) {
      const core = startTrainCore(other, kill);
      await core.epochs(3);
      core.child.kill('SIGKILL');
      await core.exited;
    }
    const h = await startCore({ dataDir: other });
    const [killed] = await h.api.jobs.list({ limit: 10 });
    expect(killed.status).toBe('failed');
    expect(killed.error).toMatch(/^Interrupted 4 times \(Trainyard stopped while it ran\); not re-queued again/);
    expect((await h.api.runs.get({ id: killed.runId! })).status).toBe('failed');
    expect((await h.api.runs.list({})).total).toBe(1);
  });

  it('after a SIGKILL, `jobs list` and `jobs show` without a server say the job was interrupted, with no ETA', async () => {
    const dir = tmp();
    const core = startTrainCore(dir, 1);
    await core.epochs(2);
    core.child.kill('SIGKILL');
    await core.exited;
    await until(() => !isAlive(core.child.pid));
    // A kill loses only the newest points (those still in the reporter's buffer): what is missing
    // is the end of what the core had received, never a gap before stored points.
    const { points } = stored(dir);
    const received = tapped(core.tap);
    const firstMissing = received.findIndex((p) => !points.has(pointId(p)));
    if (firstMissing >= 0) expect(received.slice(firstMissing).filter((p) => points.has(pointId(p)))).toEqual([]);
    expect(points.size).toBeGreaterThan(0);

    const cli = trainyardCli(dir);

    const list = cli.run('jobs', 'list');
    expect(list.code, list.stderr).toBe(0);
    const row = list.stdout.split('\n').find((l) => l.includes('mlp'))!;
    expect(row).toContain('interrupted (Trainyard is not running)');
    expect(row).not.toMatch(/\d+ ?(s|min|h)\b/); // no live-looking ETA

    const [job] = cli.json<Job[]>('jobs', 'list');
    expect(job.status).toBe('running'); // what the store says, until Trainyard starts again
    expect(job.ownerRunning).toBe(false);
    expect(job.progress.etaMs).toBeNull();

    const show = cli.run('jobs', 'show', job.id);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout.split('\n')[0]).toContain('interrupted (Trainyard is not running)');
    expect(show.stdout).not.toMatch(/ETA \d/);

    // Trainyard started again picks the job up as usual.
    const h = await startCore({ dataDir: dir });
    const end = await h.waitFor(job.id);
    expect(end.status).toBe('completed');
    expect((await h.api.jobs.get({ id: job.id })).ownerRunning).toBeUndefined();
  });
});
