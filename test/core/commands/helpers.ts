/** What the command job tests share: the real Python with torch, the fixtures, and a command job's create input. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CommandSpecInput, JobCreateInput } from '../../../src/shared/contract';

export const PYTHON = '/usr/bin/python3';
export const FIXTURES = fileURLToPath(new URL('../../fixtures/commands/', import.meta.url));
export const DIGITS = fileURLToPath(new URL('../../../examples/pytorch-digits/', import.meta.url));

/** Why the tests that run PyTorch cannot run here, or null when they can. */
export function torchMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch, sklearn'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} cannot be run (${r.error.message}); install python3`;
  return r.status === 0 ? null : `${PYTHON} lacks torch or sklearn (apt install python3-torch python3-sklearn): ${r.stderr.trim().split('\n').pop()}`;
}

export const command = (spec: Omit<CommandSpecInput, 'kind'>, extra: Partial<JobCreateInput> = {}): JobCreateInput => ({
  spec: { kind: 'command', cwd: FIXTURES, ...spec },
  priority: 'normal',
  resources: { gpus: 0, cpuSlots: 1, memoryMB: 64 },
  ...extra,
});

/** The digits example with these flags. */
export const digits = (args: string[], extra: Partial<Omit<CommandSpecInput, 'kind'>> = {}): Omit<CommandSpecInput, 'kind'> => ({
  argv: [PYTHON, 'train.py', ...args],
  cwd: DIGITS,
  ...extra,
});
