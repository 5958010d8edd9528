/** Dense networks trained on Trainyard's own CPU kernels rather than tfjs ops. */
export { DenseTrainer, type AdamSettings, type DenseData, type DenseNetwork } from './dense-trainer';
export { fusedIneligibility, fusedTrainerFor, syncIntoModel, weightTensors } from './mlp-bridge';
