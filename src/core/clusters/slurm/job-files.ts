/** A job's folder on the cluster's shared workdir, and what the core keeps there beside the node protocol's files. */
import { join } from 'node:path';

export { eventsFileOf, taskFileOf, type NodeLine, type NodeTask } from '../../workers';

export const jobDirOf = (workdir: string, jobId: string) => join(workdir, 'jobs', jobId);
export const outputFileOf = (jobDir: string, clusterJobId: string) => join(jobDir, `slurm-${clusterJobId}.out`);
export const scriptFileOf = (jobDir: string) => join(jobDir, 'job.sh');
/** Datasets staged for the nodes, one copy per content hash, shared by the jobs that read it. */
export const datasetsDirOf = (workdir: string) => join(workdir, 'datasets');
