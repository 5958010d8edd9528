/**
 * Datasets: every imported dataset with its size and whether a job can train on it (and why not);
 * a row opens the dataset: rename, delete (the core refuses while a queued or running job uses it),
 * the column profile with a sparkline per numeric column, and the first rows.
 *
 * Test ids (Datasets view): `datasets-view`, `datasets-table` (data-rows), `datasets-empty`,
 * `dataset-row` (data-dataset-id, data-trainable), `dataset-name`, `dataset-cannot-train`,
 * `dataset-detail` (data-dataset-id), `back-to-datasets`, `dataset-rename-input`,
 * `dataset-rename-save`, `dataset-delete` (opens the confirm dialog: `confirm-ok`, `confirm-cancel`),
 * `dataset-error`, `dataset-facts`; the profile's and preview's ids are in components/DatasetProfile.tsx.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { Dataset, DatasetPreview, DatasetProfile } from '../../shared/contract';
import { api } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ColumnProfile, PreviewTable } from '../components/DatasetProfile';
import { DatasetWarnings } from '../components/DatasetWarnings';
import { ErrorBanner } from '../components/ErrorBanner';
import { Fact } from '../components/Fact';
import { useConnection } from '../stores/connection';
import { useDatasets } from '../stores/datasets';
import { navigate, routeHref, useRoute } from '../stores/ui';
import { errorMessage } from '../lib/errors';
import { fmtBytes, fmtInt, fmtShortTime, fmtTime, shortId } from '../lib/format';

const PREVIEW_ROWS = 20;
/** Enough buckets that a yearly cycle in monthly data still shows (741 rows: about 6 per bucket). */
const SPARK_POINTS = 120;

export function DatasetsView() {
  const connected = useConnection((s) => s.status === 'connected');
  const id = useRoute((r) => (r.view === 'datasets' ? r.id : null));
  useEffect(() => {
    if (connected) void useDatasets.getState().load();
  }, [connected]);
  return id ? <DatasetDetail key={id} id={id} /> : <DatasetsList />;
}

