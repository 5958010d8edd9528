/**
 * Every combination of the grid exactly once. A conditional parameter only multiplies the
 * combinations where its parent selects it, so no two proposals differ only in an inactive value.
 * Combinations already taken by a trial (in flight or finished, failed included) are skipped; when
 * none is left the sampler says so and the study completes.
 */
import type { ParamValue } from '../../../shared/contract';
import { InvalidInput } from '../../../shared/errors';
import { Rng } from '../rng';
import { assignmentKey, contains, isActive, type ParamSpec, type ValidSpace } from '../space';
import type { Assignment, Sampler, TrialView } from '../types';

/** A grid larger than this is refused: enumerating it would be the wrong tool (use random or TPE). */
export const MAX_GRID_SIZE = 100_000;

export interface GridOptions {
  /** Explicit values per parameter; required for a float without a step. */
  values?: Record<string, readonly ParamValue[]>;
  /** Shuffles the order of the combinations (Optuna's grid does the same); 0 keeps it too. */
  seed?: number;
}

function gridValues(p: ParamSpec, explicit: readonly ParamValue[] | undefined): ParamValue[] {
  const at = `sampler.values.${p.name}`;
  if (explicit) {
    for (const v of explicit) {
      if (!contains(p.dist, v)) throw new InvalidInput(`${at}: ${JSON.stringify(v)} is not in the parameter's range`, at);
    }
    return [...new Set(explicit)];
  }
  const d = p.dist;
  if (d.type === 'categorical') return [...d.choices];
  if (d.step === undefined) {
    throw new InvalidInput(`${at}: a float parameter needs a step or explicit values to be searched by a grid`, at);
  }
  const n = Math.round((d.high - d.low) / d.step) + 1;
  if (n > MAX_GRID_SIZE) throw new InvalidInput(`${at}: ${n} values exceed the grid limit of ${MAX_GRID_SIZE}`, at);
  return Array.from({ length: n }, (_, k) => Number((d.low + k * d.step!).toPrecision(15)));
}

/** Every valid combination, parents first, conditional parameters only where active. */
export function enumerateGrid(space: ValidSpace, options: GridOptions = {}): Assignment[] {
  const values = new Map(space.params.map((p) => [p.name, gridValues(p, options.values?.[p.name])]));
  for (const name of Object.keys(options.values ?? {})) {
    if (!space.byName.has(name)) throw new InvalidInput(`sampler.values.${name}: not in the search space`, `sampler.values.${name}`);
  }
  const out: Assignment[] = [];
  const walk = (i: number, current: Assignment): void => {
    if (out.length > MAX_GRID_SIZE) throw new InvalidInput(`sampler: the grid has more than ${MAX_GRID_SIZE} combinations`, 'sampler');
    if (i === space.params.length) {
      out.push({ ...current });
      return;
    }
    const p = space.params[i];
    if (!isActive(p, current)) {
      walk(i + 1, current);
      return;
    }
    for (const v of values.get(p.name)!) {
      current[p.name] = v;
      walk(i + 1, current);
    }
    delete current[p.name];
  };
  walk(0, {});
  return out;
}

export class GridSampler implements Sampler {
  readonly name = 'grid';
  private readonly grid: readonly Assignment[];
  private readonly keys: readonly string[];

  constructor(space: ValidSpace, options: GridOptions = {}) {
    const grid = enumerateGrid(space, options);
    this.grid = options.seed ? new Rng(options.seed, 0x6772).shuffle(grid) : grid;
    this.keys = this.grid.map(assignmentKey);
  }

  get size(): number {
    return this.grid.length;
  }

  propose(trials: readonly TrialView[]): Assignment | null {
    const taken = new Set(trials.map((t) => assignmentKey(t.params)));
    for (let i = 0; i < this.grid.length; i++) if (!taken.has(this.keys[i])) return { ...this.grid[i] };
    return null;
  }
}
