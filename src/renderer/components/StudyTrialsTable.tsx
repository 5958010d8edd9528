/**
 * A study's trials, virtualised: only the rows in view are in the DOM (5,000 trials scroll as
 * smoothly as 5), between two spacer rows that keep the scrollbar true. One column per parameter;
 * a conditional parameter a trial did not use reads "—". Sort by any column; a row with a run
 * links to it.
 */
import { memo, useMemo, useState } from 'react';
import type { Job, StudyTrial } from '../../shared/contract';
import { routeHref } from '../stores/ui';
import { fmtDuration, fmtNum, fmtParam } from '../lib/format';
import { sortTrials, type TrialSortKey } from './study-data';
import { trialTimes } from './trial-jobs';
import { EmptyRow, SortButton, SpacerRow, useVirtualRows } from './virtual-rows';

/** Pixels per row; the stylesheet gives `.trial-row` the same height. */
const ROW_HEIGHT = 30;
const OVERSCAN = 12;

export function StudyTrialsTable({
  trials,
  jobs = {},
  params,
  bestNumber,
}: {
  trials: StudyTrial[];
  /** The trials' jobs, where held: their own run time apart from the wait in the queue. */
  jobs?: Record<string, Job>;
  params: string[];
  bestNumber: number | null;
}) {
  const [sort, setSort] = useState<{ key: TrialSortKey; desc: boolean }>({ key: 'number', desc: true });
  const rows = useMemo(() => sortTrials(trials, sort.key, sort.desc), [trials, sort]);
  const { scrollRef, items, padTop, padBottom } = useVirtualRows({
    count: rows.length,
    rowHeight: ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey: (i) => rows[i].id,
  });
  const columns: { key: TrialSortKey; label: string; num?: boolean }[] = [
    { key: 'number', label: '#', num: true },
    { key: 'status', label: 'Status' },
    { key: 'value', label: 'Value', num: true },
    ...params.map((p) => ({ key: `param:${p}` as TrialSortKey, label: p })),
  ];
  const sortBy = (key: TrialSortKey) => setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: key !== 'value' }));

  return (
    <div className="table-wrap trials-scroll" ref={scrollRef} data-testid="trials-scroll">
      <table className="table trials-table" data-testid="trials-table" data-rows={rows.length} aria-rowcount={rows.length + 1}>
        <thead>
          <tr>
            {columns.map((c) => {
              const active = sort.key === c.key;
              return (
                <th key={c.key} className={c.num ? 'num' : undefined} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : undefined}>
                  <SortButton label={c.label} active={active} desc={sort.desc} testId={`trials-sort-${c.key}`} onClick={() => sortBy(c.key)} />
                </th>
              );
            })}
            <th className="num" title="The trial's job's own run time">
              Ran
            </th>
            <th className="num" title="From the trial's start to its end, the wait in the queue included">
              With queue wait
            </th>
            <th>Run</th>
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={padTop} colSpan={columns.length + 3} />
          {items.map((item) => {
            const t = rows[item.index];
            return <TrialRow key={t.id} trial={t} job={t.jobId ? jobs[t.jobId] : undefined} params={params} index={item.index} best={t.number === bestNumber} />;
          })}
          <SpacerRow height={padBottom} colSpan={columns.length + 3} />
          {rows.length === 0 && <EmptyRow colSpan={columns.length + 3}>No trials yet.</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}

const TrialRow = memo(function TrialRow({
  trial,
  job,
  params,
  index,
  best,
}: {
  trial: StudyTrial;
  job: Job | undefined;
  params: string[];
  index: number;
  best: boolean;
}) {
  const times = trialTimes(trial, job, Date.now());
  return (
    <tr
      className={`trial-row${best ? ' best' : ''}`}
      data-testid="trial-row"
      data-number={trial.number}
      data-status={trial.status}
      data-index={index}
      aria-rowindex={index + 2}
    >
      <td className="num">{trial.number}</td>
      <td>
        <span className={`badge badge-trial-${trial.status}`} data-testid="trial-status" title={trial.error ?? undefined}>
          {trial.status}
        </span>
        {trial.error && (
          <small className="trial-error" data-testid="trial-error" title={trial.error}>
            {trial.error}
          </small>
        )}
      </td>
      <td className="num" data-testid="trial-value">
        {fmtNum(trial.value)}
        {best && <span className="best-mark" title="Best trial"> ★</span>}
      </td>
      {params.map((p) => {
        const v = trial.params[p];
        return (
          <td key={p} className={typeof v === 'number' ? 'num' : undefined}>
            {fmtParam(v)}
          </td>
        );
      })}
      <td className="num" data-testid="trial-ran">
        {times.running !== null ? fmtDuration(times.running) : '…'}
      </td>
      <td className="num" data-testid="trial-total" title={times.waited !== null ? `waited ${fmtDuration(times.waited)} in the queue` : undefined}>
        {times.total !== null ? fmtDuration(times.total) : '…'}
      </td>
      <td className="mono">{trial.runId ? <a href={routeHref('runs', trial.runId)}>run</a> : '—'}</td>
    </tr>
  );
});
