export { WorkerPool, WorkerExit, type RunningTask, type PoolOptions, type RunOptions, type WorkerStatus } from './pool';
export { PidRecords } from './pid-records';
export { forkLauncher, createForkLauncher, type WorkerLauncher, type WorkerHandle } from './launcher';
export { comlinkEndpoint, parentPipe, type Pipe } from './endpoint';
export { CANCELLED_MESSAGE, type TrainTask, type NoopTask, type TrainResult, type TrainArtifact, type WorkerApi, type WorkerEvent,
  type ScoreModel, type ScoreFile, type PredictTask, type PredictOutput, type EvaluateTask, type EvaluateOutput, type Outcome } from './protocol';
export { eventsFileOf, taskFileOf, type NodeCommandResult, type NodeCommandTask, type NodeLine, type NodeTask } from './node-protocol';
