/**
 * The space editor's rows and the search space they stand for. A row holds what the user typed
 * (strings), so a half-typed number is not lost; `rowsToSpace` turns the rows into the contract's
 * SearchSpace and refuses, naming the row, only what cannot be read at all (a low that is not a
 * number). The rules of a valid space (low <= high, log needs low > 0...) are the core's: its
 * InvalidInput names the parameter, and the form marks that row.
 */
import type { ParamValue, SearchSpace, SearchSpaceInput } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';

export type SpaceParamType = 'float' | 'int' | 'categorical';

export interface SpaceRow {
  /** Stable across renames, for React keys. */
  key: string;
  name: string;
  type: SpaceParamType;
  low: string;
  high: string;
  log: boolean;
  step: string;
  /** Comma-separated choices. */
  choices: string;
  /** The parent parameter for a conditional one; '' when unconditional. */
  parent: string;
  /** Comma-separated parent values under which this parameter exists. */
  parentValues: string;
}

let nextKey = 0;
export function newRowKey(): string {
  nextKey += 1;
  return `row-${nextKey}`;
}

export function emptyRow(name = ''): SpaceRow {
  return { key: newRowKey(), name, type: 'float', low: '', high: '', log: false, step: '', choices: '', parent: '', parentValues: '' };
}

/** A value typed in a list: a number when it reads as one, true/false as booleans, else the text. */
export function parseValue(raw: string): ParamValue {
  const t = raw.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

export function parseList(raw: string): ParamValue[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseValue);
}

const listText = (values: readonly ParamValue[]) => values.map(String).join(', ');

/** The rows for a space, in its order (the form is prefilled from the model's default space). */
export function spaceToRows(space: SearchSpace | SearchSpaceInput): SpaceRow[] {
  return Object.entries(space).map(([name, d]) => {
    const row = emptyRow(name);
    row.type = d.type;
    if (d.type === 'categorical') row.choices = listText(d.choices);
    else {
      row.low = String(d.low);
      row.high = String(d.high);
      row.log = d.log ?? false;
      // An int's step of 1 is the default: leave the field empty rather than show the obvious.
      row.step = d.step === undefined || (d.type === 'int' && d.step === 1) ? '' : String(d.step);
    }
    if (d.when) {
      row.parent = d.when.param;
      row.parentValues = listText(d.when.equals);
    }
    return row;
  });
}

function number(raw: string, field: string, what: string): number {
  const t = raw.trim();
  const n = Number(t);
  if (t === '' || !Number.isFinite(n)) throw new InvalidInput(`${field}: ${what} must be a number`, field);
  return n;
}

/** The search space the rows describe. Field names in errors are the core's: `spec.space.<name>`. */
export function rowsToSpace(rows: readonly SpaceRow[]): SearchSpaceInput {
  const space: SearchSpaceInput = {};
  rows.forEach((row, i) => {
    const name = row.name.trim();
    if (!name) throw new InvalidInput(`spec.space: parameter ${i + 1} needs a name`, `spec.space.#${i}`);
    const field = `spec.space.${name}`;
    if (Object.prototype.hasOwnProperty.call(space, name)) throw new InvalidInput(`${field}: the name is used twice`, field);
    const when = row.parent.trim() ? { param: row.parent.trim(), equals: parseList(row.parentValues) } : undefined;
    if (row.type === 'categorical') {
      space[name] = { type: 'categorical', choices: parseList(row.choices), ...(when ? { when } : {}) };
      return;
    }
    const low = number(row.low, field, 'low');
    const high = number(row.high, field, 'high');
    const step = row.step.trim() === '' ? undefined : number(row.step, field, 'step');
    space[name] = { type: row.type, low, high, log: row.log, ...(step !== undefined ? { step } : {}), ...(when ? { when } : {}) };
  });
  return space;
}

/** The space-row name an error's field points at (`spec.space.lr.when` → `lr`), or null. */
export function spaceFieldParam(field: string | undefined): string | null {
  if (!field) return null;
  const m = /(?:^|\.)space\.([^.]+)/.exec(field);
  return m ? m[1] : null;
}
