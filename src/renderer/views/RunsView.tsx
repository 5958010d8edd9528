/**
 * Every tracked run: search with the query language, filter by experiment, sort by any column,
 * pick the params and metrics shown, select runs into Compare, archive, delete (after asking) and
 * export what the query finds. A row opens the run.
 *
 * Test ids (Runs view): `runs-view`, `runs-count`, `runs-search`, `runs-search-submit`,
 * `runs-query-error` (data-column, 1-based), `runs-experiment`, `runs-show-archived`,
 * `runs-compare`, `runs-archive`, `runs-delete`, `runs-export-csv`, `runs-export-json`,
 * `runs-notice`, `runs-refresh`, `column-picker-button`, `column-picker`,
 * `column-option-<params|metrics|tags>.<key>`, `runs-table` (data-total), `runs-scroll`,
 * `runs-select-all`, `runs-col-<column>`, `run-row` (data-run-id, data-status, data-index),
 * `run-select`, `run-cell-<column>`, `confirm-dialog`, `confirm-ok`, `confirm-cancel`.
 */
import { useEffect, useMemo, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorBanner } from '../components/ErrorBanner';
import { useConnection } from '../stores/connection';
import { COMPARE_MAX_RUNS, compareRouteId, useRuns, type QueryError } from '../stores/runs';
import { navigate, useRoute } from '../stores/ui';
import { downloadFile } from '../lib/download';
import { errorMessage } from '../lib/errors';
import { fmtBytes, fmtInt } from '../lib/format';
import { unknownQueryKeys } from '../lib/query-keys';
import { useNotLoadedText } from '../lib/loading-text';
import { RunDetail } from './RunDetail';
import { ColumnPicker, FIXED_COLUMNS, loadPicked, pickedColumn, savePicked } from './RunsColumns';
import { RunsTable } from './RunsTable';

// `model` is a run's own field, not a param: the example must find what it says it finds.
export const QUERY_EXAMPLE = 'metrics.test.rmse < 0.5 and (model = "mlp" or tags.stage = "candidate")';

export function RunsView() {
  const runId = useRoute((r) => (r.view === 'runs' ? r.id : null));
  if (runId) return <RunDetail runId={runId} />;
  return <RunsList />;
}

