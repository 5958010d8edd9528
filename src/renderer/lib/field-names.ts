/**
 * The words a person reads for a field the core names by its path: `spec.params.epochs` is
 * "epochs" (a model parameter keeps the name the forms show it by), `spec.space.window` is
 * "Search space › window", `source` is "File", `resources.gpus` is "GPUs". An error shown in the
 * UI starts with these, never with the request's path.
 */

/** Fields whose last segment alone would read wrong or too technical. */
const LABELS: Record<string, string> = {
  source: 'File',
  path: 'File',
  datasetId: 'Dataset',
  target: 'Target column',
  labelColumn: 'Label column',
  exogenous: 'Exogenous columns',
  gpus: 'GPUs',
  cpuSlots: 'CPU slots',
  memoryMB: 'Memory (MB)',
  maxAttempts: 'Attempts',
  backoffMs: 'Retry backoff',
  after: 'Waits for',
  query: 'Search',
};

/** Path segments that say where a field lives, shown before it. */
const GROUPS: Record<string, string> = { space: 'Search space', enqueue: 'Warm start', budget: 'Budget', objective: 'Objective', data: 'Data handling', split: 'Split' };

/** Prefixes that say nothing to a person (the request's shape): dropped. */
const SILENT = new Set(['spec', 'input', 'params', 'train', 'resources', 'retryPolicy', 'value']);

function words(segment: string): string {
  if (LABELS[segment]) return LABELS[segment];
  const spaced = segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function fieldLabel(path: string): string {
  const segments = path.split('.').filter((s) => s !== '' && !/^\d+$/.test(s));
  const last = segments.pop();
  if (last === undefined) return path;
  const group = segments.map((s) => GROUPS[s]).filter((g): g is string => g !== undefined && !SILENT.has(g));
  // A model parameter (in the params, a search space or a warm-start trial) is named as the forms
  // show it (`learningRate`), so it keeps that name.
  const isParam = segments.some((s) => s === 'params' || s === 'space' || s === 'enqueue');
  return [...group, isParam ? last : words(last)].join(' › ');
}

/** A dotted path at the start of a message, as the core's validation writes it (`params.epochs: ...`). */
const LEADING_PATH = /^([A-Za-z_][\w-]*(?:\.[\w-]+)*):\s+/;

/** The message with any field path it starts with, or the given field, in a person's words. */
export function humanMessage(message: string, field?: string): string {
  const m = LEADING_PATH.exec(message);
  if (m && (m[1] === field || m[1].includes('.') || LABELS[m[1]] !== undefined)) return `${fieldLabel(m[1])}: ${message.slice(m[0].length)}`;
  // A message that already starts with the field's name needs it only once.
  if (field && !message.includes(field) && !message.startsWith(`${fieldLabel(field)}:`)) return `${fieldLabel(field)}: ${message}`;
  if (field) return message.split(field).join(fieldLabel(field));
  return message;
}
