/**
 * How a worker process is started. Plain Node (CLI, `trainyard serve`, tests) forks a child process;
 * the Electron main process supplies its own launcher built on `utilityProcess`.
 */
import { fork } from 'node:child_process';
import { entryFile, sourceEntry, type EntryFile } from '../entry-file';
import type { Envelope } from './protocol';
import type { Pipe } from './endpoint';

export interface WorkerHandle extends Pipe {
  /** Undefined until the process has started (a utilityProcess has no pid before its 'spawn'). */
  readonly pid: number | undefined;
  /** Called once with the pid when the process has started; a handle whose pid is known at once may leave it out. */
  onSpawn?(cb: (pid: number) => void): void;
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
  /** The last lines the process wrote to stderr: the cause of a crash, when it said one. */
  readonly stderrTail?: string;
}

export type WorkerLauncher = (opts: { env: Record<string, string> }) => WorkerHandle;

/**
 * A launcher that forks `entry` (a TypeScript file runs through tsx). The default is Trainyard's
 * worker; tests pass workers that misbehave on purpose, to check the pool's supervision.
 */
export function createForkLauncher(entry?: string): WorkerLauncher {
  return ({ env }) => forkWorker(entry ? sourceEntry(entry) : workerEntry(), env);
}

export const forkLauncher: WorkerLauncher = createForkLauncher();

/** Trainyard's worker entry (see entry-file.ts). */
export function workerEntry(): EntryFile {
  return entryFile(import.meta.url, 'worker.js', new URL('../../worker/index.ts', import.meta.url));
}

function forkWorker(entry: EntryFile, env: Record<string, string>): WorkerHandle {
  const child = fork(entry.file, ['--trainyard-worker'], {
    execArgv: entry.execArgv,
    env: { ...process.env, ...env },
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Spawn and IPC failures surface through 'exit'; an unheard 'error' event would take the core down.
  child.on('error', () => undefined);
  // Worker stdout/stderr is not the app's: keep the pipes drained so a chatty library cannot block it.
  child.stdout?.resume();
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => {
    stderr.push(d.toString());
    if (stderr.length > 50) stderr.shift();
  });
  return {
    pid: child.pid,
    send: (msg: Envelope) => {
      // A worker can die between the check and the write (EPIPE). With a callback the failure is
      // reported here instead of as an 'error' event that would crash the core; the exit handler
      // records why the worker ended.
      if (child.connected) child.send(msg, (err) => void err);
    },
    onMessage(cb) {
      const h = (m: unknown) => cb(m as Envelope);
      child.on('message', h);
      return () => child.off('message', h);
    },
    onExit(cb) {
      child.on('exit', cb);
    },
    kill(signal = 'SIGTERM') {
      child.kill(signal);
    },
    get stderrTail() {
      return stderr.join('').slice(-2000);
    },
  };
}
