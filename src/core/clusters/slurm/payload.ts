/**
 * What runs on the node for each job kind. Train and noop jobs run Trainyard's own node process
 * (`trainyard.mjs slurm-node <job dir>`), which reads task.json and writes the events file; a new
 * job kind plugs in here with its own argv, environment and folder.
 */
import { join } from 'node:path';
import type { Job } from '../../../shared/contract';
import { InvalidInput } from '../../../shared/errors';
import { packageRoot } from '../../paths';
import type { SlurmPayload } from './sbatch';

/** The subcommand of bin/trainyard.mjs that runs a job on a node. */
export const NODE_SUBCOMMAND = 'slurm-node';

export function slurmPayload(job: Job, jobDir: string): SlurmPayload {
  switch (job.spec.kind) {
    case 'train':
    case 'noop':
      return {
        argv: [process.execPath, join(packageRoot(), 'bin', 'trainyard.mjs'), NODE_SUBCOMMAND, jobDir],
        env: { TRAINYARD_JOB_ID: job.id },
        cwd: jobDir,
      };
    case 'command':
      // Refused at submit (see JobQueue.submit); a row from elsewhere still gets a clear cause.
      throw new InvalidInput(`Job ${job.id} is a command job: a cluster takes train and noop jobs`, 'cluster');
  }
}
