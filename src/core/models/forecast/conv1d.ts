/** The 1-D convolutional forecaster's params: convolutions over the window's time steps, then a dense head. */
import type { z } from 'zod';
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import { SearchSpace as SearchSpaceSchema } from '../../../shared/contract';
import { forecastSchema, numberIn, resolveWith } from './params';
import { COMMON_SEARCH_SPACE } from './search';

export const Conv1dParamsSchema = forecastSchema({
  filters: numberIn(1, 512, { int: true }).default(16),
  kernelSize: numberIn(1, 64, { int: true }).default(3),
  /** Convolution layers, each with `filters` filters. */
  layers: numberIn(1, 6, { int: true }).default(2),
  hiddenUnits: numberIn(1, 1024, { int: true }).default(32),
}).refine((p) => p.layers * (p.kernelSize - 1) <= p.window - 2, {
  // Each layer shortens the window - 1 time steps by kernelSize - 1; at least one must remain.
  path: ['kernelSize'],
  error: 'is too long for the window: layers x (kernelSize - 1) must be at most window - 2',
});
export type Conv1dParams = z.output<typeof Conv1dParamsSchema>;
export const CONV1D_DEFAULTS: Conv1dParams = Conv1dParamsSchema.parse({});
export const CONV1D_SEARCH_SPACE: SearchSpace = SearchSpaceSchema.parse({
  ...COMMON_SEARCH_SPACE,
  filters: { type: 'int', low: 8, high: 64, log: true },
  kernelSize: { type: 'int', low: 2, high: 5 },
  layers: { type: 'int', low: 1, high: 3 },
  hiddenUnits: { type: 'int', low: 8, high: 64, log: true },
});

export function resolveConv1dParams(raw: Record<string, ParamValue> | undefined = {}): Conv1dParams {
  return resolveWith(Conv1dParamsSchema, 'conv1d', Object.keys(CONV1D_DEFAULTS), raw);
}
