/**
 * PATH for a process that should see the stand-in nvidia-smi (the H200's real outputs replayed, see
 * test/fixtures/nvidia-smi), or no nvidia-smi at all, even on a machine that has one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NVIDIA_SMI_STANDIN_DIR = fileURLToPath(new URL('../fixtures/nvidia-smi', import.meta.url));
export const NVIDIA_SMI_STANDIN = path.join(NVIDIA_SMI_STANDIN_DIR, 'nvidia-smi');

export const pathWithStandin = (): string => `${NVIDIA_SMI_STANDIN_DIR}${path.delimiter}${process.env.PATH ?? ''}`;

/**
 * PATH with every folder that holds an nvidia-smi replaced by a folder of links to all its other
 * programs (nvidia-smi usually sits in /usr/bin, beside programs the process still needs).
 */
export function pathWithoutNvidiaSmi(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => (fs.existsSync(path.join(dir, 'nvidia-smi')) ? shadowWithout(dir, 'nvidia-smi') : dir))
    .join(path.delimiter);
}

function shadowWithout(dir: string, left: string): string {
  const shadow = fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-path-'));
  process.once('exit', () => fs.rmSync(shadow, { recursive: true, force: true }));
  for (const name of fs.readdirSync(dir)) if (name !== left) fs.symlinkSync(path.join(dir, name), path.join(shadow, name));
  return shadow;
}
