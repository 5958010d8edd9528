export { JobQueue, type QueueOptions, type QueueDeps } from './queue';
export { assertTransition, canTransition, TERMINAL } from './lifecycle';
export { jobsHandlers, queueHandlers } from './handlers';
export { machineCapacity } from './machine';
export { effectiveRank, effectivePriority, DEFAULT_AGING_MINUTES } from './aging';
export type { Capacity } from './resources';
export type { RetentionPolicy } from './retention';
export { PlacementEnded, type ClusterPlacements, type Crash, type JobOutcome, type Placement } from './executors';
