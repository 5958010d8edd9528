/** The Monitor's cluster section: each cluster target's partitions, its nodes and their states, and this user's jobs there. */
import { useEffect } from 'react';
import type { Cluster, ClusterStatus } from '../../shared/contract';
import { ErrorBanner } from '../components/ErrorBanner';
import { fmtTime } from '../lib/format';
import { useClusters } from '../stores/clusters';
import { useConnection } from '../stores/connection';
import { routeHref } from '../stores/ui';

/** sinfo and squeue are cheap, but a shared controller is not ours to hammer. */
const REFRESH_MS = 5000;

export function ClusterPanel() {
  const clusters = useClusters((s) => s.clusters);
  const status = useClusters((s) => s.status);
  const errors = useClusters((s) => s.errors);
  const loaded = useClusters((s) => s.loaded);
  const error = useClusters((s) => s.error);
  const connected = useConnection((s) => s.status === 'connected');

  useEffect(() => {
    if (!connected) return;
    void useClusters.getState().load();
    const t = window.setInterval(() => void useClusters.getState().load(), REFRESH_MS);
    return () => window.clearInterval(t);
  }, [connected]);

  return (
    <section data-testid="cluster-panel">
      <h3>Clusters</h3>
      <ErrorBanner message={error} />
      {loaded && clusters.length === 0 && !error && (
        <p className="hint" data-testid="no-clusters">
          No cluster targets. Add a Slurm cluster with <code>trainyard clusters add NAME --slurm</code>, then submit with <code>--cluster NAME</code>.
        </p>
      )}
      {clusters.map((c) => (
        <ClusterSection key={c.name} cluster={c} status={status[c.name]} error={errors[c.name]} />
      ))}
    </section>
  );
}

function ClusterSection({ cluster, status, error }: { cluster: Cluster; status: ClusterStatus | undefined; error: string | undefined }) {
  return (
    <div className="cluster" data-testid="cluster" data-name={cluster.name}>
      <h4>
        {cluster.name} <span className="tag">Slurm</span>
        {cluster.partition && <span className="muted"> partition {cluster.partition}</span>}
        {status && <span className="muted"> · read {fmtTime(status.ts)}</span>}
      </h4>
      <ErrorBanner message={error ? `Cluster ${cluster.name}: ${error}` : null} />
      {status && (
        <>
          <table className="table" data-testid="cluster-nodes">
            <thead>
              <tr>
                <th>Node</th>
                <th>Partition</th>
                <th>State</th>
                <th>CPUs</th>
                <th>Memory</th>
                <th>GRES</th>
              </tr>
            </thead>
            <tbody>
              {status.nodes.map((n) => (
                <tr key={`${n.name}/${n.partition}`} data-testid="cluster-node" data-state={n.state}>
                  <td className="mono">{n.name}</td>
                  <td>
                    {n.partition}
                    {status.partitions.find((p) => p.name === n.partition)?.isDefault && <span className="tag">default</span>}
                  </td>
                  <td>
                    <span className={`avail ${/^(idle|mix|alloc)/.test(n.state) ? 'avail-yes' : 'avail-no'}`}>{n.state}</span>
                  </td>
                  <td className="num">{n.cpus ?? '-'}</td>
                  <td className="num">{n.memoryMB === null ? '-' : `${n.memoryMB} MB`}</td>
                  <td className="muted">{n.gres ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">
            Partitions: {status.partitions.map((p) => `${p.name} (${p.available}, limit ${p.timeLimit})`).join(' · ') || 'none'}
          </p>
          {status.jobs.length === 0 ? (
            <p className="muted" data-testid="cluster-no-jobs">
              No jobs of yours on {cluster.name}.
            </p>
          ) : (
            <table className="table" data-testid="cluster-jobs">
              <thead>
                <tr>
                  <th>Slurm job</th>
                  <th>Job</th>
                  <th>State</th>
                  <th>Reason</th>
                  <th>Elapsed</th>
                  <th>Nodes</th>
                </tr>
              </thead>
              <tbody>
                {status.jobs.map((j) => (
                  <tr key={j.clusterJobId} data-testid="cluster-job" data-state={j.state}>
                    <td className="mono">{j.clusterJobId}</td>
                    <td className="mono">{j.jobId ? <a href={routeHref('jobs', j.jobId)}>{j.jobId}</a> : j.name}</td>
                    <td>{j.state}</td>
                    <td className="muted">{j.reason}</td>
                    <td className="num">{j.elapsed}</td>
                    <td className="mono">{j.nodes}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
