export { WorkerPool, WorkerExit, type RunningTask, type PoolOptions } from './pool';
export { forkLauncher, type WorkerLauncher, type WorkerHandle } from './launcher';
export { comlinkEndpoint, parentPipe, type Pipe } from './endpoint';
export { CANCELLED_MESSAGE, type TrainTask, type TrainResult, type TrainArtifact, type WorkerApi, type WorkerEvent } from './protocol';
