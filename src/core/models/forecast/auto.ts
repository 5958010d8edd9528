/**
 * The auto family's params: fit several candidate forecasters on the same split and keep the one
 * with the lowest validation error (optionally a blend of the best few), never looking at the test
 * windows. The training-loop params (epochs, learningRate, batchSize, patience) and `hiddenUnits` /
 * `layers` go to the network candidates; trees and ridge use their own defaults.
 */
import { z } from 'zod';
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import { SearchSpace as SearchSpaceSchema } from '../../../shared/contract';
import { MLP_OWN_PARAMS } from './mlp';
import { flag, forecastSchema, oneOf, resolveWith } from './params';
import { DATA_SEARCH_SPACE } from './search';

/** The families auto may try. */
export const AUTO_CANDIDATE_FAMILIES = ['linear', 'gbdt', 'mlp', 'lstm', 'gru', 'conv1d'] as const;
export type AutoCandidateFamily = (typeof AUTO_CANDIDATE_FAMILIES)[number];

const candidateList = z
  .string({ error: `must be a comma-separated list of ${AUTO_CANDIDATE_FAMILIES.join(', ')}` })
  .refine(
    (s) => {
      const names = s.split(',').map((n) => n.trim());
      return names.length > 0 && names.every((n) => (AUTO_CANDIDATE_FAMILIES as readonly string[]).includes(n));
    },
    { error: `must be a comma-separated list of ${AUTO_CANDIDATE_FAMILIES.join(', ')}` },
  );

export const AutoParamsSchema = forecastSchema({
  /** What the choice minimises on the validation windows, on the original scale. */
  criterion: oneOf(['mae', 'rmse']).default('mae'),
  /** The families fitted, comma-separated. */
  candidates: candidateList.default('linear,gbdt,mlp'),
  /** Also fit ridge on windows one and two seasons long (when the series has a season). */
  seasonWindows: flag().default(true),
  /** Also try blends of the best two and three candidates, weighted by inverse validation error. */
  blend: flag().default(true),
  ...MLP_OWN_PARAMS,
});
export type AutoParams = z.output<typeof AutoParamsSchema>;
export const AUTO_DEFAULTS: AutoParams = AutoParamsSchema.parse({});
export const AUTO_SEARCH_SPACE: SearchSpace = SearchSpaceSchema.parse({
  ...DATA_SEARCH_SPACE,
  criterion: { type: 'categorical', choices: ['mae', 'rmse'] },
  blend: { type: 'categorical', choices: [true, false] },
});

export function resolveAutoParams(raw: Record<string, ParamValue> | undefined = {}): AutoParams {
  return resolveWith(AutoParamsSchema, 'auto', Object.keys(AUTO_DEFAULTS), raw);
}

/** The candidate families named in `candidates`, in order, each once. */
export const autoCandidates = (p: AutoParams): AutoCandidateFamily[] =>
  [...new Set(p.candidates.split(',').map((n) => n.trim()))] as AutoCandidateFamily[];
