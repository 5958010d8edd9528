export { ClusterService, type ClusterServiceDeps } from './service';
export { clustersHandlers } from './handlers';
export { sbatchArgs, batchScript, slurmJobName, type SlurmPayload } from './slurm/sbatch';
export { slurmPayload } from './slurm/payload';
export { outcomeOfEnd, parseExit } from './slurm/states';
