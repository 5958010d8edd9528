/** Tracked runs with their headline test metric against the naive baseline; a row opens the run. */
import { useEffect } from 'react';
import type { Run } from '../../shared/contract';
import { ErrorBanner } from '../components/ErrorBanner';
import { StatusBadge } from '../components/StatusBadge';
import { useConnection } from '../stores/connection';
import { useRuns } from '../stores/runs';
import { navigate, useRoute } from '../stores/ui';
import { fmtNum, fmtTime, shortId } from '../lib/format';
import { RunDetail } from './RunDetail';

export function RunsView() {
  const runId = useRoute((r) => (r.view === 'runs' ? r.id : null));
  const list = useRuns((s) => s.list);
  const loaded = useRuns((s) => s.listLoaded);
  const error = useRuns((s) => s.listError);
  const connected = useConnection((s) => s.status === 'connected');

  useEffect(() => {
    if (connected) void useRuns.getState().loadList();
  }, [connected]);

  if (runId) return <RunDetail runId={runId} />;

  return (
    <div className="view">
      <header className="view-head">
        <h1>Runs</h1>
        <span className="muted">{list.length} shown</span>
        <span className="spacer" />
        <button type="button" className="button" onClick={() => void useRuns.getState().loadList()} data-testid="runs-refresh">
          Refresh
        </button>
      </header>
      <ErrorBanner message={error} />
      <div className="table-wrap">
        <table className="table runs-table" data-testid="runs-table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Model</th>
              <th>Experiment</th>
              <th>Status</th>
              <th className="num">Test RMSE</th>
              <th className="num">Naive RMSE</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {list.map((run) => (
              <RunRow key={run.id} run={run} />
            ))}
            {list.length === 0 && (
              <tr className="empty-row">
                <td colSpan={7}>{loaded ? 'No runs yet. Each training job records one.' : 'Loading runs…'}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function RunRow({ run }: { run: Run }) {
  const test = run.summary['test.rmse'];
  const naive = run.summary['naive.rmse'];
  const better = test !== undefined && naive !== undefined ? (test < naive ? 'test' : test > naive ? 'naive' : null) : null;
  const open = () => navigate('runs', run.id);
  return (
    <tr
      className="run-row"
      data-testid="run-row"
      data-run-id={run.id}
      data-status={run.status}
      tabIndex={0}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'Enter') open();
      }}
    >
      <td className="mono" title={run.id}>
        {shortId(run.id)}
      </td>
      <td>{run.model}</td>
      <td>{run.experiment}</td>
      <td>
        <StatusBadge status={run.status} />
      </td>
      <td className={`num${better === 'test' ? ' better' : ''}`} data-testid="run-test-rmse">
        {fmtNum(test)}
      </td>
      <td className={`num${better === 'naive' ? ' better' : ''}`} data-testid="run-naive-rmse">
        {fmtNum(naive)}
      </td>
      <td className="nowrap">{fmtTime(run.createdAt)}</td>
    </tr>
  );
}
