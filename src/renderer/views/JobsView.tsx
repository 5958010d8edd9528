/** The job queue: newest first, live progress, the new-job form, and the selected job beside it. */
import { memo, useMemo, useState } from 'react';
import type { Dataset, Job } from '../../shared/contract';
import { ErrorBanner } from '../components/ErrorBanner';
import { ProgressBar } from '../components/ProgressBar';
import { PriorityTag, StatusBadge } from '../components/StatusBadge';
import { useDatasets } from '../stores/datasets';
import { sortJobs, useJobs } from '../stores/jobs';
import { selectJob, useSelectedJobId } from '../stores/ui';
import { fmtShortTime, fmtTime, shortId } from '../lib/format';
import { JobDetail } from './JobDetail';
import { NewJobForm } from './NewJobForm';

export function JobsView() {
  const byId = useJobs((s) => s.byId);
  const loaded = useJobs((s) => s.loaded);
  const error = useJobs((s) => s.error);
  const datasets = useDatasets((s) => s.list);
  const selected = useSelectedJobId();
  const [formOpen, setFormOpen] = useState(false);

  const jobs = useMemo(() => sortJobs(byId), [byId]);
  const datasetNames = useMemo(() => new Map(datasets.map((d: Dataset) => [d.id, d.name])), [datasets]);
  const counts = useMemo(() => {
    const c = { queued: 0, running: 0 };
    for (const j of jobs) if (j.status === 'queued' || j.status === 'running') c[j.status]++;
    return c;
  }, [jobs]);

  return (
    <div className={`jobs-layout${selected ? ' with-detail' : ''}`}>
      <div className="jobs-main">
        <header className="view-head">
          <h1>Jobs</h1>
          <span className="muted" data-testid="jobs-counts">
            {jobs.length} total · {counts.running} running · {counts.queued} queued
          </span>
          <span className="spacer" />
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

        {formOpen && (
          <NewJobForm
            onClose={() => setFormOpen(false)}
            onCreated={(job) => {
              setFormOpen(false);
              selectJob(job.id);
            }}
          />
        )}

        <ErrorBanner message={error} />

        <div className="table-wrap">
          <table className="table jobs-table" data-testid="jobs-table">
            <thead>
              <tr>
                <th>Status</th>
                <th className="col-priority">Priority</th>
                <th>Dataset · target · model</th>
                <th className="col-progress">Progress</th>
                <th>Created</th>
                <th className="col-id">Job</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <JobRow
                  key={job.id}
                  job={job}
                  datasetName={datasetNames.get(job.spec.datasetId)}
                  selected={job.id === selected}
                />
              ))}
              {jobs.length === 0 && (
                <tr className="empty-row">
                  <td colSpan={6}>{loaded ? 'No jobs yet. Start one with “New training job”.' : 'Loading jobs…'}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>
      {selected && <JobDetail key={selected} jobId={selected} />}
    </div>
  );
}

const JobRow = memo(function JobRow({
  job,
  datasetName,
  selected,
}: {
  job: Job;
  datasetName: string | undefined;
  selected: boolean;
}) {
  const open = () => selectJob(job.id);
  return (
    <tr
      className={`job-row${selected ? ' selected' : ''}`}
      data-testid="job-row"
      data-status={job.status}
      data-job-id={job.id}
      aria-selected={selected}
      tabIndex={0}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      }}
    >
      <td>
        <StatusBadge status={job.status} testId="job-status" />
      </td>
      <td className="col-priority">
        <PriorityTag priority={job.priority} />
      </td>
      <td className="ellipsis" title={`${datasetName ?? job.spec.datasetId} · ${job.spec.target} · ${job.spec.model}`}>
        {datasetName ?? shortId(job.spec.datasetId)} <span className="sep">·</span> <span className="mono">{job.spec.target}</span>{' '}
        <span className="sep">·</span> {job.spec.model}
      </td>
      <td className="col-progress">
        <ProgressBar progress={job.progress} status={job.status} testId="progress-bar" compact />
      </td>
      <td className="nowrap" title={fmtTime(job.createdAt)}>
        {fmtShortTime(job.createdAt)}
      </td>
      <td className="mono muted col-id" title={job.id}>
        {shortId(job.id)}
      </td>
    </tr>
  );
});
