/**
 * Supervised samples from a series: each input window of `window` consecutive values ends
 * `horizon` steps before its target, so no input ever sees the value it is asked to predict.
 */
import { InvalidInput } from '../../shared/errors';

export interface Windows {
  window: number;
  horizon: number;
  count: number;
  /** Row-major, `count` x `window`. */
  x: Float64Array;
  /** The value to predict for each window. */
  y: Float64Array;
  /** Series index of each window's last input value. */
  inputEnd: Int32Array;
  /** Series index of each window's target: always inputEnd + horizon. */
  targetIndex: Int32Array;
}

export function makeWindows(series: ArrayLike<number>, window: number, horizon: number): Windows {
  if (!Number.isInteger(window) || window < 1) throw new InvalidInput('window must be a positive integer', 'params.window');
  if (!Number.isInteger(horizon) || horizon < 1) throw new InvalidInput('horizon must be a positive integer', 'params.horizon');
  const count = series.length - window - horizon + 1;
  if (count < 1) {
    throw new InvalidInput(
      `The series has ${series.length} rows; a window of ${window} and a horizon of ${horizon} need at least ${window + horizon}`,
    );
  }
  const x = new Float64Array(count * window);
  const y = new Float64Array(count);
  const inputEnd = new Int32Array(count);
  const targetIndex = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    for (let j = 0; j < window; j++) x[k * window + j] = series[k + j];
    inputEnd[k] = k + window - 1;
    targetIndex[k] = k + window - 1 + horizon;
    y[k] = series[targetIndex[k]];
  }
  return { window, horizon, count, x, y, inputEnd, targetIndex };
}
