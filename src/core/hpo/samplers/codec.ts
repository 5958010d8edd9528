/**
 * The internal representation the samplers work in: a number per parameter. Numeric parameters
 * live on their own scale (log for a log scale) between bounds widened by half a step, so every
 * grid value owns an equal bin; categorical ones are the index of their choice. These bounds are
 * Optuna's Parzen bounds, which keeps Trainyard's TPE comparable with the one users know.
 */
import type { ParamValue } from '../../../shared/contract';
import type { ParamSpec } from '../space';
import type { Rng } from '../rng';

export interface NumericCodec {
  readonly kind: 'numeric';
  /** Bounds on the internal scale. */
  readonly low: number;
  readonly high: number;
  /** Bin width on the internal scale for stepped (and int) parameters; 0 for continuous ones. */
  readonly q: number;
  decode(x: number): number;
  encode(v: ParamValue): number;
}

export interface CategoricalCodec {
  readonly kind: 'categorical';
  readonly n: number;
  decode(x: number): ParamValue;
  encode(v: ParamValue): number;
}

export type Codec = NumericCodec | CategoricalCodec;

const clip = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** Rounds away the float noise of `low + k * step` (0.30000000000000004 becomes 0.3). */
function onGrid(low: number, step: number, k: number): number {
  return Number((low + k * step).toPrecision(15));
}

export function codecFor(p: ParamSpec): Codec {
  const d = p.dist;
  if (d.type === 'categorical') {
    const choices = d.choices;
    return {
      kind: 'categorical',
      n: choices.length,
      decode: (x) => choices[clip(Math.round(x), 0, choices.length - 1)],
      encode: (v) => choices.findIndex((c) => c === v),
    };
  }
  const { low, high } = d;
  if (d.log) {
    // A log-scale int keeps a continuous density on log(value), widened by half a unit each side.
    const lo = d.type === 'int' ? Math.log(low - 0.5) : Math.log(low); // an int's low is at least 1 here
    const hi = d.type === 'int' ? Math.log(high + 0.5) : Math.log(high);
    const isInt = d.type === 'int';
    return {
      kind: 'numeric',
      low: lo,
      high: hi,
      q: 0,
      decode: (x) => clip(isInt ? Math.round(Math.exp(x)) : Math.exp(x), low, high),
      encode: (v) => Math.log(v as number),
    };
  }
  const step = d.step;
  if (step !== undefined) {
    return {
      kind: 'numeric',
      low: low - step / 2,
      high: high + step / 2,
      q: step,
      decode: (x) => clip(onGrid(low, step, Math.round((x - low) / step)), low, high),
      encode: (v) => v as number,
    };
  }
  return { kind: 'numeric', low, high, q: 0, decode: (x) => clip(x, low, high), encode: (v) => v as number };
}

/** A uniform draw over the parameter's values (each grid value equally likely for stepped ones). */
export function sampleUniform(p: ParamSpec, rng: Rng): ParamValue {
  const d = p.dist;
  if (d.type === 'categorical') return d.choices[rng.int(d.choices.length)];
  if (d.log) {
    const c = codecFor(p) as NumericCodec;
    return c.decode(rng.uniform(c.low, c.high));
  }
  if (d.step !== undefined) {
    const n = Math.round((d.high - d.low) / d.step) + 1;
    return clip(onGrid(d.low, d.step, rng.int(n)), d.low, d.high);
  }
  return rng.uniform(d.low, d.high);
}
