/**
 * Which code trains a network: Trainyard's CPU kernels (fused/) on the wasm and cpu backends, its
 * WGSL dense trainer (gpu/wgsl/) on the webgpu backend, its lean dense step (gpu/) on the other GPU
 * backends (and on webgpu when the WGSL trainer cannot start), or tfjs's own trainOnBatch for
 * anything none of them takes.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedLstmShape, lstmKernelsTraining } from './fused/lstm-model';
import { mlpKernelsTraining } from './fused/mlp-bridge';
import { leanTraining } from './gpu/lean-training';
import { tfjsWebgpuDevice, wgslTraining } from './gpu/wgsl-training';
import { CPU_BACKENDS, denseReluIneligibility, type NetworkTraining, type SampleSet } from './network-training';

/**
 * 'auto' picks by backend as above; 'lean' takes the lean step on any backend (how its tests and
 * bench run it without a GPU); 'tfjs' is tfjs's trainOnBatch (the yardstick both are checked against).
 */
export type TrainerChoice = 'auto' | 'lean' | 'tfjs';

const WHAT_KERNELS_TRAIN =
  "Trainyard's kernels train, on a CPU backend with Adam on MSE, dense ReLU networks and the LSTM forecaster's network (tanh, hard sigmoid, no dropout)";
const WHAT_LEAN_TRAINS = "Trainyard's lean step trains dense ReLU networks (a linear output) with Adam on MSE";

const layerOf = (model: tf.LayersModel) => model.layers.find((l) => l.getClassName() !== 'InputLayer')?.getClassName() ?? 'network';

/**
 * Trainyard's trainer for `model` here, or why tfjs trains it (a line for the run's log) when none
 * can. `flatInput` is false when the samples are sequences, which only the LSTM takes.
 */
export async function networkTrainingFor(
  model: tf.LayersModel,
  o: { trainer?: 'auto' | 'lean'; batchSize: number; train: SampleSet; val: SampleSet; flatInput: boolean; log?: (message: string) => void },
): Promise<NetworkTraining | { why: string }> {
  const data = { train: o.train, val: o.val };
  const onCpu = CPU_BACKENDS.has(tf.getBackend());
  if (o.trainer === 'lean' || !onCpu) {
    const why = o.flatInput ? denseReluIneligibility(model) : `its ${layerOf(model)} over sequences is not one`;
    if (why !== null) return { why: `${WHAT_LEAN_TRAINS}; ${why}` };
    const device = o.trainer === 'lean' ? null : tfjsWebgpuDevice();
    if (device) {
      try {
        return await wgslTraining(model, device, o.batchSize, data);
      } catch (err) {
        o.log?.(`Trainyard's WGSL dense trainer could not start (${err instanceof Error ? err.message : String(err)}); the lean step on tfjs trains instead`);
      }
    }
    return leanTraining(model, data);
  }
  if (fusedLstmShape(model)) return lstmKernelsTraining(model, o.batchSize, data, o.log);
  if (!o.flatInput) return { why: `${WHAT_KERNELS_TRAIN}; its ${layerOf(model)} over sequences is not one of those` };
  const why = denseReluIneligibility(model);
  return why === null ? mlpKernelsTraining(model, o.batchSize, data, o.log) : { why: `${WHAT_KERNELS_TRAIN}; ${why}` };
}
