/** Independent uniform draws for every active parameter: the baseline every sampler must beat. */
import { Rng } from '../rng';
import { isActive, type ValidSpace } from '../space';
import type { Assignment, Sampler, TrialView } from '../types';
import { sampleUniform } from './codec';
import { distinctFromInFlight } from './distinct';

/** One random point, deciding parameters parent-first so conditions see their parent's value. */
export function randomAssignment(space: ValidSpace, rng: Rng, fixed: Readonly<Assignment> = {}): Assignment {
  const out: Assignment = {};
  for (const p of space.params) {
    if (!isActive(p, out)) continue;
    out[p.name] = p.name in fixed ? fixed[p.name] : sampleUniform(p, rng);
  }
  return out;
}

export class RandomSampler implements Sampler {
  readonly name = 'random';
  constructor(
    private readonly space: ValidSpace,
    private readonly seed: number,
  ) {}

  propose(trials: readonly TrialView[]): Assignment {
    return distinctFromInFlight(trials, (attempt) => randomAssignment(this.space, new Rng(this.seed, trials.length, attempt)));
  }
}
