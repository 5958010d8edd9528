/**
 * The desktop app's processes (workers, the GPU probe) as Electron `utilityProcess`es.
 *
 * Nothing here imports electron: it is written against the few members of a utilityProcess it uses
 * (`UtilityFork`), and worker-launcher.ts hands it Electron's own. Tests hand it a stand-in with the
 * same behaviour built on child_process.fork, so the same contract runs in plain Node.
 *
 * What a utilityProcess does differently from child_process.fork, and this adapts:
 * - its pid is undefined until 'spawn';
 * - 'exit' carries an exit code only, never a signal;
 * - `kill()` takes no signal;
 * - its arguments do not reach the OS command line (so the pool marks workers in their environment).
 */
import type { ProbeProcess } from '../core/compute';
import type { WorkerHandle, WorkerLauncher } from '../core/workers';

type Envelope = Parameters<WorkerHandle['send']>[0];

/** The members of Electron's UtilityProcess used here. */
export interface UtilityChild {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'spawn', listener: () => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
  on(event: 'message', listener: (message: unknown) => void): this;
  /** A fatal V8 error; 'exit' follows. */
  on(event: 'error', listener: (type: 'FatalError', location: string, report: string) => void): this;
  once(event: 'spawn', listener: () => void): this;
  once(event: 'exit', listener: (code: number) => void): this;
  once(event: 'message', listener: (message: unknown) => void): this;
  off(event: 'message', listener: (message: unknown) => void): this;
}

export interface UtilityForkOptions {
  serviceName: string;
  env: NodeJS.ProcessEnv;
  stdio: ['ignore', 'pipe', 'pipe'];
}

/** `utilityProcess.fork`. */
export type UtilityFork = (modulePath: string, args: string[], options: UtilityForkOptions) => UtilityChild;

const STDERR_CHUNKS = 50;

/**
 * Keeps the pipes drained (output is not the app's) and the tail of stderr, the cause of a crash when
 * it said one, or of a fatal error (an 'error' event nobody heard would end the main process).
 */
function drain(child: UtilityChild): () => string {
  child.stdout?.resume();
  const stderr: string[] = [];
  child.on('error', (type, location) => stderr.push(`\n${type} at ${location}\n`));
  child.stderr?.on('data', (chunk: Buffer | string) => {
    stderr.push(chunk.toString());
    if (stderr.length > STDERR_CHUNKS) stderr.shift();
  });
  return () => stderr.join('').slice(-2000);
}

/** Workers as utilityProcesses running `entry` (the built worker.js). */
export function utilityWorkerLauncher(fork: UtilityFork, entry: () => string): WorkerLauncher {
  return ({ env }) => {
    // The marker argument matches the fork launcher's; the pool also marks the environment.
    const child = fork(entry(), ['--trainyard-worker'], {
      serviceName: 'Trainyard worker',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderrTail = drain(child);

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
      onSpawn(cb) {
        if (spawned && child.pid !== undefined) return cb(child.pid);
        child.once('spawn', () => {
          if (child.pid !== undefined) cb(child.pid);
        });
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
        return stderrTail();
      },
    };
  };
}

/**
 * The GPU probe as a utilityProcess. With the `runAsNode` fuse off, the Electron binary cannot be
 * started as plain Node (ELECTRON_RUN_AS_NODE is ignored), so this is the only way the main process
 * runs the probe apart from itself.
 */
export function utilityProbeProcess(fork: UtilityFork): ProbeProcess {
  return (entry, timeoutMs) =>
    new Promise((resolve, reject) => {
      if (entry.execArgv.length > 0) {
        reject(new Error(`A utilityProcess runs built JavaScript only, not ${entry.file}`));
        return;
      }
      const child = fork(entry.file, [], { serviceName: 'Trainyard GPU probe', env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      const stderrTail = drain(child);
      let settled = false;
      const timer = setTimeout(() => {
        settle(() => reject(Object.assign(new Error('timed out'), { killed: true })));
        child.kill();
      }, timeoutMs);
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        f();
      };
      child.once('message', (message) => settle(() => resolve(message)));
      child.once('exit', (code) => {
        const tail = stderrTail().trim().split('\n').pop();
        settle(() => reject(new Error(`the probe exited with code ${code} before answering${tail ? `: ${tail}` : ''}`)));
      });
    });
}
