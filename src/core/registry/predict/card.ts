/**
 * What scoring needs from a model card: the columns the model reads, how its training data was
 * resolved (time order, duplicates, missing values), its windows and where its split put the test
 * rows. Read once, checked, so a card that lacks a field fails here with the model's name, not
 * somewhere inside the scoring.
 */
import { DuplicatePolicy, MissingPolicy, TimeOrder, type DataHandling, type ModelSchema } from '../../../shared/contract';
import { InvalidInput } from '../../../shared/errors';
import { chronologicalSplit, isoTime, type Range, type Series } from '../../data';
import { modelSchemaFromCard } from '../schema';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);


export interface ModelCardView {
  schema: ModelSchema;
  family: string;
  /** Anomaly models: the 0/1 column the run was scored against; null when it had none. */
  labelColumn: string | null;
  /** The data handling training used, without its split: predict resolves rows the same way. */
  handling: Omit<DataHandling, 'split'>;
  /** The backend the model was trained on: networks predict there when it is available, to the last bit. */
  backend: string | null;
  /** The rows' median spacing in ms, for stepping forecast times where the frequency is not calendar-based. */
  stepMs: number | null;
  /** How the card's split chose its test rows, to apply to another file of the same kind. */
  split: { by: 'fractions'; valFraction: number; testFraction: number } | { by: 'rows'; testStart: number } | { by: 'dates'; testFrom: string };
}

function splitOf(card: Json, label: string): ModelCardView['split'] {
  const split = obj(card.split);
  const by = str(split.by) ?? 'fractions';
  const test = obj(obj(split.boundaries).test);
  if (by === 'rows' && num(test.firstRow) !== null) return { by, testStart: num(test.firstRow)! };
  if (by === 'dates' && str(test.from)) return { by, testFrom: str(test.from)! };
  const fractions = obj(split.fractions);
  const params = obj(card.params);
  const valFraction = num(fractions.val) ?? num(params.valFraction);
  const testFraction = num(fractions.test) ?? num(params.testFraction);
  if (valFraction === null || testFraction === null) throw new InvalidInput(`The card of ${label} does not say how its rows were split`);
  return { by: 'fractions', valFraction, testFraction };
}

export function readModelCard(card: Json, label: string): ModelCardView {
  const schema = modelSchemaFromCard(card);
  const data = obj(card.data);
  const dataset = obj(card.dataset);
  return {
    schema,
    family: str(card.family) ?? 'unknown',
    labelColumn: schema.task === 'anomaly' ? str(card.labelColumn) : null,
    handling: {
      // A card written before the data summary existed trained with the defaults.
      timeOrder: TimeOrder.catch('sort').parse(obj(data.timeOrder).policy),
      duplicates: DuplicatePolicy.catch('refuse').parse(obj(data.duplicates).policy),
      missing: MissingPolicy.catch('refuse').parse(obj(data.missing).policy),
    },
    backend: str(card.backend),
    stepMs: num(dataset.stepMs),
    split: splitOf(card, label),
  };
}

/** The rows of `series` the model's split puts in its test part, as it would split this file. */
export function testRowsOf(view: ModelCardView, series: Series, label: string): Range {
  const n = series.values.length;
  const s = view.split;
  try {
    if (s.by === 'fractions') return chronologicalSplit(n, s).test;
    if (s.by === 'rows') {
      if (s.testStart > n - 1) throw new InvalidInput(`the first test row ${s.testStart} is past the last row (the file has ${n} rows)`);
      return { start: s.testStart, end: n };
    }
    const ts = series.timestamps;
    const first = ts ? ts.findIndex((t) => t >= Date.parse(s.testFrom)) : -1;
    if (first < 0) {
      throw new InvalidInput(ts ? `no row is at or after ${s.testFrom} (the rows run to ${isoTime(ts[n - 1])})` : 'the file has no time column');
    }
    return { start: first, end: n };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new InvalidInput(`The test rows of ${label} (its split ${s.by === 'fractions' ? 'by fractions' : `by ${s.by}`}) do not fit this file: ${why}`);
  }
}

export type { Range };
