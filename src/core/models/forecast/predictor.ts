/**
 * The one shape every trained forecaster takes, whatever is inside: a network, ridge coefficients,
 * boosted trees, or a blend of those. It forecasts levels on the original scale for raw windows,
 * saves itself into a model folder (read back by `loadForecaster`), and frees what it holds. The
 * pipeline's evaluate and register steps, and the registry's predict, see only this.
 * No TensorFlow.js here.
 */
import { decodeOutputs, encodeInputs, lastValues, type ForecastPreprocessing, type RawInputs } from './features';

/** What a saved network needs to rebuild its inputs: the tensor shape per sample it takes. */
export type NetworkInput = 'flat' | 'sequence';

/** How a saved forecaster predicts, written in its preprocessing.json so the loader knows what to read. */
export type PredictorKind = 'network' | 'ridge' | 'gbdt' | 'blend';

/** What a model folder records of the run beside the predictor's own files. */
export interface SaveInfo {
  family: string;
  target: string;
  timeColumn: string | null;
}

export interface Forecaster {
  readonly kind: PredictorKind;
  readonly preprocessing: ForecastPreprocessing;
  readonly input: NetworkInput;
  /** Forecasts for each raw window (`preprocessing.window` values each), on the original scale. */
  predictWindows(windows: RawInputs | ArrayLike<number>): Promise<Float64Array>;
  /** The value `horizon` steps after the last of `history` (at least `window` values, oldest first; target only). */
  forecast(history: ArrayLike<number>): Promise<number>;
  /** Writes the model's files into `dir` (which must exist); returns their paths. */
  save(dir: string, info: SaveInfo): Promise<string[]>;
  dispose(): void;
}

export const asRaw = (w: RawInputs | ArrayLike<number>): RawInputs => ('target' in w ? w : { target: w });

/** The last `window` values of `history`, checked, as one raw window. */
export function lastWindow(history: ArrayLike<number>, window: number): number[] {
  if (history.length < window) throw new Error(`forecast needs the last ${window} values; got ${history.length}`);
  return Array.from(history).slice(history.length - window);
}

/** What a predictor on the encoded features provides: scaled outputs for scaled inputs. */
export interface EncodedModel {
  kind: PredictorKind;
  input: NetworkInput;
  /** Scaled changes for `count` encoded samples (row-major, as `encodeInputs` writes them); a network reads them off its tfjs backend asynchronously. */
  predictScaled(x: Float64Array, count: number): ArrayLike<number> | Promise<ArrayLike<number>>;
  save(dir: string, info: SaveInfo): Promise<string[]>;
  dispose(): void;
}

/** A forecaster from a model of the encoded features: encode the windows, predict, decode to levels. */
export function encodedForecaster(p: ForecastPreprocessing, m: EncodedModel): Forecaster {
  const predictWindows = async (windows: RawInputs | ArrayLike<number>) => {
    const raw = asRaw(windows);
    const count = Math.floor(raw.target.length / p.window);
    if (count === 0) return new Float64Array(0);
    return decodeOutputs(p, await m.predictScaled(encodeInputs(p, raw), count), lastValues(raw.target, p.window));
  };
  return {
    kind: m.kind,
    preprocessing: p,
    input: m.input,
    predictWindows,
    forecast: async (history) => (await predictWindows(lastWindow(history, p.window)))[0],
    save: (dir, info) => m.save(dir, info),
    dispose: () => m.dispose(),
  };
}
