/**
 * The job queue: the queue's state with pause and resume, its stats, filters, and a virtualised
 * table of every job (smooth with 10,000) with live progress, priority and actions; the new-job
 * form; the selected job beside it.
 *
 * Test ids (Jobs view):
 * - header: `new-job-button`, `queue-state` (data-paused), `queue-pause`, `queue-resume`,
 *   `queue-capacity`, `queue-stats` (data-loaded), `stat-queued|running|completed|failed|cancelled`
 *   (data-count), `stat-wait`, `stat-run`, `stat-throughput`, `queue-limits-open`, `queue-limits`,
 *   `queue-limit-max-concurrent`, `queue-limit-train`, `queue-limit-aging`, `queue-limits-save`
 * - filters: `filter-status`, `filter-kind`, `filter-priority`, `filter-clear`, `jobs-shown` (data-count)
 * - table: `jobs-scroll` (the scrolling box), `jobs-table` (data-rows: rows after filtering),
 *   `sort-status|priority|kind|progress|created|id`, `job-row` (data-job-id, data-status,
 *   data-priority, data-kind, data-index), and in a row `job-status`, `job-priority` (data-priority,
 *   data-effective), `job-priority-select` (queued jobs), `job-boost`, `progress-bar`,
 *   `job-estimate` (queued jobs), `cancel-job`, `retry-job`
 * - `jobs-action-error`: an action that failed, in words
 * The detail pane's ids are listed in JobDetail.tsx, the form's in NewJobForm.tsx.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Dataset } from '../../shared/contract';
import { ErrorBanner } from '../components/ErrorBanner';
import { JobsFilters } from '../components/JobsFilters';
import { JobsTable } from '../components/JobsTable';
import { QueueControls, QueueStatsBar } from '../components/QueueHeader';
import { useDatasets } from '../stores/datasets';
import { useQueue } from '../stores/queue';
import { LIST_LIMIT, selectJobRows, useJobs } from '../stores/jobs';
import { selectJob, useSelectedJobId } from '../stores/ui';
import { fmtInt } from '../lib/format';
import { useNow } from '../lib/hooks';
import { JobDetail } from './JobDetail';
import { NewJobTabs } from './NewJobTabs';

/** Boost badges read in minutes and hours: the table's clock needs no finer tick. */
const TABLE_CLOCK_MS = 30_000;
/** How often waiting jobs are re-read for aging: a quarter of the aging interval, within these bounds. */
const AGING_REFRESH_MIN_MS = 60_000;
const AGING_REFRESH_MAX_MS = 15 * 60_000;

/** While jobs wait, re-reads them now and then so boosts from aging show without an event. */
function useAgingRefresh(): void {
  const agingMinutes = useQueue((s) => s.state?.agingMinutes ?? null);
  const waiting = useQueue((s) => (s.stats?.counts.queued ?? 0) > 0);
  useEffect(() => {
    if (agingMinutes === null || agingMinutes <= 0 || !waiting) return;
    const every = Math.min(AGING_REFRESH_MAX_MS, Math.max(AGING_REFRESH_MIN_MS, (agingMinutes * 60_000) / 4));
    const timer = window.setInterval(() => void useJobs.getState().refreshQueued(), every);
    return () => window.clearInterval(timer);
  }, [agingMinutes, waiting]);
}

export function JobsView() {
  const byId = useJobs((s) => s.byId);
  const loaded = useJobs((s) => s.loaded);
  const error = useJobs((s) => s.error);
  const listed = useJobs((s) => s.listed);
  const filter = useJobs((s) => s.filter);
  const sort = useJobs((s) => s.sort);
  const datasets = useDatasets((s) => s.list);
  const selected = useSelectedJobId();
  const [formOpen, setFormOpen] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const now = useNow(TABLE_CLOCK_MS);
  const onError = useCallback((message: string | null) => setActionError(message), []);
  useAgingRefresh();

  const rows = useMemo(() => selectJobRows(byId, filter, sort), [byId, filter, sort]);
  const total = useMemo(() => Object.keys(byId).length, [byId]);
  const datasetNames = useMemo(() => new Map(datasets.map((d: Dataset) => [d.id, d.name])), [datasets]);
  const filtered = filter.status !== null || filter.kind !== null || filter.priority !== null;

  return (
    <div className={`jobs-layout${selected ? ' with-detail' : ''}`}>
      <div className="jobs-main">
        <header className="view-head">
          <h1>Jobs</h1>
          <span className="spacer" />
          <QueueControls />
          <button
            type="button"
            className="button button-primary"
            data-testid="new-job-button"
            onClick={() => setFormOpen((o) => !o)}
            aria-expanded={formOpen}
          >
            New training job
          </button>
        </header>

        <QueueStatsBar />

        {formOpen && (
          <NewJobTabs
            onClose={() => setFormOpen(false)}
            onCreated={(job) => {
              setFormOpen(false);
              selectJob(job.id);
            }}
          />
        )}

        <ErrorBanner message={error} />
        {actionError && (
          <div data-testid="jobs-action-error">
            <ErrorBanner message={actionError} onDismiss={() => setActionError(null)} />
          </div>
        )}
        {listed >= LIST_LIMIT && (
          <p className="hint">The newest {fmtInt(LIST_LIMIT)} jobs are listed; older ones are kept and counted in the stats.</p>
        )}

        <JobsFilters shown={rows.length} total={total} />
        <JobsTable
          rows={rows}
          datasetNames={datasetNames}
          selected={selected}
          compact={selected !== null}
          now={now}
          onError={onError}
          empty={
            !loaded ? 'Loading jobs…' : filtered ? 'No jobs match these filters.' : 'No jobs yet. Start one with “New training job”.'
          }
        />
      </div>
      {selected && <JobDetail key={selected} jobId={selected} />}
    </div>
  );
}
