/** The pruners: none, median, ASHA and hyperband, built from a study's spec. */
import { PrunerSpec, type PrunerSpecInput } from '../../../shared/contract';
import { InvalidInput } from '../../../shared/errors';
import { zodToInvalidInput } from '../../../shared/rpc';
import type { Direction, Pruner } from '../types';
import { AshaPruner, HyperbandPruner } from './asha';
import { MedianPruner } from './median';

export { AshaPruner, HyperbandPruner, type AshaOptions, type HyperbandOptions } from './asha';
export { MedianPruner, type MedianOptions } from './median';

/** Never prunes: every trial runs its full course. */
export const NO_PRUNER: Pruner = { name: 'none', shouldPrune: () => false };

export function createPruner(spec: PrunerSpecInput, direction: Direction, seed = 0): Pruner {
  const parsed = PrunerSpec.safeParse(spec);
  if (!parsed.success) throw zodToInvalidInput(parsed.error, 'pruner');
  const s = parsed.data;
  switch (s.type) {
    case 'none':
      return NO_PRUNER;
    case 'median':
      return new MedianPruner({ direction, ...s });
    case 'asha':
      return new AshaPruner({ direction, ...s });
    case 'hyperband':
      if (s.maxResource < s.minResource) {
        throw new InvalidInput(`pruner.maxResource: must be at least minResource (${s.minResource})`, 'pruner.maxResource');
      }
      return new HyperbandPruner({ direction, seed, ...s });
  }
}
