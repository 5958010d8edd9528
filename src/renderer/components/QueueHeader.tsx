/**
 * The queue at a glance, above the jobs table: paused or running with the button that flips it,
 * what the machine offers and what is taken, the limits (editable), and the stats (counts by status, mean wait and run
 * time, throughput, and the same per priority on demand) from queue.stats, refreshed as jobs
 * change status.
 */
import { useState } from 'react';
import type { JobStatus, QueueState } from '../../shared/contract';
import { useQueue } from '../stores/queue';
import { fmtDuration, fmtInt, fmtNum } from '../lib/format';
import { ErrorBanner } from './ErrorBanner';
import { PriorityTag } from './StatusBadge';

const STATUSES: JobStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];

export function QueueControls() {
  const state = useQueue((s) => s.state);
  const busy = useQueue((s) => s.busy);
  const error = useQueue((s) => s.error);
  const paused = state?.paused ?? false;
  return (
    <div className="queue-controls">
      <span
        className={`queue-state queue-${state ? (paused ? 'paused' : 'running') : 'unknown'}`}
        data-testid="queue-state"
        data-paused={state ? String(paused) : ''}
        title={paused ? 'Paused: running jobs finish, nothing new starts' : 'The scheduler starts jobs as resources free up'}
      >
        {state ? (paused ? 'paused' : 'running') : '…'}
      </span>
      {state && <QueueCapacity state={state} />}
      {state && <QueueLimitsEditor state={state} busy={busy} />}
      {paused ? (
        <button type="button" className="button button-small" data-testid="queue-resume" disabled={busy} onClick={() => void useQueue.getState().resume()}>
          {busy ? 'Resuming…' : 'Resume queue'}
        </button>
      ) : (
        <button
          type="button"
          className="button button-small"
          data-testid="queue-pause"
          disabled={busy || !state}
          onClick={() => void useQueue.getState().pause()}
          title="Running jobs finish; nothing new starts until you resume"
        >
          {busy ? 'Pausing…' : 'Pause queue'}
        </button>
      )}
      {error && <ErrorBanner message={error} />}
    </div>
  );
}

/**
 * The limits the user sets: max concurrent jobs, training jobs at once, and the aging interval. Saved in the
 * data directory by the core, so they hold across restarts.
 */
function QueueLimitsEditor({ state, busy }: { state: QueueState; busy: boolean }) {
  const [open, setOpen] = useState(false);
  const [maxConcurrent, setMaxConcurrent] = useState('');
  const [train, setTrain] = useState('');
  const [aging, setAging] = useState('');
  const show = () => {
    setMaxConcurrent(String(state.maxConcurrent));
    setTrain(state.maxPerKind.train !== undefined ? String(state.maxPerKind.train) : '');
    setAging(String(state.agingMinutes));
    setOpen(true);
  };
  const save = async () => {
    await useQueue.getState().configure({
      maxConcurrent: Number(maxConcurrent),
      maxPerKind: { train: train.trim() === '' ? null : Number(train) },
      agingMinutes: Number(aging),
    });
    if (!useQueue.getState().error) setOpen(false);
  };
  if (!open) {
    return (
      <button type="button" className="button button-small" data-testid="queue-limits-open" onClick={show} title="Max concurrent jobs, per kind, and aging">
        Limits
      </button>
    );
  }
  const field = (label: string, value: string, set: (v: string) => void, testId: string, placeholder?: string) => (
    <label className="queue-limit">
      {label}
      <input type="number" min={0} value={value} placeholder={placeholder} onChange={(e) => set(e.target.value)} data-testid={testId} />
    </label>
  );
  return (
    <form
      className="queue-limits"
      data-testid="queue-limits"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {field('max concurrent jobs', maxConcurrent, setMaxConcurrent, 'queue-limit-max-concurrent')}
      {field('training jobs at once', train, setTrain, 'queue-limit-train', 'no limit')}
      {field('aging, min', aging, setAging, 'queue-limit-aging')}
      <button type="submit" className="button button-small" disabled={busy} data-testid="queue-limits-save">
        Save
      </button>
      <button type="button" className="button button-small" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

function QueueCapacity({ state }: { state: QueueState }) {
  const { capacity, inUse } = state;
  const parts = [
    `${state.running}/${state.maxConcurrent} running`,
    `CPU ${inUse.cpuSlots}/${capacity.cpuSlots}`,
    `memory ${fmtInt(inUse.memoryMB)}/${fmtInt(capacity.memoryMB)} MB`,
  ];
  if (capacity.gpus > 0) parts.push(`GPU ${inUse.gpus}/${capacity.gpus}`);
  return (
    <span className="muted queue-capacity" data-testid="queue-capacity" title={`Waiting jobs are raised one priority level every ${state.agingMinutes} min`}>
      {parts.join(' · ')}
    </span>
  );
}

export function QueueStatsBar() {
  const stats = useQueue((s) => s.stats);
  const error = useQueue((s) => s.statsError);
  if (!stats) {
    return (
      <div className="queue-stats muted" data-testid="queue-stats" data-loaded="false">
        {error ? `Queue stats unavailable: ${error}` : 'Loading queue stats…'}
      </div>
    );
  }
  return (
    <div className="queue-stats" data-testid="queue-stats" data-loaded="true">
      {STATUSES.map((s) => (
        <span key={s} className={`stat stat-${s}`} data-testid={`stat-${s}`} data-count={stats.counts[s] ?? 0}>
          <span className="stat-value">{fmtInt(stats.counts[s] ?? 0)}</span> {s}
        </span>
      ))}
      <span className="stat" data-testid="stat-wait">
        mean wait <span className="stat-value">{fmtDuration(stats.meanWaitMs)}</span>
      </span>
      <span className="stat" data-testid="stat-run">
        mean run <span className="stat-value">{fmtDuration(stats.meanRunMs)}</span>
      </span>
      <span className="stat" data-testid="stat-throughput" data-value={stats.throughputPerHour}>
        <span className="stat-value">{fmtNum(stats.throughputPerHour)}</span> jobs/h
      </span>
      {error && <span className="muted" title={error}>(stale)</span>}
      <details className="queue-per-priority" data-testid="stats-per-priority">
        <summary>per priority</summary>
        <table className="table">
          <thead>
            <tr>
              <th>Priority</th>
              {STATUSES.map((s) => (
                <th key={s} className="num">
                  {s}
                </th>
              ))}
              <th className="num">Mean wait</th>
              <th className="num">Mean run</th>
            </tr>
          </thead>
          <tbody>
            {stats.perPriority.map((p) => (
              <tr key={p.priority} data-priority={p.priority}>
                <th scope="row">
                  <PriorityTag priority={p.priority} />
                </th>
                {STATUSES.map((s) => (
                  <td key={s} className="num">
                    {fmtInt(p[s])}
                  </td>
                ))}
                <td className="num">{fmtDuration(p.meanWaitMs)}</td>
                <td className="num">{fmtDuration(p.meanRunMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
