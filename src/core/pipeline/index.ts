/** The training pipeline that runs inside a worker: load, preprocess, train, evaluate, register. */
export { runTrainTask, type RunOptions } from './run';
export { STEP_SPANS, RateEta, Reporter, type Emit, type StepName } from './report';
export { CARD_FILE } from './model-folder';
export { PREDICTIONS_FILE } from './register';
export { loadForecaster, type Forecaster } from '../models';
