/** Small pieces the study list and the study page share: the status badge, the progress bar, the search in words. */
import type { StudySummary } from '../../shared/contract';

/** "tpe (multivariate) · median": how a study searches, in a few words. */
export function searchSummary(study: Pick<StudySummary, 'spec'>): string {
  const { sampler, pruner, parallelism } = study.spec;
  const s = sampler.type === 'tpe' && sampler.multivariate ? 'tpe (multivariate)' : sampler.type;
  const p = pruner.type === 'none' ? 'no pruner' : pruner.type;
  return `${s} · ${p}${parallelism > 1 ? ` · ${parallelism} in flight` : ''}`;
}

export function StudyStatusBadge({ status }: { status: StudySummary['status'] }) {
  return (
    <span className={`badge badge-${status}`} data-testid="study-status" data-status={status}>
      {status}
    </span>
  );
}

export function StudyProgress({
  done,
  budget,
  fraction,
  running,
  waiting = 0,
  pruned,
}: {
  done: number;
  budget: number | null;
  fraction: number;
  running: number;
  /** Trials whose job waits in the queue: submitted, not running yet. */
  waiting?: number;
  pruned: number;
}) {
  const label = `${done}${budget ? ` / ${budget}` : ''} trials${running ? ` · ${running} running` : ''}${waiting ? ` · ${waiting} queued` : ''}${pruned ? ` · ${pruned} pruned` : ''}`;
  return (
    <div className="progress progress-running progress-compact" data-testid="study-progress" data-done={done} data-budget={budget ?? ''}>
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      <div className="progress-label" title={label}>
        {label}
      </div>
    </div>
  );
}

/** The mark a study that selects on the test split carries wherever it is shown: its test scores overstate the chosen model. */
export function TestObjectiveBadge({ study }: { study: Pick<StudySummary, 'spec'> }) {
  if (!study.spec.allowTestObjective) return null;
  return (
    <span
      className="badge badge-warning"
      data-testid="study-test-objective"
      title={`This study optimises ${study.spec.objective.metric}, a test-split metric: its test scores overstate the chosen model. Select on validation, report on test.`}
    >
      ⚠ selects on test
    </span>
  );
}

/** Why a failed study stopped, in the words the core recorded. */
export function StudyFailure({ study, compact = false }: { study: Pick<StudySummary, 'status' | 'failureReason'>; compact?: boolean }) {
  if (study.status !== 'failed') return null;
  const reason = study.failureReason ?? 'No reason was recorded.';
  return compact ? (
    <small className="study-failure-line" data-testid="study-failure" title={reason}>
      {reason}
    </small>
  ) : (
    <div className="study-failure" role="alert" data-testid="study-failure">
      <strong>The study failed:</strong> {reason}
    </div>
  );
}
