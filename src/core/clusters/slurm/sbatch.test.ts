/**
 * What Trainyard asks of sbatch, read from the arguments it builds (the test node has no GPUs, and
 * Slurm refuses `--gres=gpu:1` there), and how Slurm's end states read as job outcomes.
 */
import { describe, expect, it } from 'vitest';
import { batchScript, sbatchArgs } from './sbatch';
import { outcomeOfEnd, parseExit } from './states';

const payload = { argv: ['/usr/bin/node', '/opt/trainyard/bin/trainyard.mjs', 'slurm-node', '/shared/jobs/J1'], env: { TRAINYARD_JOB_ID: 'J1' }, cwd: '/shared/jobs/J1' };

describe('sbatch arguments', () => {
  it('maps GPUs, CPUs, memory and time, names the job with its id, and passes partition and account', () => {
    const args = sbatchArgs({ id: 'J1', resources: { gpus: 2, cpuSlots: 8, memoryMB: 32000, timeLimitMinutes: 90 } }, { partition: 'gpu', account: 'lab42' }, payload, '/shared/jobs/J1/job.sh');
    expect(args).toEqual(expect.arrayContaining(['--parsable', '--job-name=trainyard-J1', '--gres=gpu:2', '--cpus-per-task=8', '--mem=32000M', '--time=90', '--partition=gpu', '--account=lab42', '--output=/shared/jobs/J1/slurm-%j.out']));
    expect(args.at(-1)).toBe('/shared/jobs/J1/job.sh');
  });

  it('asks for no GPU, time, partition or account it was not given', () => {
    const args = sbatchArgs({ id: 'J1', resources: { gpus: 0, cpuSlots: 1, memoryMB: 512 } }, { partition: null, account: null }, payload, 'job.sh');
    expect(args.some((a) => /^--(gres|time|partition|account)/.test(a))).toBe(false);
  });

  it('writes a script that execs the payload, so Slurm signals reach it', () => {
    const script = batchScript({ ...payload, env: { X: "it's" } });
    expect(script).toContain(`export X='it'\\''s'`);
    expect(script.trim().split('\n').at(-1)).toBe('exec /usr/bin/node /opt/trainyard/bin/trainyard.mjs slurm-node /shared/jobs/J1');
  });
});

describe('Slurm end states', () => {
  const ctx = { clusterJobId: '17', cluster: 'hpc', memoryMB: 2048, timeLimitMinutes: 5, tail: ['Killed'] };
  it('reads wait statuses and sacct exit codes', () => {
    expect(parseExit('768')).toEqual({ exitCode: 3, signal: null });
    expect(parseExit('9')).toEqual({ exitCode: null, signal: 9 });
    expect(parseExit('0:15')).toEqual({ exitCode: 0, signal: 15 });
  });
  it('says what happened in words, and which ends are crashes or re-queues', () => {
    expect(outcomeOfEnd({ state: 'OUT_OF_MEMORY', exitCode: 0, signal: null, reason: '' }, ctx)).toMatchObject({ status: 'failed', error: expect.stringMatching(/ran out of memory: it asked for 2048 MB/) });
    expect(outcomeOfEnd({ state: 'TIMEOUT', exitCode: 0, signal: null, reason: '' }, ctx)).toMatchObject({ status: 'failed', error: expect.stringMatching(/time limit of 5 min .*TIMEOUT/) });
    expect(outcomeOfEnd({ state: 'NODE_FAIL', exitCode: null, signal: null, reason: '' }, ctx)).toMatchObject({ status: 'failed', crash: { tail: ['Killed'] } });
    expect(outcomeOfEnd({ state: 'PREEMPTED', exitCode: null, signal: null, reason: '' }, ctx)).toMatchObject({ status: 'requeued', cause: expect.stringMatching(/preempted/) });
    expect(outcomeOfEnd({ state: 'CANCELLED by 0', exitCode: null, signal: 15, reason: '' }, ctx)).toMatchObject({ status: 'cancelled', cause: expect.stringMatching(/outside Trainyard/) });
    expect(outcomeOfEnd({ state: 'FAILED', exitCode: 3, signal: null, reason: 'NonZeroExitCode' }, ctx)).toMatchObject({ status: 'failed', error: expect.stringMatching(/exited with code 3 \(FAILED, NonZeroExitCode\): Killed/), crash: { code: 3 } });
  });
});
