/**
 * Watches every Slurm job Trainyard has in flight with one `squeue` call per round, however many
 * there are, and asks `sacct` only about jobs squeue no longer lists (it forgets ended jobs after
 * MinJobAge). Rounds back off while nothing changes (250 ms up to 5 s) and come quick again on a
 * change or a new job, so a busy cluster's controller is not hammered.
 */
import type { CoreLog } from '../../log';
import { rows, slurm } from './cli';
import { inFlight, parseExit, type SlurmEnd } from './states';

export interface SlurmSighting {
  state: string;
  reason: string;
  /** Set once the job has ended. */
  end?: SlurmEnd;
}

type Watcher = (s: SlurmSighting) => void;

const MIN_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;
/** Rounds in which neither squeue nor sacct knows a job before it is declared lost. */
const LOST_AFTER = 20;

export class SlurmPoller {
  private readonly watchers = new Map<string, { cb: Watcher; last: string; misses: number }>();
  private timer: NodeJS.Timeout | null = null;
  private delay = MIN_DELAY_MS;
  private polling = false;
  private failing = false;
  private stopped = false;
  /** squeue calls made: the benchmark reads it. */
  calls = 0;

  constructor(private readonly log: CoreLog) {}

  watch(clusterJobId: string, cb: Watcher): void {
    this.watchers.set(clusterJobId, { cb, last: '', misses: 0 });
    this.kick();
  }

  unwatch(clusterJobId: string): void {
    this.watchers.delete(clusterJobId);
  }

  /** Something changed (a submit, a result line): the next round comes soon. */
  kick(): void {
    this.delay = MIN_DELAY_MS;
    if (this.polling || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), MIN_DELAY_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async round(): Promise<void> {
    this.timer = null;
    if (this.watchers.size === 0 || this.stopped) return;
    this.polling = true;
    let changed = false;
    try {
      changed = await this.poll([...this.watchers.keys()]);
      if (this.failing) this.log('info', 'Slurm answers again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.log('warn', 'Slurm does not answer; its jobs are polled again with backoff', { error: err });
      this.failing = true;
    } finally {
      this.polling = false;
    }
    if (this.watchers.size === 0 || this.stopped) return;
    this.delay = changed ? MIN_DELAY_MS : Math.min(MAX_DELAY_MS, Math.round(this.delay * 1.5));
    this.timer = setTimeout(() => void this.round(), this.delay);
    this.timer.unref();
  }

  /** One round; true when some job's state changed. */
  private async poll(ids: string[]): Promise<boolean> {
    this.calls++;
    const seen = new Map<string, SlurmSighting>();
    try {
      const out = await slurm('squeue', ['-h', '-t', 'all', '-j', ids.join(','), '-O', 'JobID:|,State:|,Reason:|,exit_code:|']);
      for (const [id, state, reason, exit] of rows(out)) {
        seen.set(id, inFlight(state) ? { state, reason } : { state, reason, end: { state, reason, ...parseExit(exit) } });
      }
    } catch (err) {
      // squeue refuses a list in which it knows no job at all: sacct is asked about each of them.
      if (!String((err as Error).message).includes('Invalid job id')) throw err;
    }
    const missing = ids.filter((id) => !seen.has(id));
    if (missing.length > 0) {
      const out = await slurm('sacct', ['-c', '-n', '-P', '-j', missing.join(','), '-o', 'JobID,State,ExitCode']).catch((err: unknown) => {
        this.log('warn', 'sacct could not be read for jobs squeue no longer lists', { jobs: missing, error: err });
        return '';
      });
      for (const [id, state, exit] of rows(out)) {
        if (!inFlight(state)) seen.set(id, { state, reason: '', end: { state, reason: '', ...parseExit(exit) } });
      }
    }
    let changed = false;
    for (const id of ids) {
      const w = this.watchers.get(id);
      if (!w) continue;
      let s = seen.get(id);
      if (!s) {
        if (++w.misses < LOST_AFTER) continue;
        s = { state: 'UNKNOWN', reason: 'Slurm no longer knows this job', end: { state: 'UNKNOWN', reason: 'Slurm no longer knows this job', exitCode: null, signal: null } };
      }
      w.misses = 0;
      const key = `${s.state}|${s.reason}`;
      if (key === w.last && !s.end) continue;
      w.last = key;
      changed = true;
      if (s.end) this.watchers.delete(id);
      w.cb(s);
    }
    return changed;
  }
}
