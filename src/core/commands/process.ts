/**
 * One command's process: spawned as the leader of its own process group, its stdout and stderr cut
 * into bounded lines, stopped as a group (ask, SIGTERM, SIGKILL), and recorded while it runs so a
 * later core can end it if this one dies (see process-group.ts).
 */
import { spawn } from 'node:child_process';
import { LineSplitter } from './lines';
import { processStart, signalGroup, type GroupRecords } from './process-group';

export interface CommandExit {
  code: number | null;
  signal: string | null;
  /** The last lines the program wrote to stderr. */
  stderrTail: string[];
  /** A stop was asked for (cancel, prune) before it ended. */
  stopped: boolean;
  /** It never started (no such program, a folder that does not exist). */
  spawnError: NodeJS.ErrnoException | null;
}

export interface CommandProcessOptions {
  jobId: string;
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** After SIGTERM, how long the group has before SIGKILL. */
  graceMs: number;
  /** After a stop is asked (the prune file written), how long before SIGTERM. */
  askMs: number;
  maxLineBytes: number;
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  records: GroupRecords;
}

const TAIL_LINES = 20;
/** After the leader exits, how long its output pipes may stay open (a child that left the group holds them). */
const DRAIN_MS = 2000;

export class CommandProcess {
  readonly pid: number | undefined;
  readonly exited: Promise<CommandExit>;
  private stopRequested = false;
  private done = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly child;

  constructor(private readonly opts: CommandProcessOptions) {
    const [program, ...args] = opts.argv;
    this.child = spawn(program, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const { child } = this;
    this.pid = child.pid;
    if (this.pid !== undefined) opts.records.add({ jobId: opts.jobId, pgid: this.pid, procStart: processStart(this.pid), startedAt: Date.now() });
    const tail: string[] = [];
    const out = new LineSplitter((l) => opts.onLine('stdout', l), opts.maxLineBytes);
    const err = new LineSplitter((l) => {
      tail.push(l.length > 500 ? `${l.slice(0, 500)}…` : l);
      if (tail.length > TAIL_LINES) tail.shift();
      opts.onLine('stderr', l);
    }, opts.maxLineBytes);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const closed = (s: NodeJS.ReadableStream, splitter: LineSplitter) =>
      new Promise<void>((resolve) => {
        s.once('close', () => {
          splitter.end();
          resolve();
        });
      });
    const drained = Promise.all([closed(child.stdout, out), closed(child.stderr, err)]);

    this.exited = new Promise<CommandExit>((resolve) => {
      child.once('error', (e: NodeJS.ErrnoException) => {
        // Only a spawn failure comes without an exit; a failed kill of a live child is not one.
        if (this.pid !== undefined) return;
        this.finish();
        resolve({ code: null, signal: null, stderrTail: [], stopped: this.stopRequested, spawnError: e });
      });
      child.once('exit', (code, signal) => {
        this.done = true; // no more signals: the pgid is free for the kernel to reuse
        this.timers.forEach(clearTimeout);
        // Whatever the program left behind in its group goes with it: the job is over.
        if (this.pid !== undefined) signalGroup(this.pid, 'SIGKILL');
        const timeout = new Promise<void>((r) => setTimeout(r, DRAIN_MS).unref());
        void Promise.race([drained, timeout]).then(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          this.finish();
          resolve({ code, signal, stderrTail: [...tail], stopped: this.stopRequested, spawnError: null });
        });
      });
    });
  }

  private finish(): void {
    this.done = true;
    this.timers.forEach(clearTimeout);
    this.opts.records.remove(this.opts.jobId);
  }

  /**
   * Asks the program to stop: `ask` (writing the prune file) at once, SIGTERM to the group after
   * `askMs`, SIGKILL after the grace period. Safe to call twice.
   */
  stop(ask: () => void): void {
    if (this.stopRequested || this.done) return;
    this.stopRequested = true;
    ask();
    const pgid = this.pid;
    if (pgid === undefined) return;
    this.timers.push(setTimeout(() => this.signal('SIGTERM'), this.opts.askMs));
    this.timers.push(setTimeout(() => this.signal('SIGKILL'), this.opts.askMs + this.opts.graceMs));
  }

  /** Trainyard is stopping: SIGTERM now, SIGKILL after the grace period. */
  terminate(): void {
    if (this.done) return;
    this.stopRequested = true;
    this.signal('SIGTERM');
    this.timers.push(setTimeout(() => this.signal('SIGKILL'), this.opts.graceMs));
  }

  /** Stops reading its output (the program blocks once the pipe is full): backpressure while metrics are written. */
  pause(): void {
    this.child.stdout.pause();
    this.child.stderr.pause();
  }

  resume(): void {
    this.child.stdout.resume();
    this.child.stderr.resume();
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.done || this.pid === undefined) return;
    signalGroup(this.pid, sig);
  }
}
