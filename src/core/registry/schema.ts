/**
 * A model's input/output schema, read from its model card: what predict validates its input
 * against and what the gate compares between a candidate and the version an alias points at.
 */
import type { ModelSchema } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';

type Card = Record<string, unknown>;

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : null);

/**
 * The schema of the model a card describes. `frequency` stands in for cards written before the
 * card recorded the rows' spacing (`dataset.frequency`); it is null where neither says.
 */
export function modelSchemaFromCard(card: Card, frequency: string | null = null): ModelSchema {
  // A command's program reads and writes what it likes: its schema says nothing beyond the task.
  if (card.task === 'command') return { task: 'command', target: '', timeColumn: null, inputs: [], frequency: null, window: 1, horizon: null };
  const task = card.task === 'anomaly' ? 'anomaly' : card.task === 'forecast' ? 'forecast' : null;
  const target = str(card.target);
  if (!task || !target) throw new InvalidInput('The model card names no task or target; it is not a Trainyard model card');
  const timeColumn = str(card.timeColumn);
  const dataset = obj(card.dataset);
  const freq = timeColumn ? (str(dataset.frequency) ?? frequency) : null;
  if (task === 'forecast') {
    const features = obj(card.features);
    const window = int(features.window);
    const horizon = int(features.horizon);
    if (!window || !horizon) throw new InvalidInput('The forecast model card has no window or horizon');
    const exogenous = Array.isArray(features.exogenous) ? features.exogenous.filter((c): c is string => typeof c === 'string') : [];
    return { task, target, timeColumn, inputs: exogenous, frequency: freq, window, horizon };
  }
  const params = obj(card.params);
  const window = int(params.window) ?? 1;
  return { task, target, timeColumn, inputs: [], frequency: freq, window, horizon: null };
}
