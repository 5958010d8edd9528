/**
 * The keys a runs query names that no run has: `params.model = "mlp"` finds nothing, because the
 * model is a run's own field (`model`), not a param. The core answers such a query with no runs and
 * no error; the search box warns instead, from the keys the runs have (runs.keys).
 */
import type { RunKeys } from '../../shared/contract';

/** A run's own fields, which a query names without a prefix. */
const OWN_FIELDS = ['status', 'model', 'experiment', 'id'];

export interface UnknownKey {
  /** As written in the query: `params.model`. */
  field: string;
  /** A field the user may have meant (`model` for `params.model`), if one fits. */
  suggestion: string | null;
}

/** The prefixed fields (`params.*`, `metrics.*`, `tags.*`) a query names, outside its strings. */
export function queryFields(query: string): string[] {
  const outsideStrings = query.replace(/"(?:[^"\\]|\\.)*"?/g, ' ');
  const fields = outsideStrings.match(/\b(?:params|metrics|tags)\.[A-Za-z0-9_.\-/:]+/g) ?? [];
  return [...new Set(fields)];
}

export function unknownQueryKeys(query: string, keys: RunKeys): UnknownKey[] {
  const unknown: UnknownKey[] = [];
  for (const field of queryFields(query)) {
    const dot = field.indexOf('.');
    const group = field.slice(0, dot) as keyof RunKeys;
    const key = field.slice(dot + 1);
    if (keys[group].includes(key)) continue;
    const elsewhere = (['params', 'metrics', 'tags'] as const).find((g) => g !== group && keys[g].includes(key));
    const suggestion = OWN_FIELDS.includes(key) ? key : elsewhere ? `${elsewhere}.${key}` : null;
    unknown.push({ field, suggestion });
  }
  return unknown;
}
