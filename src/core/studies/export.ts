/**
 * A study's trials as CSV or JSON: one row per trial, one column per parameter of the space
 * (`params.lr`), empty where a conditional parameter was inactive.
 */
import type { RunExport, StudySpec } from '../../shared/contract';
import { csvLine } from '../tracking';
import type { StoredTrial } from './repository';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function trialsToCsv(spec: StudySpec, trials: readonly StoredTrial[]): string {
  const params = Object.keys(spec.space);
  const header = ['number', 'status', 'value', ...params.map((p) => `params.${p}`), 'steps', 'last_intermediate', 'started_at', 'finished_at', 'duration_s', 'job_id', 'run_id', 'error'];
  const lines = [csvLine(header)];
  for (const t of trials) {
    const last = t.intermediate.at(-1);
    lines.push(
      csvLine([
        t.number,
        t.status,
        t.value,
        ...params.map((p) => t.params[p]),
        t.intermediate.length,
        last?.value,
        iso(t.startedAt),
        iso(t.finishedAt),
        t.finishedAt === null ? null : (t.finishedAt - t.startedAt) / 1000,
        t.jobId,
        t.runId,
        t.error,
      ]),
    );
  }
  // CRLF, as RFC 4180 and spreadsheets expect.
  return `${lines.join('\r\n')}\r\n`;
}

/** JSON rows keep types; every parameter of the space is a key of `params` (null where inactive). */
export function trialsToJson(spec: StudySpec, trials: readonly StoredTrial[]): string {
  const params = Object.keys(spec.space);
  const rows = trials.map((t) => ({
    number: t.number,
    status: t.status,
    value: t.value,
    params: Object.fromEntries(params.map((p) => [p, t.params[p] ?? null])),
    intermediate: t.intermediate,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    jobId: t.jobId,
    runId: t.runId,
    error: t.error,
  }));
  return `${JSON.stringify({ study: spec.name, objective: spec.objective, trials: rows }, null, 2)}\n`;
}

export function exportTrials(spec: StudySpec, trials: readonly StoredTrial[], format: 'csv' | 'json'): RunExport {
  const base = spec.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'study';
  return format === 'csv'
    ? { filename: `${base}-trials.csv`, mime: 'text/csv', text: trialsToCsv(spec, trials), count: trials.length }
    : { filename: `${base}-trials.json`, mime: 'application/json', text: trialsToJson(spec, trials), count: trials.length };
}
