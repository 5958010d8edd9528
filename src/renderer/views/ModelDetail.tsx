/**
 * One registered model: description and tags, the versions with their key metrics and lineage,
 * aliases (set with the gate, forced with a reason, history as a timeline), the gate's rules and
 * reports, a comparison of two versions, the Predict panel, and Publish.
 *
 * Test ids (model page): `model-detail` (data-model, data-versions), `back-to-models`,
 * `model-publish` (opens PublishDialog), `model-detail-error`, `model-description`, `model-tags`,
 * `versions-table`, `version-row` (data-version), `version-metric` (data-key), `version-aliases`,
 * `version-run-link`, `version-study-link`, `version-dataset`, `version-source`, `version-compare`
 * (a checkbox; two ticked open the comparison). The alias, gate, compare and predict panels list
 * theirs in components/AliasPanel.tsx, GatePanel.tsx, VersionCompare.tsx and PredictPanel.tsx.
 */
import { useEffect, useState } from 'react';
import type { ModelVersion } from '../../shared/contract';
import { AliasHistory, SetAliasForm } from '../components/AliasPanel';
import { ErrorBanner } from '../components/ErrorBanner';
import { GatePanel } from '../components/GatePanel';
import { Markdown } from '../components/Markdown';
import { GateBadge } from '../components/ModelBits';
import { PredictPanel } from '../components/PredictPanel';
import { PublishDialog } from '../components/TransferDialogs';
import { VersionCompare } from '../components/VersionCompare';
import { KEY_METRICS } from '../components/model-data';
import { useConnection } from '../stores/connection';
import { useModels } from '../stores/models';
import { navigate, routeHref } from '../stores/ui';
import { fmtBytes, fmtMetric, fmtShortTime, shortId } from '../lib/format';

export function ModelDetail({ name }: { name: string }) {
  const connected = useConnection((s) => s.status === 'connected');
  const detail = useModels((s) => (s.openName === name ? s.detail : null));
  const error = useModels((s) => (s.openName === name ? s.detailError : null));
  const [picked, setPicked] = useState<number[]>([]);
  const [publishOpen, setPublishOpen] = useState(false);

  useEffect(() => {
    if (connected) void useModels.getState().open(name);
  }, [connected, name]);
  useEffect(() => () => useModels.getState().close(), [name]);

  const back = (
    <button type="button" className="button button-small" data-testid="back-to-models" onClick={() => navigate('models')}>
      ← Models
    </button>
  );
  if (!detail) {
    return (
      <div className="view" data-testid="model-detail" data-model={name}>
        <header className="view-head">
          {back}
          <h1 className="mono">{name}</h1>
        </header>
        {error ? (
          <div data-testid="model-detail-error">
            <ErrorBanner message={error} />
          </div>
        ) : (
          <p className="muted">Loading the model…</p>
        )}
      </div>
    );
  }

  const { model, versions, history, reports } = detail;
  const togglePick = (v: number) => setPicked((p) => (p.includes(v) ? p.filter((x) => x !== v) : [...p.slice(-1), v]));
  const pickedVersions = picked.map((v) => versions.find((x) => x.version === v)).filter((v): v is ModelVersion => !!v);
  const tags = Object.entries(model.tags).sort(([a], [b]) => a.localeCompare(b));

  return (
    <div className="view model-detail" data-testid="model-detail" data-model={model.name} data-versions={versions.length}>
      <header className="view-head">
        {back}
        <h1 className="mono">{model.name}</h1>
        <span className="tag">{model.task}</span>
        <GateBadge report={model.lastGate} />
        <span className="spacer" />
        <button type="button" className="button" disabled={versions.length === 0} data-testid="model-publish" onClick={() => setPublishOpen(true)}>
          Publish…
        </button>
      </header>
      {publishOpen && <PublishDialog model={model} versions={versions} onClose={() => setPublishOpen(false)} />}
      {error && <ErrorBanner message={error} />}

      <section className="model-about">
        {model.description ? <Markdown source={model.description} testId="model-description" /> : <p className="muted" data-testid="model-description">No description.</p>}
        <ul className="tag-list" data-testid="model-tags">
          {tags.map(([k, v]) => (
            <li key={k} className="tag-chip">
              <span className="mono">
                {k}: {v}
              </span>
            </li>
          ))}
        </ul>
      </section>

      <h3>Versions</h3>
      <VersionsTable versions={versions} task={model.task} picked={picked} onPick={togglePick} />

      {pickedVersions.length === 2 && <VersionCompare task={model.task} a={pickedVersions[0]} b={pickedVersions[1]} onClose={() => setPicked([])} />}
      {pickedVersions.length === 1 && <p className="muted">Tick one more version to compare the two.</p>}

      <div className="model-columns">
        <section className="panel">
          <h3>Aliases</h3>
          <SetAliasForm model={model} versions={versions} />
          <h4>History</h4>
          <AliasHistory events={history} />
        </section>
        <section className="panel">
          <GatePanel model={model} reports={reports} />
        </section>
      </div>

      <section className="panel">
        <h3>Predict</h3>
        <PredictPanel model={model} versions={versions} />
      </section>
    </div>
  );
}

