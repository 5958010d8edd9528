/**
 * PATH for a process that should see the stand-in nvidia-smi (the H200's real outputs replayed, see
 * test/fixtures/nvidia-smi), or no nvidia-smi at all, even on a machine that has one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NVIDIA_SMI_STANDIN_DIR = fileURLToPath(new URL('../fixtures/nvidia-smi', import.meta.url));
export const NVIDIA_SMI_STANDIN = path.join(NVIDIA_SMI_STANDIN_DIR, 'nvidia-smi');

export const pathWithStandin = (): string => `${NVIDIA_SMI_STANDIN_DIR}${path.delimiter}${process.env.PATH ?? ''}`;

export const pathWithoutNvidiaSmi = (): string =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((d) => d && !fs.existsSync(path.join(d, 'nvidia-smi')))
    .join(path.delimiter);
