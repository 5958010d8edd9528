/**
 * Worker processes in the desktop app: Electron `utilityProcess`es running the built worker entry
 * (`worker.js`, built beside this file). The worker side talks through `process.parentPort`
 * (see `parentPipe` in the core's workers capability); this adapts the main side to `WorkerHandle`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { utilityProcess } from 'electron';
import type { WorkerHandle, WorkerLauncher } from '../core/workers';

type Envelope = Parameters<WorkerHandle['send']>[0];

const STDERR_LINES = 50;

export function workerEntryPath(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');
}

export const utilityLauncher: WorkerLauncher = ({ env }) => {
  // The marker argument lets a restarted app recognise its orphaned workers (see PidRecords).
  const child = utilityProcess.fork(workerEntryPath(), ['--trainyard-worker'], {
    serviceName: 'Trainyard worker',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  // Worker output is not the app's: keep the pipes drained, remember the tail of stderr.
  child.stdout?.resume();
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer | string) => {
    stderr.push(chunk.toString());
    if (stderr.length > STDERR_LINES) stderr.shift();
  });

  // Messages sent before the process has spawned wait for it; after it has exited they are dropped.
  let spawned = false;
  let exited = false;
  let killedWith: string | null = null;
  const queued: Envelope[] = [];
  child.once('spawn', () => {
    spawned = true;
    for (const msg of queued.splice(0)) child.postMessage(msg);
  });
  child.once('exit', () => {
    exited = true;
    queued.length = 0;
  });

  return {
    get pid() {
      return child.pid;
    },
    send(msg) {
      if (exited) return;
      if (spawned) child.postMessage(msg);
      else queued.push(msg);
    },
    onMessage(cb) {
      const h = (msg: unknown) => cb(msg as Envelope);
      child.on('message', h);
      return () => child.off('message', h);
    },
    onExit(cb) {
      // utilityProcess reports an exit code only; the signal is known when we sent it.
      child.once('exit', (code) => cb(code, killedWith));
    },
    kill(signal = 'SIGTERM') {
      if (exited) return;
      killedWith = signal;
      const pid = child.pid;
      if (signal === 'SIGKILL' && pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
          return;
        } catch {
          // Already gone, or not ours to signal: fall back to the graceful kill below.
        }
      }
      child.kill();
    },
    get stderrTail() {
      return stderr.join('').slice(-2000);
    },
  };
};
