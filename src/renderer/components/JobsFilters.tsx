/** Search and filter the jobs table by status, kind and priority; the count of what is shown beside. */
import type { Ref } from 'react';
import { JobStatus, PRIORITY_ORDER, type Priority } from '../../shared/contract';
import { useJobs, type JobKindFilter } from '../stores/jobs';
import { fmtInt } from '../lib/format';
import { LabelledSelect } from './LabelledSelect';

const KINDS: { value: JobKindFilter; label: string }[] = [
  { value: 'train', label: 'training' },
  { value: 'noop', label: 'no-op' },
  { value: 'command', label: 'command' },
];

export function JobsFilters({ shown, total, searchRef }: { shown: number; total: number; searchRef?: Ref<HTMLInputElement> }) {
  const filter = useJobs((s) => s.filter);
  const search = useJobs((s) => s.search);
  const setFilter = useJobs((s) => s.setFilter);
  const filtered = filter.status !== null || filter.kind !== null || filter.priority !== null || search.trim() !== '';
  return (
    <div className="jobs-filters" role="group" aria-label="Filter jobs">
      <label className="filter jobs-search">
        <span>Search</span>
        <input
          type="search"
          ref={searchRef}
          value={search}
          placeholder="id, dataset, model, study… (press /)"
          aria-keyshortcuts="/"
          onChange={(e) => useJobs.getState().setSearch(e.target.value)}
          onKeyDown={(e) => {
            // Escape empties the box first, then leaves it.
            if (e.key === 'Escape' && search) {
              e.stopPropagation();
              useJobs.getState().setSearch('');
            }
          }}
          data-testid="jobs-search"
        />
      </label>
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
          onClick={() => {
            setFilter({ status: null, kind: null, priority: null });
            useJobs.getState().setSearch('');
          }}
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
