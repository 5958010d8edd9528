/** Networks trained on Trainyard's own CPU kernels rather than tfjs ops. */
export { DenseTrainer, type DenseData, type DenseNetwork } from './dense-trainer';
export { fusedLstmShape, trainsFused } from './lstm-model';
export { fusedIneligibility, fusedTrainerFor } from './mlp-bridge';
export type { AdamSettings } from '../tfjs-state';
