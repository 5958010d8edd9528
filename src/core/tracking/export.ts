/**
 * Runs as CSV or JSON: one row per run, one column per param, metric and tag in use across the
 * exported runs (`params.lr`, `metrics.test.rmse`, `tags.stage`), empty where a run lacks it.
 */
import type { Run, RunExport } from '../../shared/contract';

const RUN_COLUMNS = ['id', 'experiment', 'status', 'model', 'job_id', 'dataset_id', 'dataset_sha256', 'backend', 'device', 'created_at', 'finished_at', 'archived', 'note'] as const;

type Cell = string | number | boolean | null | undefined;

/**
 * RFC 4180 quoting: a field with a comma, quote, CR or LF is quoted and its quotes doubled. Text
 * that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe; numbers
 * are written as numbers and never touched.
 */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',');
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function sortedKeys(runs: readonly Run[], pick: (r: Run) => Record<string, unknown>): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(pick(r))) keys.add(k);
  return [...keys].sort();
}

export function runsToCsv(runs: readonly Run[]): string {
  const params = sortedKeys(runs, (r) => r.params);
  const metrics = sortedKeys(runs, (r) => r.summary);
  const tags = sortedKeys(runs, (r) => r.tags);
  const header = [...RUN_COLUMNS, ...params.map((k) => `params.${k}`), ...metrics.map((k) => `metrics.${k}`), ...tags.map((k) => `tags.${k}`)];
  const lines = [csvLine(header)];
  for (const r of runs) {
    lines.push(
      csvLine([
        r.id,
        r.experiment,
        r.status,
        r.model,
        r.jobId,
        r.datasetId,
        r.datasetSha256,
        r.backend,
        r.device,
        iso(r.createdAt),
        iso(r.finishedAt),
        r.archived,
        r.note,
        ...params.map((k) => r.params[k]),
        ...metrics.map((k) => r.summary[k]),
        ...tags.map((k) => r.tags[k]),
      ]),
    );
  }
  // CRLF, as RFC 4180 and spreadsheets expect; quoted fields keep their own line breaks.
  return `${lines.join('\r\n')}\r\n`;
}

/** JSON rows keep types (numbers, booleans) and nest params, metrics and tags under their names. */
export function runsToJson(runs: readonly Run[]): string {
  const rows = runs.map((r) => ({
    id: r.id,
    experiment: r.experiment,
    status: r.status,
    model: r.model,
    jobId: r.jobId,
    datasetId: r.datasetId,
    datasetSha256: r.datasetSha256,
    backend: r.backend,
    device: r.device,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
    archived: r.archived,
    note: r.note,
    params: r.params,
    metrics: r.summary,
    tags: r.tags,
    artifacts: r.artifacts.map((a) => ({ kind: a.kind, path: a.path, sizeBytes: a.sizeBytes, sha256: a.sha256 })),
  }));
  // JSON has no Infinity: such a metric would silently become null, so write it as a string.
  return `${JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}

export function exportRuns(runs: readonly Run[], format: 'csv' | 'json', now = Date.now()): RunExport {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return format === 'csv'
    ? { filename: `runs-${stamp}.csv`, mime: 'text/csv', text: runsToCsv(runs), count: runs.length }
    : { filename: `runs-${stamp}.json`, mime: 'application/json', text: runsToJson(runs), count: runs.length };
}
