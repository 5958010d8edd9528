/**
 * What runs on the node: for every job kind Trainyard's own node process (`trainyard.mjs
 * slurm-node <job dir>`), which reads task.json and writes the events file; for a command job it
 * spawns the user's program and follows it.
 */
import { join } from 'node:path';
import type { Job } from '../../../shared/contract';
import { packageRoot } from '../../paths';
import type { SlurmPayload } from './sbatch';

/** The subcommand of bin/trainyard.mjs that runs a job on a node. */
export const NODE_SUBCOMMAND = 'slurm-node';

export function slurmPayload(job: Job, jobDir: string): SlurmPayload {
  return {
    argv: [process.execPath, join(packageRoot(), 'bin', 'trainyard.mjs'), NODE_SUBCOMMAND, jobDir],
    env: { TRAINYARD_JOB_ID: job.id },
    cwd: jobDir,
  };
}
