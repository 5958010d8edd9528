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

export function StudyProgress({ done, budget, fraction, running, pruned }: { done: number; budget: number | null; fraction: number; running: number; pruned: number }) {
  const label = `${done}${budget ? ` / ${budget}` : ''} trials${running ? ` · ${running} running` : ''}${pruned ? ` · ${pruned} pruned` : ''}`;
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
