/**
 * What a job's processes use, on the job page: its worker's CPU, resident memory and GPU memory now,
 * and charts of them since the job started (from the monitor's samples while the core runs). Kept
 * live by 'monitor.sample' while the job runs.
 *
 * Test ids: `job-usage` (data-running), `job-usage-cpu`, `job-usage-rss`, `job-usage-gpu`,
 * `job-usage-chart`.
 */
import { useEffect, useMemo, useState } from 'react';
import type { MonitorJob } from '../../shared/contract';
import { gpuMemoryOfJob } from '../../shared/monitor-series';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import { fmtDuration, fmtInt } from '../lib/format';
import { subscribeMonitor, useMonitor } from '../stores/monitor';
import { ErrorBanner } from './ErrorBanner';
import { Fact } from './Fact';
import { columnLine as line } from './MonitorParts';
import { SeriesChart } from './SeriesChart';

export function JobUsagePanel({ jobId, running }: { jobId: string; running: boolean }) {
  const [usage, setUsage] = useState<MonitorJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const snapshot = useMonitor((s) => s.snapshot);

  useEffect(() => {
    setUsage(null);
    api()
      .monitor.job({ jobId })
      .then(setUsage, (err: unknown) => setError(errorMessage(err)));
    if (!running) return;
    return subscribeMonitor();
  }, [jobId, running]);

  // Each live sample extends the series with this job's worker, as the core's own series does.
  useEffect(() => {
    if (!snapshot || !running) return;
    setUsage((u) => {
      if (!u || (u.series.ts.length > 0 && snapshot.at <= u.series.ts[u.series.ts.length - 1])) return u;
      const worker = snapshot.workers.find((w) => w.jobId === jobId) ?? null;
      if (!worker) return { ...u, running: false, worker: null };
      const gpuMb = gpuMemoryOfJob(snapshot, jobId);
      const s = u.series;
      return {
        ...u,
        running: true,
        worker,
        gpuMemoryMb: gpuMb,
        series: { ts: [...s.ts, snapshot.at], cpuPercent: [...s.cpuPercent, worker.cpuPercent], rssMb: [...s.rssMb, worker.rssMb], gpuMemoryMb: [...s.gpuMemoryMb, gpuMb] },
      };
    });
  }, [snapshot, jobId, running]);

  const lines = useMemo(() => {
    if (!usage) return [];
    const { ts, cpuPercent, rssMb, gpuMemoryMb } = usage.series;
    const out = [line('cpu', 'CPU % (100 = one core)', ts, cpuPercent, 0), line('rss', 'RSS MiB', ts, rssMb, 1)];
    if (gpuMemoryMb.some((v) => v !== null)) out.push(line('gpu', 'GPU memory MiB', ts, gpuMemoryMb, 2));
    return out;
  }, [usage]);

  if (error) return <ErrorBanner message={error} />;
  if (!usage) return null;
  const w = usage.worker;
  return (
    <div data-testid="job-usage" data-running={usage.running}>
      {w ? (
        <dl className="facts">
          <Fact label="Worker PID" className="num">
            {w.pid}
          </Fact>
          <Fact label="CPU" className="num" testId="job-usage-cpu">
            {w.cpuPercent === null ? '—' : `${Math.round(w.cpuPercent)}%`}
          </Fact>
          <Fact label="RSS" className="num" testId="job-usage-rss">
            {w.rssMb === null ? '—' : `${fmtInt(w.rssMb)} MiB`}
          </Fact>
          <Fact label="GPU memory" className="num" testId="job-usage-gpu">
            {usage.gpuMemoryMb === null ? '—' : `${fmtInt(usage.gpuMemoryMb)} MiB`}
          </Fact>
          <Fact label="Uptime" className="num">
            {fmtDuration(w.uptimeMs)}
          </Fact>
        </dl>
      ) : (
        <p className="muted">{usage.series.ts.length > 0 ? 'Not running now; what its worker used while it ran:' : 'No worker process is running this job.'}</p>
      )}
      {usage.series.ts.length > 0 && <SeriesChart lines={lines} xMode="time" height={160} testId="job-usage-chart" />}
    </div>
  );
}