function RunsList() {
  const connected = useConnection((s) => s.status === 'connected');
  const total = useRuns((s) => s.total);
  const loaded = useRuns((s) => s.listLoaded);
  const listError = useRuns((s) => s.listError);
  const queryError = useRuns((s) => s.queryError);
  const query = useRuns((s) => s.query);
  const keys = useRuns((s) => s.keys);
  const experiments = useRuns((s) => s.experiments);
  const experiment = useRuns((s) => s.experiment);
  const includeArchived = useRuns((s) => s.includeArchived);
  const selected = useRuns((s) => s.selected);
  const pages = useRuns((s) => s.pages);

  const notLoaded = useNotLoadedText('runs');
  const [draft, setDraft] = useState(query);
  const [picked, setPicked] = useState(loadPicked);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (connected) void useRuns.getState().loadList();
  }, [connected]);

  const columns = useMemo(() => [...FIXED_COLUMNS, ...picked.map(pickedColumn)], [picked]);
  const selectedRuns = useMemo(() => {
    const byId = new Map(Object.values(pages).flat().map((r) => [r.id, r]));
    return selected.map((id) => byId.get(id)).filter((r) => r !== undefined);
  }, [pages, selected]);
  const allArchived = selectedRuns.length > 0 && selectedRuns.every((r) => r.archived);
  const canCompare = selected.length >= 2 && selected.length <= COMPARE_MAX_RUNS;
  // Only once the keys are known: before that every key would look unknown.
  const keysKnown = keys.params.length + keys.metrics.length + keys.tags.length > 0;
  const unknownKeys = useMemo(() => (keysKnown && !queryError ? unknownQueryKeys(query, keys) : []), [keysKnown, query, keys, queryError]);

  const pick = (ids: string[]) => {
    setPicked(ids);
    savePicked(ids);
  };

  async function act(work: () => Promise<string | null>) {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      setNotice(await work());
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const archive = () =>
    act(async () => {
      const ids = [...selected];
      await useRuns.getState().setArchived(ids, !allArchived);
      return `${allArchived ? 'Restored' : 'Archived'} ${ids.length} run${ids.length === 1 ? '' : 's'}.`;
    });

  const remove = () =>
    act(async () => {
      const { deleted, freedBytes } = await useRuns.getState().deleteRuns(selected);
      return `Deleted ${deleted} run${deleted === 1 ? '' : 's'}; ${fmtBytes(freedBytes)} of artifacts freed.`;
    }).finally(() => setConfirmDelete(false));

  const exportAs = (format: 'csv' | 'json') =>
    act(async () => {
      const file = await useRuns.getState().exportRuns(format);
      downloadFile(file);
      return `Exported ${file.count} run${file.count === 1 ? '' : 's'} to ${file.filename}.`;
    });

  return (
    <div className="view runs-view" data-testid="runs-view">
      <header className="view-head">
        <h1>Runs</h1>
        <span className="muted" data-testid="runs-count">
          {queryError ? 'search refused' : loaded ? `${fmtInt(total)} run${total === 1 ? '' : 's'}` : 'loading…'}
          {selected.length > 0 && ` · ${selected.length} selected`}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="button button-primary"
          disabled={!canCompare}
          title={canCompare ? 'Compare the selected runs' : `Select 2 to ${COMPARE_MAX_RUNS} runs to compare`}
          onClick={() => navigate('compare', compareRouteId(selected))}
          data-testid="runs-compare"
        >
          Compare{selected.length ? ` (${selected.length})` : ''}
        </button>
        <button type="button" className="button" disabled={busy || selected.length === 0} onClick={() => void archive()} data-testid="runs-archive">
          {allArchived ? 'Unarchive' : 'Archive'}
        </button>
        <button type="button" className="button button-danger" disabled={busy || selected.length === 0} onClick={() => setConfirmDelete(true)} data-testid="runs-delete">
          Delete…
        </button>
        <span className="sep" />
        <button type="button" className="button" disabled={busy} onClick={() => void exportAs('csv')} data-testid="runs-export-csv" title="Export the runs the search finds">
          Export CSV
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void exportAs('json')} data-testid="runs-export-json" title="Export the runs the search finds">
          Export JSON
        </button>
        <ColumnPicker keys={keys} picked={picked} onChange={pick} />
        <button type="button" className="button" onClick={() => void useRuns.getState().loadList()} data-testid="runs-refresh">
          Refresh
        </button>
      </header>

      <form
        className="runs-search"
        onSubmit={(e) => {
          e.preventDefault();
          useRuns.getState().setQuery(draft.trim());
        }}
      >
        <div className="search-box">
          <input
            type="search"
            className="mono"
            placeholder={QUERY_EXAMPLE}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-invalid={queryError ? true : undefined}
            aria-describedby="runs-query-help"
            spellCheck={false}
            data-testid="runs-search"
          />
          <button type="submit" className="button" data-testid="runs-search-submit">
            Search
          </button>
        </div>
        <select
          value={experiment ?? ''}
          onChange={(e) => useRuns.getState().setExperiment(e.target.value || null)}
          aria-label="Experiment"
          data-testid="runs-experiment"
        >
          <option value="">All experiments</option>
          {experiments.map((x) => (
            <option key={x.id} value={x.name}>
              {x.name} ({x.runCount})
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={includeArchived} onChange={(e) => useRuns.getState().setIncludeArchived(e.target.checked)} data-testid="runs-show-archived" />
          <span>Show archived</span>
        </label>
      </form>
      {queryError ? (
        <QueryErrorLine query={query} error={queryError} />
      ) : (
        <p className="hint" id="runs-query-help">
          Compare <span className="mono">params.*</span>, <span className="mono">metrics.*</span>, <span className="mono">tags.*</span>,{' '}
          <span className="mono">status</span>, <span className="mono">model</span>, <span className="mono">experiment</span> with = != &lt; &lt;= &gt; &gt;=;
          join with and, or, not and parentheses.
        </p>
      )}

      {unknownKeys.length > 0 && (
        <p className="notice notice-warn" role="status" data-testid="runs-unknown-keys" data-fields={unknownKeys.map((k) => k.field).join(' ')}>
          {unknownKeys.map((k) => (
            <span key={k.field}>
              No run has <span className="mono">{k.field}</span>
              {k.suggestion && (
                <>
                  {' '}
                  (did you mean <span className="mono">{k.suggestion}</span>?)
                </>
              )}
              .{' '}
            </span>
          ))}
        </p>
      )}
      <ErrorBanner message={listError} />
      <ErrorBanner message={actionError} onDismiss={() => setActionError(null)} />
      {notice && (
        <p className="notice" role="status" data-testid="runs-notice">
          {notice}
        </p>
      )}

      <RunsTable
        columns={columns}
        emptyText={
          queryError
            ? 'Fix the search above to see runs.'
            : !loaded
              ? notLoaded
              : query || experiment
                ? 'No run matches this search.'
                : 'No runs yet. Each training job records one.'
        }
      />

      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${selected.length} run${selected.length === 1 ? '' : 's'}?`}
          confirmLabel="Delete for good"
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => setConfirmDelete(false)}
        >
          <p>
            Their params, metrics, tags and notes are removed from the store and their artifact files from disk. This cannot be undone;
            archive instead to only hide them.
          </p>
          <ul className="confirm-list mono">
            {selected.slice(0, 8).map((id) => (
              <li key={id}>{id}</li>
            ))}
            {selected.length > 8 && <li className="muted">and {selected.length - 8} more</li>}
          </ul>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** The refused query again, with a caret under the position the core points at. */
function QueryErrorLine({ query, error }: { query: string; error: QueryError }) {
  const pos = error.position !== null ? Math.min(error.position, query.length) : null;
  return (
    <div className="query-error" role="alert" data-testid="runs-query-error" data-column={error.position === null ? '' : error.position + 1}>
      <div className="query-error-message">{error.message}</div>
      {pos !== null && (
        <pre className="query-caret mono" aria-hidden="true">
          {query}
          {'\n'}
          {' '.repeat(pos)}^
        </pre>
      )}
    </div>
  );
}
