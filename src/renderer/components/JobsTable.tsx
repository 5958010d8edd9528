/**
 * The jobs table, virtualised: however many jobs there are, only the rows in view (plus a few
 * either side) are in the DOM, between two spacer rows that keep the scrollbar true to the whole
 * list. Rows have one fixed height so positions need no measuring, and each row is memoised on its
 * job object, which the store replaces only when that job changed.
 */
import { memo, useEffect } from 'react';
import type { Job } from '../../shared/contract';
import { useJobs, type SortKey } from '../stores/jobs';
import { selectJob } from '../stores/ui';
import { fmtShortTime, fmtTime, shortId } from '../lib/format';
import { StatusBadge } from './StatusBadge';
import { JobActionButtons, JobPriorityControl } from './JobControls';
import { JobProgressCell } from './JobProgressCell';
import { jobSummary } from './JobText';
import { EmptyRow, SortButton, SpacerRow, useVirtualRows } from './virtual-rows';

/** Pixels per row; the stylesheet gives `.job-row` the same height. */
export const ROW_HEIGHT = 38;
const OVERSCAN = 10;

interface Column {
  key: string;
  label: string;
  sort?: SortKey;
  className?: string;
  /**
   * Left out while the detail pane takes part of the width: what the pane shows of the selected
   * job anyway (its priority, study and actions), so the job, its age and its id keep their room.
   */
  wide?: boolean;
}

const COLUMNS: Column[] = [
  { key: 'status', label: 'Status', sort: 'status', className: 'col-status' },
  { key: 'priority', label: 'Priority', sort: 'priority', className: 'col-priority', wide: true },
  { key: 'what', label: 'Job', sort: 'kind', className: 'col-what' },
  { key: 'study', label: 'Study · trial', className: 'col-study', wide: true },
  { key: 'progress', label: 'Progress', sort: 'progress', className: 'col-progress' },
  { key: 'created', label: 'Created', sort: 'created', className: 'col-created' },
  { key: 'id', label: 'Id', sort: 'id', className: 'col-id' },
  { key: 'actions', label: '', className: 'col-actions', wide: true },
];

/** "tune-co2 · #3" for a study's trial, null for any other job. */
export function trialText(job: Job): string | null {
  return job.spec.kind !== 'noop' && job.spec.trial ? `${job.spec.trial.study} · #${job.spec.trial.number}` : null;
}

export function JobsTable({
  rows,
  datasetNames,
  selected,
  compact,
  now,
  empty,
  onError,
}: {
  rows: Job[];
  datasetNames: Map<string, string>;
  selected: string | null;
  /** The detail pane is open: fewer columns. */
  compact: boolean;
  now: number;
  empty: string;
  onError: (message: string | null) => void;
}) {
  const sort = useJobs((s) => s.sort);
  const sortBy = useJobs((s) => s.sortBy);
  const columns = compact ? COLUMNS.filter((c) => !c.wide) : COLUMNS;
  const { scrollRef, items, padTop, padBottom, scrollToIndex } = useVirtualRows({
    count: rows.length,
    rowHeight: ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey: (i) => rows[i].id,
  });
  // The selected row stays in view as the arrow keys move it (on a move, not on every row update).
  const selectedIndex = selected === null ? -1 : rows.findIndex((r) => r.id === selected);
  useEffect(() => {
    if (selectedIndex >= 0) scrollToIndex(selectedIndex);
  }, [selectedIndex]);

  return (
    <div className="table-wrap jobs-scroll" ref={scrollRef} data-testid="jobs-scroll">
      <table className="table jobs-table" data-testid="jobs-table" data-rows={rows.length} aria-rowcount={rows.length + 1}>
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} className={c.className} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((c) => {
              const active = c.sort !== undefined && sort.key === c.sort;
              return (
                <th
                  key={c.key}
                  className={c.className}
                  aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : undefined}
                >
                  {c.sort ? (
                    <SortButton label={c.label} active={active} desc={sort.desc} testId={`sort-${c.sort}`} onClick={() => sortBy(c.sort!)} />
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={padTop} colSpan={columns.length} />
          {items.map((item) => {
            const job = rows[item.index];
            return (
              <JobRow
                key={job.id}
                job={job}
                index={item.index}
                datasetName={job.spec.kind === 'train' ? datasetNames.get(job.spec.datasetId) : undefined}
                selected={job.id === selected}
                compact={compact}
                now={now}
                onError={onError}
              />
            );
          })}
          <SpacerRow height={padBottom} colSpan={columns.length} />
          {rows.length === 0 && <EmptyRow colSpan={columns.length}>{empty}</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}

const JobRow = memo(function JobRow({
  job,
  index,
  datasetName,
  selected,
  compact,
  now,
  onError,
}: {
  job: Job;
  index: number;
  datasetName: string | undefined;
  selected: boolean;
  compact: boolean;
  now: number;
  onError: (message: string | null) => void;
}) {
  const open = () => selectJob(job.id);
  const summary = jobSummary(job, datasetName);
  const trial = trialText(job);
  return (
    <tr
      className={`job-row${selected ? ' selected' : ''}`}
      data-testid="job-row"
      data-status={job.status}
      data-priority={job.priority}
      data-kind={job.kind}
      data-job-id={job.id}
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={0}
      onClick={open}
      onKeyDown={(e) => {
        if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
          e.preventDefault();
          open();
        }
      }}
    >
      <td className="col-status">
        <StatusBadge status={job.status} testId="job-status" />
      </td>
      {!compact && (
        <td className="col-priority">
          <JobPriorityControl job={job} now={now} onError={onError} />
        </td>
      )}
      <td className="col-what ellipsis" title={summary}>
        {job.attempt > 1 && <span className="tag job-attempt">#{job.attempt}</span>}
        {summary}
      </td>
      {!compact && (
        <td className="col-study ellipsis" data-testid="job-trial" title={trial ?? undefined}>
          {trial ?? <span className="muted">—</span>}
        </td>
      )}
      <td className="col-progress">
        <JobProgressCell job={job} now={now} />
      </td>
      <td className="col-created nowrap" title={fmtTime(job.createdAt)}>
        {fmtShortTime(job.createdAt, now)}
      </td>
      <td className="col-id mono muted" title={job.id}>
        {shortId(job.id)}
      </td>
      {!compact && (
        <td className="col-actions">
          <JobActionButtons job={job} onError={onError} onRetried={(next) => selectJob(next.id)} small />
        </td>
      )}
    </tr>
  );
});
