/**
 * The desktop app's processes as Electron `utilityProcess`es (see utility-process.ts): workers running
 * the built worker entry (`worker.js`, built beside this file) and the GPU probe (`webgpu-probe.js`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { utilityProcess } from 'electron';
import { utilityProbeProcess, utilityWorkerLauncher, type UtilityFork } from './utility-process';

export function workerEntryPath(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');
}

const electronFork: UtilityFork = (modulePath, args, options) => utilityProcess.fork(modulePath, args, options);

export const utilityLauncher = utilityWorkerLauncher(electronFork, workerEntryPath);
export const utilityProbe = utilityProbeProcess(electronFork);
