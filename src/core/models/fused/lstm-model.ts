/**
 * Where the LSTM forecaster's tfjs model meets the fused trainer: which models it can train (the
 * family's LSTM on a CPU backend), and the trainer over the model's weights and Adam state, which
 * go back into the tfjs model (the model for saving, loading, predicting and checkpoints).
 */
import * as tf from '@tensorflow/tfjs';
import { createKernels } from '../../kernels';
import { CPU_BACKENDS, keepAsBest, type NetworkTraining, type SampleSet } from '../network-training';
import { FusedLstm, lstmArenaFloats, type LstmShape } from './lstm';
import { adamSettingsOf, readAdamState, readWeights, writeAdamState, writeWeights } from '../tfjs-state';

interface LstmLayerConfig {
  units: number;
  activation: string;
  recurrentActivation: string;
  useBias: boolean;
  dropout: number;
  recurrentDropout: number;
  returnSequences: boolean;
  goBackwards: boolean;
  stateful: boolean;
  returnState: boolean;
}

/**
 * The network's shape when `model` is what `buildRecurrent('lstm', …)` builds (LSTM layers with tfjs's
 * default activations, no dropout, the last returning its final step only, then a dense layer of one
 * linear unit), compiled with Adam on MSE; null for any other model.
 */
export function fusedLstmShape(model: tf.LayersModel): LstmShape | null {
  const layers = model.layers;
  if (layers.length < 2) return null;
  const lstms = layers.slice(0, -1);
  const dense = layers[layers.length - 1];
  const input = model.inputs[0]?.shape;
  if (!input || input.length !== 3 || !input[1] || !input[2]) return null;
  let units = 0;
  for (let i = 0; i < lstms.length; i++) {
    if (lstms[i].getClassName() !== 'LSTM') return null;
    const c = lstms[i].getConfig() as unknown as LstmLayerConfig;
    const plain = c.activation === 'tanh' && c.recurrentActivation === 'hardSigmoid' && c.useBias && !c.dropout && !c.recurrentDropout;
    const wiring = c.returnSequences === i < lstms.length - 1 && !c.goBackwards && !c.stateful && !c.returnState;
    if (!plain || !wiring || (i > 0 && c.units !== units)) return null;
    units = c.units;
  }
  const d = dense.getConfig() as { units?: number; activation?: string; useBias?: boolean };
  if (dense.getClassName() !== 'Dense' || d.units !== 1 || d.activation !== 'linear' || d.useBias !== true) return null;
  if (model.loss !== 'meanSquaredError' || model.optimizer?.getClassName() !== 'Adam') return null;
  return { steps: input[1], channels: input[2], units, layers: lstms.length };
}

/** True when the fused trainer should train `model` here: an LSTM it can train, on a CPU backend. */
export const trainsFused = (model: tf.LayersModel): boolean => CPU_BACKENDS.has(tf.getBackend()) && fusedLstmShape(model) !== null;

/**
 * The fused LSTM trainer over `model`'s network (which fusedLstmShape must accept), starting from
 * the model's weights and Adam state: `train` and `val` are the samples it trains and validates on.
 */
export async function lstmKernelsTraining(
  model: tf.LayersModel,
  batchSize: number,
  data: { train: SampleSet; val: SampleSet },
  log?: (message: string) => void,
): Promise<NetworkTraining> {
  const shape = fusedLstmShape(model);
  if (!shape) throw new Error('the fused LSTM trainer takes only the LSTM forecaster network (see fusedLstmShape)');
  const net = new FusedLstm(createKernels(lstmArenaFloats(shape, batchSize), log), shape, batchSize);
  net.setWeights(readWeights(model));
  const resumed = await readAdamState(model, net.weightSizes.length);
  if (resumed) net.setOptimizerState(resumed);
  const adam = adamSettingsOf(model);
  const { train, val } = data;
  return {
    name: `Trainyard's ${net.kernelsName} kernels`,
    trainee: {
      trainBatch: (order, from, to) => net.trainBatch(net.loadBatch(train.x, train.y, order, from, to), adam),
      validationLoss: () => net.loss(val.x, val.y, val.count),
      keepWeights: (best) => keepAsBest(model, best, net.getWeights()),
    },
    async sync() {
      writeWeights(model, net.getWeights());
      await writeAdamState(model, net.getOptimizerState());
    },
  };
}
