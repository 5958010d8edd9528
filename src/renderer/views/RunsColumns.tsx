/**
 * The Runs table's columns: a fixed set (run, status, model, experiment, created) and the params,
 * metrics and tags the user picks, remembered in this browser. Each column knows the sort key the
 * core understands (`params.lr`, `metrics.test.rmse`, `tags.stage`).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Run } from '../../shared/contract';
import { StatusBadge } from '../components/StatusBadge';
import { fmtMetric, fmtShortTime, shortId } from '../lib/format';
import { isModelMetric } from './CompareData';

export interface RunColumn {
  id: string;
  label: string;
  /** What runs.list sorts by when the header is clicked; null: not sortable. */
  sortKey: string | null;
  width: number;
  numeric?: boolean;
  render(run: Run): ReactNode;
}

const STORAGE_KEY = 'trainyard.runs.columns';
export const DEFAULT_PICKED = ['metrics.test.rmse', 'metrics.naive.rmse'];

export const FIXED_COLUMNS: RunColumn[] = [
  { id: 'run', label: 'Run', sortKey: 'id', width: 96, render: (r) => <span className="mono" title={r.id}>{shortId(r.id)}</span> },
  { id: 'status', label: 'Status', sortKey: 'status', width: 116, render: (r) => <StatusBadge status={r.status} /> },
  { id: 'model', label: 'Model', sortKey: 'model', width: 90, render: (r) => r.model },
  { id: 'experiment', label: 'Experiment', sortKey: 'experiment', width: 140, render: (r) => <span className="ellipsis" title={r.experiment}>{r.experiment}</span> },
  { id: 'created', label: 'Created', sortKey: 'created', width: 120, render: (r) => <span className="nowrap">{fmtShortTime(r.createdAt)}</span> },
];

/** A picked key (`params.lr`, `metrics.test.rmse`, `tags.stage`) as a column. */
export function pickedColumn(id: string): RunColumn {
  const dot = id.indexOf('.');
  const kind = id.slice(0, dot);
  const key = id.slice(dot + 1);
  if (kind === 'metrics') {
    return { id, label: key, sortKey: id, width: 110, numeric: true, render: (r) => fmtMetric(key, r.summary[key]) };
  }
  if (kind === 'params') {
    return { id, label: key, sortKey: id, width: 110, numeric: true, render: (r) => (r.params[key] === undefined ? '—' : String(r.params[key])) };
  }
  return { id, label: `#${key}`, sortKey: id, width: 120, render: (r) => r.tags[key] ?? '' };
}

export function loadPicked(): string[] {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
  } catch {
    // Storage disabled or a bad value: the defaults.
  }
  return DEFAULT_PICKED;
}

export function savePicked(ids: string[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
  } catch {
    // Not remembered; the choice holds for this page.
  }
}

/** A popover of checkboxes: every param, metric and tag key the runs have. */
export function ColumnPicker({
  keys,
  picked,
  onChange,
}: {
  keys: { params: string[]; metrics: string[]; tags: string[] };
  picked: string[];
  onChange(ids: string[]): void;
}) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const boxRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (boxRef.current && !boxRef.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);

  const groups: { title: string; prefix: string; names: string[] }[] = [
    // A run's scores only: system samples and the last predicted values are series, not metrics.
    { title: 'Metrics', prefix: 'metrics', names: keys.metrics.filter(isModelMetric) },
    { title: 'Params', prefix: 'params', names: keys.params },
    { title: 'Tags', prefix: 'tags', names: keys.tags },
  ];
  const toggle = (id: string) => onChange(picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id]);
  const f = filter.trim().toLowerCase();

  return (
    <div className="column-picker" ref={boxRef}>
      <button type="button" className="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="column-picker-button">
        Columns ({picked.length})
      </button>
      {open && (
        <div className="popover" data-testid="column-picker">
          <input type="search" placeholder="Filter keys" value={filter} onChange={(e) => setFilter(e.target.value)} autoFocus />
          {groups.map((g) => {
            const names = g.names.filter((n) => !f || n.toLowerCase().includes(f));
            return (
              <fieldset key={g.prefix}>
                <legend>{g.title}</legend>
                {names.length === 0 && <span className="muted">none</span>}
                {names.map((n) => {
                  const id = `${g.prefix}.${n}`;
                  return (
                    <label key={id} className="check">
                      <input type="checkbox" checked={picked.includes(id)} onChange={() => toggle(id)} data-testid={`column-option-${id}`} />
                      <span className="mono">{n}</span>
                    </label>
                  );
                })}
              </fieldset>
            );
          })}
          <div className="popover-actions">
            <button type="button" className="link-button" onClick={() => onChange(DEFAULT_PICKED)}>
              Reset
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
