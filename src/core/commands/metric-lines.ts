/**
 * The metric line format, shared by stdout and the metrics file. On stdout a metric line is
 *
 *     TRAINYARD_METRIC {"step": 3, "loss": 0.41, "accuracy": 0.88}
 *
 * (the prefix at the very start of the line, one space, one JSON object); in the file named by
 * TRAINYARD_METRICS_FILE each line is the JSON object alone. `step` is a whole number; without it a
 * line takes the step after the previous line's. Every other key with a number is a metric; keys
 * holding anything else are skipped (and said once per key in the job log).
 */
export const METRIC_PREFIX = 'TRAINYARD_METRIC ';

export interface MetricPoint {
  key: string;
  step: number;
  value: number;
}

export type ParsedLine = { ok: true; step: number; points: MetricPoint[]; skipped: string[] } | { ok: false; error: string };

/** Parses one JSON object of metrics; `nextStep` is the step a line without one gets. */
export function parseMetricObject(text: string, nextStep: number): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'not a JSON object' };
  const obj = value as Record<string, unknown>;
  let step = nextStep;
  if ('step' in obj) {
    if (typeof obj.step !== 'number' || !Number.isInteger(obj.step) || obj.step < 0) return { ok: false, error: `"step" must be a whole number ≥ 0, not ${JSON.stringify(obj.step)}` };
    step = obj.step;
  }
  const points: MetricPoint[] = [];
  const skipped: string[] = [];
  for (const [key, v] of Object.entries(obj)) {
    if (key === 'step') continue;
    if (typeof v === 'number' && key.length > 0 && key.length <= 200) points.push({ key, step, value: v });
    else skipped.push(key);
  }
  return { ok: true, step, points, skipped };
}

/** The JSON after the prefix when `line` is a metric line; null for any other line. */
export function metricLineBody(line: string): string | null {
  return line.startsWith(METRIC_PREFIX) ? line.slice(METRIC_PREFIX.length) : null;
}
