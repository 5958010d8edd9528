/**
 * This machine as the core sees it, live: GPUs (with the job behind each process), CPU per core,
 * memory, the data directory's disk, the worker pool, and history charts over 1 h, 6 h and 24 h.
 * Samples arrive as 'monitor.sample' events (every 1-2 s); nothing here polls. Below them, the
 * platform and the compute backends.
 *
 * Test ids: `monitor-view`, `monitor-updated`, `monitor-gpus`, `monitor-machine`, `monitor-history`,
 * `monitor-workers`, `backends-table`, `backend-row`, `system-platform`, `system-backend`, and
 * those of MonitorParts.
 */
import { useEffect } from 'react';
import { ErrorBanner } from '../components/ErrorBanner';
import { GpuCards, MachineCards, MonitorCharts, RangeTabs, WorkersTable } from '../components/MonitorParts';
import { useConnection } from '../stores/connection';
import { subscribeMonitor, useMonitor } from '../stores/monitor';
import { useSystem } from '../stores/system';
import { fmtTime } from '../lib/format';
import { ClusterPanel } from './ClusterPanel';

export function MonitorView() {
  const info = useSystem((s) => s.info);
  const systemError = useSystem((s) => s.error);
  const snapshot = useMonitor((s) => s.snapshot);
  const error = useMonitor((s) => s.error);
  const range = useMonitor((s) => s.range);
  const history = useMonitor((s) => s.history);
  const historyError = useMonitor((s) => s.historyError);
  const connected = useConnection((s) => s.status === 'connected');

  useEffect(() => {
    if (!connected) return;
    // Live first, so no sample is missed while the first reads are on their way.
    const off = subscribeMonitor();
    const m = useMonitor.getState();
    void m.loadSnapshot();
    void m.loadHistory();
    void useSystem.getState().load();
    return off;
  }, [connected]);

  return (
    <div className="view monitor" data-testid="monitor-view">
      <header className="view-head">
        <h1>Monitor</h1>
        {snapshot && (
          <span className="muted" data-testid="monitor-updated" data-at={snapshot.at}>
            updated {fmtTime(snapshot.at)}
          </span>
        )}
      </header>
      <ErrorBanner message={error} />
      {!snapshot && !error && <p className="muted">Loading the first sample…</p>}
      {snapshot && (
        <>
          <section data-testid="monitor-gpus">
            <h3>GPUs</h3>
            <GpuCards gpus={snapshot.gpus} />
          </section>

          <section data-testid="monitor-machine">
            <h3>Machine</h3>
            <MachineCards snapshot={snapshot} />
          </section>
        </>
      )}

      <section data-testid="monitor-history">
        <div className="section-head">
          <h3>History</h3>
          <RangeTabs value={range} onChange={(r) => void useMonitor.getState().loadHistory(r)} />
        </div>
        <ErrorBanner message={historyError} />
        {history && <MonitorCharts history={history} />}
      </section>

      {snapshot && (
        <section data-testid="monitor-workers">
          <h3>Workers</h3>
          <WorkersTable workers={snapshot.workers} />
        </section>
      )}

      {/* Further panels go here, each a component with its own section (the Slurm cluster: <ClusterPanel />). */}

      <ErrorBanner message={systemError} />
      {info && (
        <section>
          <h3>Platform and compute backends</h3>
          <p className="hint">
            <span data-testid="system-platform">
              {info.platform} · {info.arch}
            </span>{' '}
            · Node {info.node} · Trainyard {info.version} · training backend <span data-testid="system-backend">{info.backend}</span>. Backends in order of preference; jobs use the
            first available unless told otherwise.
          </p>
          <table className="table backends-table" data-testid="backends-table">
            <thead>
              <tr>
                <th>Backend</th>
                <th>Available</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {info.backends.map((b) => (
                <tr key={b.name} data-testid="backend-row" data-available={b.available}>
                  <td className="mono">
                    {b.name}
                    {b.name === info.backend && <span className="tag">in use</span>}
                  </td>
                  <td>
                    <span className={`avail ${b.available ? 'avail-yes' : 'avail-no'}`}>{b.available ? 'yes' : 'no'}</span>
                  </td>
                  <td className="muted">{b.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <ClusterPanel />
    </div>
  );
}
