/**
 * Hyperparameter studies: the list (name, status, progress against the budget, best value, sampler
 * and pruner) with the new-study form; a study opens its page.
 *
 * Test ids (Studies view): `studies-view`, `new-study-button`, `studies-error` (the list could not
 * be read, in words), `studies-table` (data-rows), `study-row` (data-study-id, data-status), and in
 * a row `study-name`, `study-status`, `study-failure` (why a failed study stopped),
 * `study-progress` (data-done, data-budget), `study-best`, `study-test-objective` (the study selects
 * on the test split), `study-search`. The study page's ids are listed in StudyDetail.tsx, the form's in StudyForm.tsx.
 */
import { useEffect, useMemo, useState } from 'react';
import type { StudySummary } from '../../shared/contract';
import { ErrorBanner } from '../components/ErrorBanner';
import { StudyFailure, StudyProgress, StudyStatusBadge, TestObjectiveBadge, searchSummary } from '../components/StudySummaryParts';
import { studyProgress } from '../components/study-data';
import { useConnection } from '../stores/connection';
import { studyRows, useStudies } from '../stores/studies';
import { navigate, useRoute } from '../stores/ui';
import { fmtMetric, fmtShortTime } from '../lib/format';
import { StudyDetail } from './StudyDetail';
import { useJobs } from '../stores/jobs';
import { studyQueueCounts, type TrialQueueCounts } from '../components/trial-jobs';
import { StudyForm } from './StudyForm';

export function StudiesView() {
  const studyId = useRoute((r) => (r.view === 'studies' ? r.id : null));
  if (studyId) return <StudyDetail key={studyId} studyId={studyId} />;
  return <StudiesList />;
}

function StudiesList() {
  const connected = useConnection((s) => s.status === 'connected');
  const byId = useStudies((s) => s.byId);
  const loaded = useStudies((s) => s.loaded);
  const error = useStudies((s) => s.error);
  const [formOpen, setFormOpen] = useState(false);
  const rows = useMemo(() => studyRows(byId), [byId]);
  const jobs = useJobs((s) => s.byId);
  const queueCounts = useMemo(() => studyQueueCounts(jobs), [jobs]);

  useEffect(() => {
    if (connected) void useStudies.getState().loadList();
  }, [connected]);

  return (
    <div className="view studies-view" data-testid="studies-view">
      <header className="view-head">
        <h1>Studies</h1>
        <span className="spacer" />
        <button type="button" className="button button-primary" data-testid="new-study-button" aria-expanded={formOpen} onClick={() => setFormOpen((o) => !o)}>
          New study
        </button>
      </header>
      {formOpen && <StudyForm onClose={() => setFormOpen(false)} onCreated={(s) => navigate('studies', s.id)} />}
      {error && (
        <div data-testid="studies-error">
          <ErrorBanner message={error} />
        </div>
      )}
      <div className="table-wrap">
        <table className="table studies-table" data-testid="studies-table" data-rows={rows.length}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th className="col-progress">Progress</th>
              <th className="num">Best</th>
              <th>Objective</th>
              <th>Search</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <StudyRow key={s.id} study={s} queue={queueCounts.get(s.id)} />
            ))}
            {rows.length === 0 && (
              <tr className="empty-row">
                <td colSpan={7}>{!loaded ? 'Loading studies…' : error ? 'No studies to show.' : 'No studies yet. Start one with “New study”.'}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function StudyRow({ study, queue }: { study: StudySummary; queue: TrialQueueCounts | undefined }) {
  const { done, budget, fraction } = studyProgress(study);
  const open = () => navigate('studies', study.id);
  return (
    <tr
      className="study-row"
      data-testid="study-row"
      data-study-id={study.id}
      data-status={study.status}
      tabIndex={0}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      }}
    >
      <td className="ellipsis" data-testid="study-name" title={study.name}>
        {study.name}
      </td>
      <td>
        <StudyStatusBadge status={study.status} />
        <StudyFailure study={study} compact />
      </td>
      <td className="col-progress">
        <StudyProgress
          done={done}
          budget={budget}
          fraction={fraction}
          running={queue ? queue.running : study.counts.running}
          waiting={queue?.waiting ?? 0}
          pruned={study.counts.pruned}
        />
      </td>
      <td className="num" data-testid="study-best">
        {study.best ? fmtMetric(study.spec.objective.metric, study.best.value) : '—'}
      </td>
      <td className="nowrap">
        {study.spec.objective.metric} <span className="muted">{study.spec.objective.direction === 'minimize' ? '↓' : '↑'}</span>
        <TestObjectiveBadge study={study} />
      </td>
      <td className="nowrap" data-testid="study-search">
        {searchSummary(study)}
      </td>
      <td className="nowrap">{fmtShortTime(study.createdAt)}</td>
    </tr>
  );
}
