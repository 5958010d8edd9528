/**
 * Every forecast family's network, built and compiled from its params and the input shape the
 * preprocessing produces. All initialisers are seeded and nothing in them is random at train time
 * (no dropout), so the same params and data give the same model.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv1dParams } from './conv1d';
import type { NetworkFamilyName } from './families';
import type { InputShape } from './features';
import type { MlpParams } from './mlp';
import { buildMlp, describeMlp, seeded } from './mlp-network';
import type { RecurrentParams } from './recurrent';

const compile = (model: tf.LayersModel, learningRate: number) => {
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanSquaredError' });
  return model;
};

const flat = (s: InputShape) => s.steps * s.channels;

/**
 * Stacked LSTM or GRU layers; every one but the last hands its whole sequence to the next.
 * Recurrent kernels use seeded Glorot-uniform rather than orthogonal initialisers: tfjs's
 * orthogonal one runs a QR decomposition that is slow and warns above 2,000 weights.
 */
export function buildRecurrent(kind: 'lstm' | 'gru', p: RecurrentParams, shape: InputShape): tf.Sequential {
  const model = tf.sequential({ name: `trainyard_${kind}` });
  for (let i = 0; i < p.layers; i++) {
    const args = {
      name: `${kind}_${i + 1}`,
      units: p.units,
      returnSequences: i < p.layers - 1,
      inputShape: i === 0 ? [shape.steps, shape.channels] : undefined,
      kernelInitializer: seeded(p.seed + 2 * i),
      recurrentInitializer: seeded(p.seed + 2 * i + 1),
      biasInitializer: 'zeros' as const,
    };
    model.add(kind === 'lstm' ? tf.layers.lstm({ ...args, unitForgetBias: true }) : tf.layers.gru(args));
  }
  model.add(tf.layers.dense({ name: 'output', units: 1, kernelInitializer: seeded(p.seed + 2 * p.layers), biasInitializer: 'zeros' }));
  return compile(model, p.learningRate) as tf.Sequential;
}

/**
 * A 1-D convolution's input side: each output step gets the `kernelSize` consecutive input steps
 * ending there, their channels side by side ([batch, steps, channels] → [batch, steps - k + 1,
 * k * channels]). A dense layer over the last axis then is the convolution itself.
 *
 * Written out because tfjs's wasm backend has no gradient kernel for convolutions
 * (Conv2DBackpropFilter): tf.layers.conv1d trains only on the cpu and GPU backends, while slices
 * and a concat train everywhere. Registered so that saved models load it by name.
 */
export class Unfold1D extends tf.layers.Layer {
  static className = 'TrainyardUnfold1D';
  readonly kernelSize: number;

  constructor(config: { kernelSize: number; name?: string }) {
    super(config);
    this.kernelSize = config.kernelSize;
  }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, steps, channels] = shape as tf.Shape;
    return [batch, steps === null ? null : steps - this.kernelSize + 1, channels === null ? null : channels * this.kernelSize];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const out = x.shape[1] - this.kernelSize + 1;
      const parts = Array.from({ length: this.kernelSize }, (_, o) => tf.slice(x, [0, o, 0], [-1, out, -1]));
      return parts.length === 1 ? parts[0] : tf.concat(parts, 2);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kernelSize: this.kernelSize };
  }
}
tf.serialization.registerClass(Unfold1D);

/**
 * Convolutions over the time steps ('valid': each layer shortens the sequence by kernelSize - 1;
 * every input is from the past anyway), flattened into a dense head.
 */
export function buildConv1d(p: Conv1dParams, shape: InputShape): tf.Sequential {
  const model = tf.sequential({ name: 'trainyard_conv1d' });
  for (let i = 0; i < p.layers; i++) {
    model.add(new Unfold1D({ name: `unfold_${i + 1}`, kernelSize: p.kernelSize, ...(i === 0 ? { inputShape: [shape.steps, shape.channels] } : {}) }));
    model.add(
      tf.layers.dense({
        name: `conv_${i + 1}`,
        units: p.filters,
        activation: 'relu',
        kernelInitializer: seeded(p.seed + i),
        biasInitializer: 'zeros',
      }),
    );
  }
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(
    tf.layers.dense({ name: 'hidden', units: p.hiddenUnits, activation: 'relu', kernelInitializer: seeded(p.seed + p.layers), biasInitializer: 'zeros' }),
  );
  model.add(tf.layers.dense({ name: 'output', units: 1, kernelInitializer: seeded(p.seed + p.layers + 1), biasInitializer: 'zeros' }));
  return compile(model, p.learningRate) as tf.Sequential;
}

/** The per-sample tensor shape a family's network takes. */
export function sampleShape(input: 'flat' | 'sequence', shape: InputShape): number[] {
  return input === 'flat' ? [flat(shape)] : [shape.steps, shape.channels];
}

/** Params as resolved by the family's schema (see families.ts); each builder reads its own fields. */
type AnyParams = MlpParams & RecurrentParams & Conv1dParams;

export function buildNetwork(family: NetworkFamilyName, params: Record<string, unknown>, shape: InputShape): tf.LayersModel {
  const p = params as AnyParams;
  switch (family) {
    case 'mlp':
      return buildMlp(p, flat(shape));
    case 'lstm':
    case 'gru':
      return buildRecurrent(family, p, shape);
    case 'conv1d':
      return buildConv1d(p, shape);
  }
}

/** One line for the log: "LSTM 24 units x 1 over 11 steps x 1 channel (2,521 weights)". */
export function describeNetwork(family: NetworkFamilyName, model: tf.LayersModel, params: Record<string, unknown>, shape: InputShape): string {
  const p = params as AnyParams;
  const weights = `${model.countParams().toLocaleString('en-US')} weights`;
  const over = `${shape.steps} steps x ${shape.channels} channel${shape.channels === 1 ? '' : 's'}`;
  switch (family) {
    case 'mlp':
      return describeMlp(model, p, flat(shape));
    case 'lstm':
    case 'gru':
      return `${family.toUpperCase()} ${p.units} units x ${p.layers} layer${p.layers === 1 ? '' : 's'} over ${over} (${weights})`;
    case 'conv1d':
      return `Conv1D ${p.layers} x ${p.filters} filters (kernel ${p.kernelSize}) → dense ${p.hiddenUnits} over ${over} (${weights})`;
  }
}