function VersionsTable({ versions, task, picked, onPick }: { versions: ModelVersion[]; task: ModelVersion['schema']['task']; picked: number[]; onPick(v: number): void }) {
  const keys = KEY_METRICS[task];
  return (
    <div className="table-wrap">
      <table className="table versions-table" data-testid="versions-table" data-rows={versions.length}>
        <thead>
          <tr>
            <th title="Tick two to compare">Cmp</th>
            <th className="num">Version</th>
            <th>Aliases</th>
            {keys.map((k) => (
              <th key={k} className="num mono">
                {k}
              </th>
            ))}
            <th>Gate</th>
            <th>Source</th>
            <th>Lineage</th>
            <th className="num">Size</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} data-testid="version-row" data-version={v.version}>
              <td>
                <input type="checkbox" checked={picked.includes(v.version)} onChange={() => onPick(v.version)} aria-label={`Compare version ${v.version}`} data-testid="version-compare" />
              </td>
              <td className="num mono">{v.version}</td>
              <td data-testid="version-aliases">
                {v.aliases.map((a) => (
                  <span key={a} className={`chip alias-chip alias-${a}`}>
                    @{a}
                  </span>
                ))}
              </td>
              {keys.map((k) => (
                <td key={k} className="num" data-testid="version-metric" data-key={k}>
                  {fmtMetric(k, v.lineage.metrics[k])}
                </td>
              ))}
              <td>
                <GateBadge report={v.gate} testId="version-gate" />
              </td>
              <td className="mono" data-testid="version-source" title={v.source.ref}>
                {v.source.kind}
              </td>
              <td className="lineage">
                {v.lineage.runId && (
                  <a href={routeHref('runs', v.lineage.runId)} data-testid="version-run-link">
                    run {shortId(v.lineage.runId)}
                  </a>
                )}
                {v.lineage.studyId && (
                  <a href={routeHref('studies', v.lineage.studyId)} data-testid="version-study-link">
                    study {shortId(v.lineage.studyId)}
                    {v.lineage.trialNumber !== null ? ` #${v.lineage.trialNumber}` : ''}
                  </a>
                )}
                <span className="muted" data-testid="version-dataset" title={v.lineage.datasetSha256 ? `sha256 ${v.lineage.datasetSha256}` : undefined}>
                  {v.lineage.datasetName ?? (v.lineage.datasetId ? shortId(v.lineage.datasetId) : '—')}
                </span>
                <span className="muted">
                  {v.lineage.family}
                  {v.lineage.predictor ? `/${v.lineage.predictor}` : ''}
                </span>
              </td>
              <td className="num">{fmtBytes(v.sizeBytes)}</td>
              <td className="nowrap">{fmtShortTime(v.createdAt)}</td>
            </tr>
          ))}
          {versions.length === 0 && (
            <tr className="empty-row">
              <td colSpan={keys.length + 8}>No versions.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
