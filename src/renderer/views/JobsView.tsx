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
 * - filters: `jobs-search`, `filter-status`, `filter-kind`, `filter-priority`, `filter-clear`,
 *   `jobs-shown` (data-count)
 * - table: `jobs-scroll` (the scrolling box), `jobs-table` (data-rows: rows after filtering),
 *   `sort-status|priority|kind|progress|created|id`, `job-row` (data-job-id, data-status,
 *   data-priority, data-kind, data-index), and in a row `job-status`, `job-priority` (data-priority,
 *   data-effective), `job-priority-select` (queued jobs), `job-boost`, `progress-bar`,
 *   `job-estimate` (queued jobs), `job-trial` (a study's trial), `cancel-job` (asks first, in
 *   `confirm-dialog`, once a job has run a minute), `retry-job`, `job-retried-as` (data-job-id)
 * - keys: `/` focuses the search, ↑ and ↓ move between rows, Escape closes the form or the detail
 * - `jobs-action-error`: an action that failed, in words
 * The detail pane's ids are listed in JobDetail.tsx, the form's in NewJobForm.tsx.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
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
import { useNotLoadedText } from '../lib/loading-text';

// The form and the detail pane (with their charts) load when first opened: the table comes first.
const JobDetail = lazy(() => import('./JobDetail').then((m) => ({ default: m.JobDetail })));
const NewJobTabs = lazy(() => import('./NewJobTabs').then((m) => ({ default: m.NewJobTabs })));

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

/** Typing in a field keeps its keys: the view's shortcuts are for the page around it. */
function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/**
 * The view's keys: `/` focuses the search, ↑ and ↓ open the previous or next row's job, Escape
 * closes the new-job form or else the detail pane. A dialog open on top takes Escape for itself.
 */
function useJobsKeys({
  rows,
  selected,
  searchRef,
  formOpen,
  closeForm,
}: {
  rows: { id: string }[];
  selected: string | null;
  searchRef: RefObject<HTMLInputElement | null>;
  formOpen: boolean;
  closeForm: () => void;
}): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (document.querySelector('[role="alertdialog"], [role="dialog"][aria-modal="true"]')) return;
      if (e.key === 'Escape') {
        if (formOpen) closeForm();
        else if (selected) selectJob(null);
        else return;
        e.preventDefault();
        return;
      }
      if (isTyping(e.target)) return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (rows.length === 0) return;
        e.preventDefault();
        const at = selected === null ? -1 : rows.findIndex((r) => r.id === selected);
        const next = at < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)));
        selectJob(rows[next].id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rows, selected, searchRef, formOpen, closeForm]);
}

export function JobsView() {
  const byId = useJobs((s) => s.byId);
  const loaded = useJobs((s) => s.loaded);
  const error = useJobs((s) => s.error);
  const listed = useJobs((s) => s.listed);
  const filter = useJobs((s) => s.filter);
  const search = useJobs((s) => s.search);
  const sort = useJobs((s) => s.sort);
  const datasets = useDatasets((s) => s.list);
  const selected = useSelectedJobId();
  const [formOpen, setFormOpen] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const now = useNow(TABLE_CLOCK_MS);
  const onError = useCallback((message: string | null) => setActionError(message), []);
  const closeForm = useCallback(() => setFormOpen(false), []);
  const searchRef = useRef<HTMLInputElement>(null);
  useAgingRefresh();

  const datasetNames = useMemo(() => new Map(datasets.map((d: Dataset) => [d.id, d.name])), [datasets]);
  const rows = useMemo(() => selectJobRows(byId, filter, sort, search, datasetNames), [byId, filter, sort, search, datasetNames]);
  const total = useMemo(() => Object.keys(byId).length, [byId]);
  const filtered = filter.status !== null || filter.kind !== null || filter.priority !== null || search.trim() !== '';
  useJobsKeys({ rows, selected, searchRef, formOpen, closeForm });
  const notLoaded = useNotLoadedText('jobs');

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
          <Suspense fallback={<p className="muted">Loading the form…</p>}>
          <NewJobTabs
            onClose={closeForm}
            onCreated={(job) => {
              setFormOpen(false);
              selectJob(job.id);
            }}
          />
          </Suspense>
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

        <JobsFilters shown={rows.length} total={total} searchRef={searchRef} />
        <JobsTable
          rows={rows}
          datasetNames={datasetNames}
          selected={selected}
          compact={selected !== null}
          now={now}
          onError={onError}
          empty={
            !loaded ? notLoaded : filtered ? 'No jobs match this search and these filters.' : 'No jobs yet. Start one with “New training job”.'
          }
        />
      </div>
      {selected && (
        <Suspense fallback={<section className="detail muted">Loading the job…</section>}>
          <JobDetail key={selected} jobId={selected} />
        </Suspense>
      )}
    </div>
  );
}
