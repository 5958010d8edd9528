/**
 * One study: its state and best trial, then the charts that explain it (optimisation history,
 * learning curves with the pruned marked, parallel coordinates, parameter importance, slices, a
 * contour over any two parameters) and the trials table. Live: trial events arrive in batches
 * through the store, so a busy study redraws a few times a second, not once per epoch per trial.
 *
 * Test ids (study page): `study-detail` (data-study-id, data-status, data-trials), `back-to-studies`,
 * `study-status`, `study-failure` (why a failed study stopped), `study-test-objective` (it selects
 * on the test split), `study-progress`, `study-best-trial` (data-number), `study-cancel` (asks first:
 * `confirm-dialog`, `confirm-ok`, `confirm-cancel`), `study-enqueue` (opens the warm-start form:
 * `study-enqueue-form`, `enqueue-param` (data-param), `enqueue-error`, `enqueue-done` (data-count),
 * `enqueue-submit`),
 * `study-register` (a study with a best trial; opens RegisterDialog), `study-export-csv`, `study-export-json`, `study-action-error`, `study-trials-error`,
 * `study-history` (data-points, data-completed, data-pruned), `study-curves` (data-curves,
 * data-pruned), `study-curves-note`, `parallel-coords`, `study-importance` (data-rows),
 * `importance-row` (data-param), `study-slices`, `study-slice` (data-param, data-points),
 * `study-contour` (data-points, data-x, data-y), `contour-x`, `contour-y`, `trials-scroll`,
 * `trials-table` (data-rows), `trials-sort-<number|status|value|param:NAME>`, `trial-row`
 * (data-number, data-status, data-index), `trial-status`, `trial-error`, `trial-value`.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorBanner } from '../components/ErrorBanner';
import { RegisterDialog } from '../components/RegisterDialog';
import { suggestModelName } from '../components/model-data';
import { Fact } from '../components/Fact';
import { StudyCurvesChart, StudyHistoryChart, StudyImportance, StudyParallel, StudySlicePlots } from '../components/StudyCharts';
import { StudyContour } from '../components/StudyContour';
import { StudyEnqueueForm } from '../components/StudyEnqueueForm';
import { StudyFailure, StudyProgress, StudyStatusBadge, TestObjectiveBadge, searchSummary } from '../components/StudySummaryParts';
import { StudyTrialsTable } from '../components/StudyTrialsTable';
import { paramNames, studyProgress } from '../components/study-data';
import { useConnection } from '../stores/connection';
import { useStudies } from '../stores/studies';
import { navigate } from '../stores/ui';
import { api } from '../api/client';
import { downloadFile } from '../lib/download';
import { errorMessage } from '../lib/errors';
import { fmtInt, fmtMetric, fmtParam, fmtTime } from '../lib/format';
import { useJobs } from '../stores/jobs';
import { trialQueueCounts } from '../components/trial-jobs';

export function StudyDetail({ studyId }: { studyId: string }) {
  const connected = useConnection((s) => s.status === 'connected');
  const study = useStudies((s) => s.byId[studyId]);
  const trials = useStudies((s) => s.trials);
  const trialsLoaded = useStudies((s) => s.trialsLoaded);
  const trialsError = useStudies((s) => s.trialsError);
  const importance = useStudies((s) => s.importance);
  const importanceError = useStudies((s) => s.importanceError);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [enqueueOpen, setEnqueueOpen] = useState(false);
  const [registerOpen, setRegisterOpen] = useState(false);
  const closeConfirm = useCallback(() => setConfirmCancel(false), []);

  useEffect(() => {
    if (connected) void useStudies.getState().open(studyId);
  }, [connected, studyId]);
  useEffect(() => () => useStudies.getState().close(), [studyId]);

  const jobs = useJobs((s) => s.byId);
  const queueCounts = useMemo(() => trialQueueCounts(trials, jobs), [trials, jobs]);
  const space = study?.spec.space;
  const params = useMemo(() => (space ? paramNames(space, trials) : []), [space, trials]);

  async function act(work: () => Promise<void>): Promise<void> {
    setBusy(true);
    setActionError(null);
    try {
      await work();
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function exportAs(format: 'csv' | 'json'): Promise<void> {
    downloadFile(await api().studies.export({ id: studyId, format }));
  }

  const back = (
    <button type="button" className="link-button" data-testid="back-to-studies" onClick={() => navigate('studies')}>
      ← Studies
    </button>
  );
  if (!study) {
    return (
      <div className="view" data-testid="study-detail" data-study-id={studyId}>
        <header className="view-head">{back}</header>
        {trialsError ? <ErrorBanner message={trialsError} /> : <p className="muted">Loading the study…</p>}
      </div>
    );
  }

  const progress = studyProgress(study);
  const { metric, direction } = study.spec.objective;
  return (
    <div className="view study-detail" data-testid="study-detail" data-study-id={study.id} data-status={study.status} data-trials={trials.length}>
      <header className="view-head">
        {back}
        <h1 className="ellipsis" title={study.name}>
          {study.name}
        </h1>
        <StudyStatusBadge status={study.status} />
        <TestObjectiveBadge study={study} />
        <span className="spacer" />
        {study.status === 'running' && (
          <button type="button" className="button" data-testid="study-enqueue" aria-expanded={enqueueOpen} onClick={() => setEnqueueOpen((o) => !o)}>
            Enqueue a trial
          </button>
        )}
        {study.status === 'running' && (
          <button
            type="button"
            className="button button-danger"
            data-testid="study-cancel"
            disabled={busy}
            onClick={() => setConfirmCancel(true)}
            title="Start no more trials and cancel the running ones"
          >
            Cancel study
          </button>
        )}
        {study.best && (
          <button type="button" className="button button-primary" data-testid="study-register" onClick={() => setRegisterOpen(true)} title="Register the best trial's model in the model registry">
            Register best
          </button>
        )}
        <button type="button" className="button" data-testid="study-export-csv" disabled={busy} onClick={() => void act(() => exportAs('csv'))}>
          Export CSV
        </button>
        <button type="button" className="button" data-testid="study-export-json" disabled={busy} onClick={() => void act(() => exportAs('json'))}>
          Export JSON
        </button>
      </header>
      <StudyFailure study={study} />
      {registerOpen && <RegisterDialog source={{ studyId: study.id }} suggestedName={suggestModelName(study.name, study.train.experiment)} onClose={() => setRegisterOpen(false)} />}
      {enqueueOpen && study.status === 'running' && <StudyEnqueueForm study={study} onClose={() => setEnqueueOpen(false)} />}
      {confirmCancel && (
        <ConfirmDialog
          title={`Cancel ${study.name}?`}
          confirmLabel="Cancel study"
          busy={busy}
          onCancel={closeConfirm}
          onConfirm={() =>
            void act(async () => {
              await useStudies.getState().cancel(study.id);
              setConfirmCancel(false);
            })
          }
        >
          No more trials start, and the {study.counts.running} running now are cancelled. The trials that ended are kept.
        </ConfirmDialog>
      )}
      {actionError && (
        <div data-testid="study-action-error">
          <ErrorBanner message={actionError} onDismiss={() => setActionError(null)} />
        </div>
      )}

      <section className="study-facts">
        <div className="study-progress-box">
          <StudyProgress
            done={progress.done}
            budget={progress.budget}
            fraction={progress.fraction}
            running={trialsLoaded ? queueCounts.running : study.counts.running}
            waiting={trialsLoaded ? queueCounts.waiting : 0}
            pruned={study.counts.pruned}
          />
        </div>
        <dl className="facts">
          <Fact label="Objective">
            {metric} ({direction})
          </Fact>
          <Fact label="Search">{searchSummary(study)}</Fact>
          <Fact label="Budget">
            {[study.spec.budget.trials ? `${fmtInt(study.spec.budget.trials)} trials` : null, study.spec.budget.seconds ? `${fmtInt(study.spec.budget.seconds)} s` : null]
              .filter(Boolean)
              .join(' or ')}
          </Fact>
          <Fact label="Trains">
            {study.train.kind === 'command' ? study.train.argv.join(' ') : `${study.train.model} on ${study.train.target}`}, seed {study.spec.seed}
          </Fact>
          <Fact label="Trials">
            {study.counts.completed} completed · {study.counts.pruned} pruned · {study.counts.failed} failed ·{' '}
            <span data-testid="study-running-count" data-running={queueCounts.running} data-waiting={queueCounts.waiting}>
              {trialsLoaded ? queueCounts.running : study.counts.running} running
              {trialsLoaded && queueCounts.waiting > 0 && ` · ${queueCounts.waiting} waiting in the queue`}
            </span>
          </Fact>
          <Fact label="Created">{fmtTime(study.createdAt)}</Fact>
        </dl>
        {study.best && (
          <div className="study-best" data-testid="study-best-trial" data-number={study.best.number}>
            <span className="muted">Best trial</span> <strong>#{study.best.number}</strong> {metric} = <strong className="num">{fmtMetric(metric, study.best.value)}</strong>
            <span className="study-best-params">
              {Object.entries(study.best.params).map(([k, v]) => (
                <span key={k} className="tag">
                  {k}={fmtParam(v)}
                </span>
              ))}
            </span>
          </div>
        )}
      </section>

      {trialsError && (
        <div data-testid="study-trials-error">
          <ErrorBanner message={trialsError} />
        </div>
      )}
      {!trialsLoaded && !trialsError && <p className="muted">Loading trials…</p>}

      <div className="study-grid">
        <section className="panel study-panel-wide">
          <StudyHistoryChart trials={trials} direction={direction} metric={metric} />
        </section>
        <section className="panel">
          <StudyCurvesChart trials={trials} direction={direction} metric={metric} intermediateKey={study.intermediateKey} />
        </section>
        <section className="panel">
          <h3>Parameter importance</h3>
          <StudyImportance rows={importance} error={importanceError} completed={study.counts.completed} />
        </section>
        <section className="panel study-panel-wide">
          <h3>Parallel coordinates</h3>
          <StudyParallel trials={trials} direction={direction} metric={metric} />
        </section>
        <section className="panel study-panel-wide">
          <h3>Slices: {metric} against each parameter</h3>
          <StudySlicePlots trials={trials} space={study.spec.space} params={params} metric={metric} />
        </section>
        <section className="panel study-panel-wide">
          <h3>Contour</h3>
          <StudyContour trials={trials} space={study.spec.space} params={params} direction={direction} metric={metric} />
        </section>
        <section className="panel study-panel-wide">
          <h3>Trials</h3>
          <StudyTrialsTable trials={trials} jobs={jobs} params={params} bestNumber={study.best?.number ?? null} />
        </section>
      </div>
    </div>
  );
}
