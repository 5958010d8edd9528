/** The samplers: random, grid and TPE (univariate or multivariate), built from a study's spec. */
import { SamplerSpec, type SamplerSpecInput } from '../../../shared/contract';
import { zodToInvalidInput } from '../../../shared/rpc';
import type { ValidSpace } from '../space';
import type { Direction, Sampler } from '../types';
import { GridSampler } from './grid';
import { RandomSampler } from './random';
import { TpeSampler } from './tpe';

export { GridSampler, enumerateGrid, MAX_GRID_SIZE, type GridOptions } from './grid';
export { RandomSampler, randomAssignment } from './random';
export { TpeSampler, defaultGamma, type TpeOptions } from './tpe';

export function createSampler(spec: SamplerSpecInput, space: ValidSpace, direction: Direction, seed: number): Sampler {
  const parsed = SamplerSpec.safeParse(spec);
  if (!parsed.success) throw zodToInvalidInput(parsed.error, 'sampler');
  const s = parsed.data;
  switch (s.type) {
    case 'random':
      return new RandomSampler(space, seed);
    case 'grid':
      return new GridSampler(space, { values: s.values, seed });
    case 'tpe':
      return new TpeSampler(space, {
        direction,
        seed,
        multivariate: s.multivariate,
        nStartupTrials: s.nStartupTrials,
        nEiCandidates: s.nEiCandidates,
        constantLiar: s.constantLiar,
      });
  }
}
