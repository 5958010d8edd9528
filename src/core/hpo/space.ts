/**
 * Search-space validation and the questions samplers ask of a space: which parameters are active
 * under a partial assignment, in which order to decide them, and whether a value belongs.
 */
import { SearchSpace, type ParamDistribution, type ParamValue } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { zodToInvalidInput } from '../../shared/rpc';
import type { Assignment } from './types';

/** One validated parameter; `parent` set for a conditional one. */
export interface ParamSpec {
  readonly name: string;
  readonly dist: ParamDistribution;
  readonly parent?: { readonly name: string; readonly equals: readonly ParamValue[] };
}

/** A search space known to be valid, its parameters in an order where every parent comes first. */
export interface ValidSpace {
  readonly params: readonly ParamSpec[];
  readonly byName: ReadonlyMap<string, ParamSpec>;
}

/** Relative tolerance when checking that a float lies on a step's grid. */
const STEP_TOLERANCE = 1e-9;

/**
 * Checks a search space and returns it in dependency order. Every refusal is an InvalidInput naming
 * the parameter (`space.lr`), so a form can point at the field.
 */
export function validateSpace(input: unknown, field = 'space'): ValidSpace {
  const parsed = SearchSpace.safeParse(input);
  if (!parsed.success) throw zodToInvalidInput(parsed.error, field);
  const space = parsed.data;
  const names = Object.keys(space);
  if (names.length === 0) throw new InvalidInput(`${field}: a search space needs at least one parameter`, field);
  for (const name of names) checkDistribution(space[name], `${field}.${name}`);
  for (const name of names) {
    const when = space[name].when;
    if (!when) continue;
    const at = `${field}.${name}.when`;
    const parent = space[when.param];
    if (!parent) throw new InvalidInput(`${at}: depends on "${when.param}", which is not in the space`, `${field}.${name}`);
    if (when.param === name) throw new InvalidInput(`${at}: a parameter cannot depend on itself`, `${field}.${name}`);
    for (const v of when.equals) {
      if (!contains(parent, v)) {
        throw new InvalidInput(`${at}: "${when.param}" can never take the value ${JSON.stringify(v)}`, `${field}.${name}`);
      }
    }
  }
  const ordered = dependencyOrder(space, field);
  const params: ParamSpec[] = ordered.map((name) => {
    const dist = space[name];
    return dist.when ? { name, dist, parent: { name: dist.when.param, equals: dist.when.equals } } : { name, dist };
  });
  return { params, byName: new Map(params.map((p) => [p.name, p])) };
}

function checkDistribution(d: ParamDistribution, at: string): void {
  if (d.type === 'categorical') {
    if (d.choices.length === 0) throw new InvalidInput(`${at}: a categorical parameter needs at least one choice`, at);
    const seen = new Set<string>();
    for (const c of d.choices) {
      const key = valueKey(c);
      if (seen.has(key)) throw new InvalidInput(`${at}: the choice ${JSON.stringify(c)} is listed twice`, at);
      seen.add(key);
    }
    return;
  }
  if (!Number.isFinite(d.low) || !Number.isFinite(d.high)) throw new InvalidInput(`${at}: low and high must be finite numbers`, at);
  if (d.low > d.high) throw new InvalidInput(`${at}: low (${d.low}) is greater than high (${d.high})`, at);
  if (d.log && d.low <= 0) throw new InvalidInput(`${at}: a log scale needs low > 0 (got ${d.low})`, at);
  if (d.type === 'float' && d.log && d.step !== undefined) {
    throw new InvalidInput(`${at}: a float parameter takes a log scale or a step, not both`, at);
  }
  if (d.type === 'int' && d.log && d.step !== 1) throw new InvalidInput(`${at}: an int parameter on a log scale needs step 1`, at);
  if (d.step !== undefined) {
    const k = (d.high - d.low) / d.step;
    if (Math.abs(k - Math.round(k)) > STEP_TOLERANCE * Math.max(1, Math.abs(k))) {
      throw new InvalidInput(`${at}: step ${d.step} does not divide the range [${d.low}, ${d.high}]`, at);
    }
  }
}

/** Depth-first topological order; a cycle is refused naming a parameter on it. */
function dependencyOrder(space: SearchSpace, field: string): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name].join(' -> ');
      throw new InvalidInput(`${field}.${name}.when: conditions form a cycle (${cycle})`, `${field}.${name}`);
    }
    state.set(name, 'visiting');
    const parent = space[name].when?.param;
    if (parent !== undefined) visit(parent, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(space)) visit(name, []);
  return order;
}

/** Whether a value is one the distribution can take (in range, on the step grid, an integer...). */
export function contains(d: ParamDistribution, v: ParamValue): boolean {
  if (d.type === 'categorical') return d.choices.some((c) => c === v);
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  const span = Math.max(Math.abs(d.low), Math.abs(d.high), 1);
  const tol = STEP_TOLERANCE * span;
  if (v < d.low - tol || v > d.high + tol) return false;
  if (d.type === 'int' && !Number.isInteger(v)) return false;
  if (d.step !== undefined) {
    const k = (v - d.low) / d.step;
    if (Math.abs(k - Math.round(k)) > STEP_TOLERANCE * Math.max(1, Math.abs(k)) + tol / d.step) return false;
  }
  return true;
}

/** Whether a parameter exists under the values decided so far (its parent is set to a listed value). */
export function isActive(p: ParamSpec, assignment: Readonly<Assignment>): boolean {
  if (!p.parent) return true;
  if (!(p.parent.name in assignment)) return false;
  const v = assignment[p.parent.name];
  return p.parent.equals.some((e) => e === v);
}

/** The parameters active for a complete assignment, in dependency order. */
export function activeParams(space: ValidSpace, assignment: Readonly<Assignment>): string[] {
  const active: string[] = [];
  const seen: Assignment = {};
  for (const p of space.params) {
    if (!isActive(p, seen)) continue;
    active.push(p.name);
    if (p.name in assignment) seen[p.name] = assignment[p.name];
  }
  return active;
}

/**
 * Checks a given assignment (a warm-start trial): every active parameter present and valid, nothing
 * else. Refusals name the parameter (`params.lr`).
 */
export function checkAssignment(space: ValidSpace, params: Readonly<Assignment>, field = 'params'): void {
  const active = new Set(activeParams(space, params));
  for (const name of active) {
    if (!(name in params)) throw new InvalidInput(`${field}.${name}: missing`, `${field}.${name}`);
    const dist = space.byName.get(name)!.dist;
    if (!contains(dist, params[name])) {
      throw new InvalidInput(`${field}.${name}: ${JSON.stringify(params[name])} is not in the parameter's range`, `${field}.${name}`);
    }
  }
  for (const name of Object.keys(params)) {
    if (active.has(name)) continue;
    const why = space.byName.has(name) ? 'is inactive under the other values' : 'is not in the search space';
    throw new InvalidInput(`${field}.${name}: ${why}`, `${field}.${name}`);
  }
}

/** A stable key for a value (so 1 and "1" differ). */
export function valueKey(v: ParamValue): string {
  return typeof v === 'string' ? `s${v}` : `${typeof v === 'number' ? 'n' : 'b'}${String(v)}`;
}

/** A stable key for an assignment: the same parameters and values give the same key. */
export function assignmentKey(params: Readonly<Assignment>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${k}=${valueKey(params[k])}`)
    .join('\u0000');
}
