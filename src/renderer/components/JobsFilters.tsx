/** Filter the jobs table by status, kind and priority; the count of what is shown beside. */
import { JobStatus, PRIORITY_ORDER, type Priority } from '../../shared/contract';
import { useJobs, type JobKindFilter } from '../stores/jobs';
import { fmtInt } from '../lib/format';
import { LabelledSelect } from './LabelledSelect';

const KINDS: { value: JobKindFilter; label: string }[] = [
  { value: 'train', label: 'training' },
  { value: 'noop', label: 'no-op' },
  { value: 'command', label: 'command' },
];

export function JobsFilters({ shown, total }: { shown: number; total: number }) {
  const filter = useJobs((s) => s.filter);
  const setFilter = useJobs((s) => s.setFilter);
  const filtered = filter.status !== null || filter.kind !== null || filter.priority !== null;
  return (
    <div className="jobs-filters" role="group" aria-label="Filter jobs">
      <LabelledSelect
        fieldClass="filter"
        label="Status"
        data-testid="filter-status"
        value={filter.status ?? ''}
        onChange={(e) => setFilter({ status: (e.target.value || null) as JobStatus | null })}
        placeholder="any"
        options={JobStatus.options}
      />
      <LabelledSelect
        fieldClass="filter"
        label="Kind"
        data-testid="filter-kind"
        value={filter.kind ?? ''}
        onChange={(e) => setFilter({ kind: (e.target.value || null) as JobKindFilter | null })}
        placeholder="any"
        options={KINDS}
      />
      <LabelledSelect
        fieldClass="filter"
        label="Priority"
        data-testid="filter-priority"
        value={filter.priority ?? ''}
        onChange={(e) => setFilter({ priority: (e.target.value || null) as Priority | null })}
        placeholder="any"
        options={PRIORITY_ORDER}
      />
      {filtered && (
        <button
          type="button"
          className="link-button"
          data-testid="filter-clear"
          onClick={() => setFilter({ status: null, kind: null, priority: null })}
        >
          clear
        </button>
      )}
      <span className="spacer" />
      <span className="muted" data-testid="jobs-shown" data-count={shown}>
        {filtered ? `${fmtInt(shown)} of ${fmtInt(total)} jobs` : `${fmtInt(total)} job${total === 1 ? '' : 's'}`}
      </span>
    </div>
  );
}
