/**
 * The WebGPU adapter is asked for in a process of its own, so that a GPU driver that crashes or hangs
 * takes down the probe, never the core. How that process starts depends on the host:
 * - plain Node (CLI, `trainyard serve`, tests): child_process.fork of the probe entry;
 * - the Electron main process: a utilityProcess, supplied by src/main (the `runAsNode` fuse is off, so
 *   the Electron binary cannot be started as Node, and the core never imports electron);
 * - an Electron utilityProcess (a desktop worker): in the worker itself, which cannot start processes
 *   of Electron's kind and is already apart from the core (the same worker activates the GPU anyway).
 */
import { fork } from 'node:child_process';
import { entryFile, type EntryFile } from '../entry-file';

/** Runs `entry` in a process of its own; resolves with the first message it sends. */
export type ProbeProcess = (entry: EntryFile, timeoutMs: number) => Promise<unknown>;

/** What the probe entry answers. */
export type ProbeAnswer = { info: AdapterInfo | null } | { error: string };

export interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

export function webgpuProbeEntry(): EntryFile {
  return entryFile(import.meta.url, 'webgpu-probe.js', new URL('./webgpu-probe.ts', import.meta.url));
}

/** The kind of Electron process this is ('browser' for the main process, 'utility'), or null in plain Node. */
export function electronProcessType(): string | null {
  return (process as { type?: string }).type ?? null;
}

export const forkProbeProcess: ProbeProcess = (entry, timeoutMs) =>
  new Promise((resolve, reject) => {
    const child = fork(entry.file, [], { execArgv: entry.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const timer = setTimeout(() => {
      settle(() => reject(Object.assign(new Error('timed out'), { killed: true })));
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('message', (message) => {
      settle(() => resolve(message));
      child.disconnect();
    });
    child.once('error', (err) => settle(() => reject(err)));
    child.once('exit', (code, signal) => {
      const tail = stderr.trim().split('\n').pop();
      settle(() => reject(new Error(`the probe exited (${signal ?? `code ${code}`}) before answering${tail ? `: ${tail}` : ''}`)));
    });
  });
