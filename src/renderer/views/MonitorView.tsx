/** This machine as the core sees it: platform, memory, compute backends and the worker pool. */
import { useEffect } from 'react';
import { ErrorBanner } from '../components/ErrorBanner';
import { useConnection } from '../stores/connection';
import { useSystem } from '../stores/system';
import { fmtBytes, fmtTime } from '../lib/format';
import { ClusterPanel } from './ClusterPanel';

const REFRESH_MS = 2000;

export function MonitorView() {
  const info = useSystem((s) => s.info);
  const error = useSystem((s) => s.error);
  const updatedAt = useSystem((s) => s.updatedAt);
  const connected = useConnection((s) => s.status === 'connected');

  useEffect(() => {
    if (!connected) return;
    void useSystem.getState().load();
    const t = window.setInterval(() => void useSystem.getState().load(), REFRESH_MS);
    return () => window.clearInterval(t);
  }, [connected]);

  return (
    <div className="view" data-testid="monitor-view">
      <header className="view-head">
        <h1>Monitor</h1>
        {updatedAt && <span className="muted">updated {fmtTime(updatedAt)}</span>}
      </header>
      <ErrorBanner message={error} />
      {!info && !error && <p className="muted">Loading system information…</p>}
      {info && (
        <>
          <div className="cards">
            <div className="card">
              <div className="card-label">Platform</div>
              <div className="card-value" data-testid="system-platform">
                {info.platform} · {info.arch}
              </div>
              <div className="muted">Node {info.node}</div>
            </div>
            <div className="card">
              <div className="card-label">CPUs</div>
              <div className="card-value num" data-testid="system-cpus">
                {info.cpus}
              </div>
            </div>
            <div className="card">
              <div className="card-label">Memory</div>
              <div className="card-value num" data-testid="system-memory">
                {fmtBytes(info.memoryBytes)}
              </div>
            </div>
            <div className="card">
              <div className="card-label">Workers busy / max</div>
              <div className="card-value num" data-testid="system-workers">
                {info.workers.busy} / {info.workers.max}
              </div>
              <div className="meter" aria-hidden="true">
                <div className="meter-fill" style={{ width: `${info.workers.max ? (100 * info.workers.busy) / info.workers.max : 0}%` }} />
              </div>
            </div>
            <div className="card">
              <div className="card-label">Training backend</div>
              <div className="card-value" data-testid="system-backend">
                {info.backend}
              </div>
            </div>
          </div>

          <h3>Compute backends</h3>
          <p className="hint">In order of preference; jobs use the first available unless told otherwise.</p>
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
        </>
      )}
      <ClusterPanel />
    </div>
  );
}
