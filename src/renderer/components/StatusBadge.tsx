import type { JobStatus, RunStatus } from '../../shared/contract';

export function StatusBadge({ status, testId }: { status: JobStatus | RunStatus; testId?: string }) {
  return (
    <span className={`badge badge-${status}`} data-testid={testId} data-status={status}>
      {status}
    </span>
  );
}

export function PriorityTag({ priority }: { priority: string }) {
  return <span className={`priority priority-${priority}`}>{priority}</span>;
}
