/**
 * Where the LSTM forecaster's tfjs model meets the fused trainer: which models it can train (the
 * family's LSTM on a CPU backend), and carrying weights and Adam's state across, so that the tfjs
 * model still is the model for saving, loading, predicting and checkpoints.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../forecast/checkpoint';
import { createKernels } from '../../kernels';
import { FusedLstm, lstmArenaFloats, type AdamConfig, type LstmShape } from './lstm';

/** Samples as the forecasters' fit takes them: `count` row-major windows of steps × channels, and targets. */
export interface SampleSet {
  x: Float32Array;
  y: Float32Array;
  count: number;
}

/** The backends whose tensors live in CPU memory: there the fused trainer is faster than tfjs. */
const CPU_BACKENDS = new Set(['wasm', 'cpu']);

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

/** The fused trainer of `model`'s network, holding a copy of its weights and Adam's state. */
export class FusedLstmModel {
  readonly net: FusedLstm;
  readonly adam: AdamConfig;
  private readonly model: tf.LayersModel;

  private constructor(model: tf.LayersModel, net: FusedLstm, adam: AdamConfig) {
    this.model = model;
    this.net = net;
    this.adam = adam;
  }

  static async of(model: tf.LayersModel, maxBatch: number): Promise<FusedLstmModel> {
    const shape = fusedLstmShape(model);
    if (!shape) throw new Error('the fused LSTM trainer takes only the LSTM forecaster network (see fusedLstmShape)');
    const c = model.optimizer.getConfig() as { learningRate: number; beta1: number; beta2: number; epsilon: number };
    const net = new FusedLstm(createKernels(lstmArenaFloats(shape, maxBatch)), shape, maxBatch);
    const fused = new FusedLstmModel(model, net, { learningRate: c.learningRate, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon });
    fused.pullWeights();
    await fused.pullOptimizer();
    return fused;
  }

  /**
   * The training loop's two steps on this trainer: a batch of `train` (samples in `order[from..to)`),
   * and the loss over `val`, after which the tfjs model holds the trained weights (the loop keeps
   * the best epoch's from it).
   */
  epochSteps(train: SampleSet, val: SampleSet): { trainBatch(order: Int32Array, from: number, to: number): number; validationLoss(): number } {
    return {
      trainBatch: (order, from, to) => this.net.trainBatch(this.net.loadBatch(train.x, train.y, order, from, to), this.adam),
      validationLoss: () => {
        const loss = this.net.loss(val.x, val.y, val.count);
        this.pushWeights();
        return loss;
      },
    };
  }

  /** The tfjs model's weights into the trainer. */
  pullWeights(): void {
    this.net.setWeights(this.model.getWeights().map((w) => w.dataSync() as Float32Array));
  }

  /** The trainer's weights into the tfjs model. */
  pushWeights(): void {
    const values = this.net.getWeights();
    const shapes = this.model.getWeights().map((w) => w.shape);
    const tensors = values.map((v, i) => tf.tensor(v, shapes[i]));
    try {
      this.model.setWeights(tensors);
    } finally {
      tensors.forEach((t) => t.dispose());
    }
  }

  /** Adam's moments and step count from the tfjs optimizer, when it has any (a resumed run). */
  private async pullOptimizer(): Promise<void> {
    const slots = await this.model.optimizer.getWeights();
    const count = this.net.weightSizes.length;
    try {
      if (slots.length === 1 + 2 * count) {
        const values = slots.slice(1).map((s) => s.tensor.dataSync() as Float32Array);
        this.net.setOptimizerState({ step: slots[0].tensor.dataSync()[0], m: values.slice(0, count), v: values.slice(count) });
      } else if (slots.length > 1) {
        throw new Error(`the optimizer holds ${slots.length - 1} moment slots; the network has ${count} weights`);
      }
    } finally {
      // 'iter' is a fresh scalar; the moments are the optimizer's own variables.
      slots[0]?.tensor.dispose();
    }
  }

  /**
   * The trainer's Adam state into the tfjs optimizer, in its names and order ('iter', then each
   * weight's first moments, then its second), so that a checkpoint holds it as tfjs's own would.
   */
  async pushOptimizer(): Promise<void> {
    const { step, m, v } = this.net.getOptimizerState();
    const names = this.model.trainableWeights.map((w) => w.originalName);
    const shapes = this.model.getWeights().map((w) => w.shape);
    const slots: NamedTensor[] = [
      { name: 'iter', tensor: tf.scalar(step, 'int32') },
      ...m.map((a, i) => ({ name: `${names[i]}/m`, tensor: tf.tensor(a, shapes[i]) })),
      ...v.map((a, i) => ({ name: `${names[i]}/v`, tensor: tf.tensor(a, shapes[i]) })),
    ];
    const old = await this.model.optimizer.getWeights();
    try {
      await this.model.optimizer.setWeights(slots);
    } finally {
      // setWeights keeps variables made from the tensors handed over, and drops (without freeing) the ones it had.
      slots.forEach((s) => s.tensor.dispose());
      old.forEach((s) => s.tensor.dispose());
    }
  }
}