function DatasetsList() {
  const list = useDatasets((s) => s.list);
  const loaded = useDatasets((s) => s.loaded);
  const error = useDatasets((s) => s.error);
  return (
    <div className="view datasets-view" data-testid="datasets-view">
      <header className="view-head">
        <h1>Datasets</h1>
        <span className="muted">{loaded ? `${list.length} imported` : 'Loading…'}</span>
      </header>
      <ErrorBanner message={error} />
      {loaded && list.length === 0 ? (
        <p className="muted" data-testid="datasets-empty">
          No datasets yet. Import a sample or a CSV or Parquet file from New job (Jobs), or with <span className="mono">trainyard datasets import FILE</span>.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table datasets-table" data-testid="datasets-table" data-rows={list.length}>
            <thead>
              <tr>
                <th>Name</th>
                <th className="num">Rows</th>
                <th className="num">Columns</th>
                <th>Time column</th>
                <th className="num">Size</th>
                <th>Training</th>
                <th>Imported</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr
                  key={d.id}
                  className="clickable"
                  tabIndex={0}
                  onClick={() => navigate('datasets', d.id)}
                  onKeyDown={(e) => e.key === 'Enter' && navigate('datasets', d.id)}
                  data-testid="dataset-row"
                  data-dataset-id={d.id}
                  data-trainable={d.cannotTrain ? 'false' : 'true'}
                >
                  <td>
                    <a href={routeHref('datasets', d.id)} data-testid="dataset-name" onClick={(e) => e.stopPropagation()}>
                      {d.name}
                    </a>
                    <div className="muted mono">{d.filename}</div>
                  </td>
                  <td className="num">{fmtInt(d.rows)}</td>
                  <td className="num">{d.columns.length}</td>
                  <td className="mono">{d.timeColumn ?? <span className="muted">none</span>}</td>
                  <td className="num">{fmtBytes(d.sizeBytes)}</td>
                  <td>
                    <TrainingState dataset={d} />
                  </td>
                  <td title={fmtTime(d.createdAt)}>{fmtShortTime(d.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** "ready", "ready · 2 warnings" or "cannot train" with the reason beside it. */
function TrainingState({ dataset: d }: { dataset: Dataset }) {
  if (d.cannotTrain) {
    return (
      <span className="badge badge-failed" data-testid="dataset-cannot-train" title={d.cannotTrain}>
        cannot train: {d.cannotTrain}
      </span>
    );
  }
  return (
    <span className={`badge ${d.warnings.length ? 'badge-queued' : 'badge-completed'}`} title={d.warnings.map((w) => w.message).join('\n') || undefined}>
      ready{d.warnings.length ? ` · ${d.warnings.length} warning${d.warnings.length === 1 ? '' : 's'}` : ''}
    </span>
  );
}

function DatasetDetail({ id }: { id: string }) {
  const dataset = useDatasets((s) => s.list.find((d) => d.id === id));
  const loaded = useDatasets((s) => s.loaded);
  const connected = useConnection((s) => s.status === 'connected');
  const [preview, setPreview] = useState<DatasetPreview | null>(null);
  const [profile, setProfile] = useState<DatasetProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!connected) return;
    let live = true;
    const fail = (err: unknown) => live && setError(errorMessage(err));
    api()
      .datasets.preview({ id, limit: PREVIEW_ROWS })
      .then((p) => live && setPreview(p), fail);
    api()
      .datasets.profile({ id, points: SPARK_POINTS })
      .then((p) => live && setProfile(p), fail);
    return () => {
      live = false;
    };
  }, [id, connected]);

  async function remove(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await useDatasets.getState().remove(id);
      navigate('datasets');
    } catch (err) {
      setError(errorMessage(err));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="view dataset-detail" data-testid="dataset-detail" data-dataset-id={id}>
      <header className="view-head">
        <button type="button" className="button button-small" onClick={() => navigate('datasets')} data-testid="back-to-datasets">
          ← Datasets
        </button>
        <h1>{dataset?.name ?? `Dataset ${shortId(id)}`}</h1>
        <span className="spacer" />
        {dataset && (
          <button type="button" className="button button-danger" onClick={() => setConfirming(true)} data-testid="dataset-delete" disabled={busy}>
            Delete…
          </button>
        )}
      </header>
      {confirming && dataset && (
        <ConfirmDialog title={`Delete ${dataset.name}?`} confirmLabel="Delete dataset" busy={busy} onConfirm={() => void remove()} onCancel={() => setConfirming(false)}>
          <p>
            The stored copy ({fmtBytes(dataset.sizeBytes)}) is removed. Runs trained on it keep its sha256, so their lineage stays, but they can no longer
            retrain or be registered from it. A queued or running job that uses it stops the delete.
          </p>
        </ConfirmDialog>
      )}
      <div data-testid="dataset-error">
        <ErrorBanner message={error} onDismiss={() => setError(null)} />
      </div>
      {!dataset && <p className="muted">{loaded ? 'No dataset with this id: it may have been deleted.' : 'Loading dataset…'}</p>}
      {dataset && (
        <>
          <dl className="facts" data-testid="dataset-facts">
            <Fact label="File" className="mono">{dataset.filename}</Fact>
            <Fact label="Rows" className="num">{fmtInt(dataset.rows)}</Fact>
            <Fact label="Size" className="num">{fmtBytes(dataset.sizeBytes)}</Fact>
            <Fact label="Time column" className="mono">{dataset.timeColumn ?? 'none'}</Fact>
            <Fact label="sha256" className="mono" title={dataset.sha256}>{dataset.sha256.slice(0, 16)}…</Fact>
            <Fact label="Imported">{fmtTime(dataset.createdAt)}</Fact>
            <Fact label="Training">
              <TrainingState dataset={dataset} />
            </Fact>
          </dl>
          <RenameForm dataset={dataset} onError={setError} />
          <DatasetWarnings dataset={dataset} />
          <h3>Columns</h3>
          <ColumnProfile dataset={dataset} profile={profile} />
          <h3>First {PREVIEW_ROWS} rows</h3>
          {preview ? <PreviewTable preview={preview} dataset={dataset} /> : <p className="muted">Loading rows…</p>}
        </>
      )}
    </section>
  );
}

function RenameForm({ dataset, onError }: { dataset: Dataset; onError: (message: string | null) => void }) {
  const [name, setName] = useState(dataset.name);
  const [saving, setSaving] = useState(false);
  useEffect(() => setName(dataset.name), [dataset.name]);
  const changed = name.trim() !== '' && name.trim() !== dataset.name;

  async function save(ev: FormEvent): Promise<void> {
    ev.preventDefault();
    if (!changed) return;
    setSaving(true);
    onError(null);
    try {
      await useDatasets.getState().rename(dataset.id, name.trim());
    } catch (err) {
      onError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="row rename-form" onSubmit={save}>
      <label className="field">
        <span>Name</span>
        <input type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} data-testid="dataset-rename-input" />
      </label>
      <button type="submit" className="button" disabled={!changed || saving} data-testid="dataset-rename-save">
        {saving ? 'Renaming…' : 'Rename'}
      </button>
    </form>
  );
}
