/**
 * How a worker process is started. Plain Node (CLI, `trainyard serve`, tests) forks a child process;
 * the Electron main process supplies its own launcher built on `utilityProcess`.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Envelope } from './protocol';
import type { Pipe } from './endpoint';

export interface WorkerHandle extends Pipe {
  readonly pid: number | undefined;
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
  /** The last lines the process wrote to stderr: the cause of a crash, when it said one. */
  readonly stderrTail?: string;
}

export type WorkerLauncher = (opts: { env: Record<string, string> }) => WorkerHandle;

/** The worker entry: built JavaScript beside this module when bundled, else the TypeScript source run through tsx. */
function workerEntry(): { file: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (import.meta.url.endsWith('.js') && existsSync(built)) return { file: built, execArgv: [] };
  return {
    file: fileURLToPath(new URL('../../worker/index.ts', import.meta.url)),
    execArgv: ['--import', 'tsx'],
  };
}

/**
 * A launcher that forks `entry` (a TypeScript file runs through tsx). The default is Trainyard's
 * worker; tests pass workers that misbehave on purpose, to check the pool's supervision.
 */
export function createForkLauncher(entryFile?: string): WorkerLauncher {
  return ({ env }) => forkWorker(entryFile ? { file: entryFile, execArgv: entryFile.endsWith('.ts') ? ['--import', 'tsx'] : [] } : workerEntry(), env);
}

export const forkLauncher: WorkerLauncher = createForkLauncher();

function forkWorker(entry: { file: string; execArgv: string[] }, env: Record<string, string>): WorkerHandle {
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
