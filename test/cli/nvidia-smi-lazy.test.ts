/**
 * A short CLI command that only reads the queue never runs nvidia-smi (which can take a second on a
 * driver without persistence mode); the first command that needs the machine's size measures it.
 * The nvidia-smi on PATH is a recorder in front of the H200 stand-in: every call leaves a line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job, QueueState } from '../../src/shared/contract';
import { trainyardCli } from '../helpers/cli';
import { NVIDIA_SMI_STANDIN } from '../helpers/nvidia-smi';
import { tempDirPerTest } from '../helpers/tmp';

const tmp = tempDirPerTest();

function recordingNvidiaSmi(dir: string): { path: string; calls: () => string[] } {
  const bin = path.join(dir, 'bin');
  const log = path.join(dir, 'nvidia-smi-calls.log');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'nvidia-smi'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${NVIDIA_SMI_STANDIN}' "$@"\n`, { mode: 0o755 });
  return {
    path: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}

describe('nvidia-smi on the CLI', () => {
  it('is not run to list or show jobs, and is run once a local job must be sized against the machine', () => {
    const dir = tmp();
    const smi = recordingNvidiaSmi(dir);
    const { json } = trainyardCli(path.join(dir, 'data'), 120_000, { PATH: smi.path });
    expect(json<Job[]>('jobs', 'list')).toEqual([]);
    expect(smi.calls()).toEqual([]);

    const job = json<Job>('jobs', 'submit', '--noop', '0', '--gpus', '1');
    expect(smi.calls().length).toBeGreaterThan(0);
    const afterSubmit = smi.calls().length;
    expect(json<Job>('jobs', 'show', job.id).id).toBe(job.id);
    expect(smi.calls().length).toBe(afterSubmit);

    // The queue's state names the machine's size, so it measures it: the stand-in's one H200.
    expect(json<{ state: QueueState }>('queue', 'stats').state.capacity.gpus).toBe(1);
  });
});
