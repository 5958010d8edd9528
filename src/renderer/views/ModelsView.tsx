/**
 * The model registry: every registered model with its task, latest version, aliases and the status
 * of its last gate; a row opens the model's page. Pull brings a model in from a registry or folder.
 *
 * Test ids (Models view): `models-view`, `models-pull` (opens PullDialog), `models-error`,
 * `models-table` (data-rows), `models-empty`, `model-row` (data-model), and in a row `model-name`,
 * `model-task`, `model-latest`, `model-alias` (data-alias, data-version), `model-gate`
 * (data-gate: pass, fail or none), `model-updated`. The model page's ids are in ModelDetail.tsx.
 */
import { useEffect, useMemo, useState } from 'react';
import type { RegisteredModel } from '../../shared/contract';
import { AliasChips, GateBadge } from '../components/ModelBits';
import { ErrorBanner } from '../components/ErrorBanner';
import { PullDialog } from '../components/TransferDialogs';
import { useConnection } from '../stores/connection';
import { modelRows, useModels } from '../stores/models';
import { navigate, useRoute } from '../stores/ui';
import { fmtShortTime } from '../lib/format';
import { ModelDetail } from './ModelDetail';

export function ModelsView() {
  const name = useRoute((r) => (r.view === 'models' ? r.id : null));
  if (name) return <ModelDetail key={name} name={name} />;
  return <ModelsList />;
}

function ModelsList() {
  const connected = useConnection((s) => s.status === 'connected');
  const byName = useModels((s) => s.byName);
  const loaded = useModels((s) => s.loaded);
  const error = useModels((s) => s.error);
  const [pullOpen, setPullOpen] = useState(false);
  const rows = useMemo(() => modelRows(byName), [byName]);

  useEffect(() => {
    if (connected) void useModels.getState().loadList();
  }, [connected]);

  return (
    <div className="view models-view" data-testid="models-view">
      <header className="view-head">
        <h1>Models</h1>
        <span className="spacer" />
        <button type="button" className="button" data-testid="models-pull" onClick={() => setPullOpen(true)}>
          Pull…
        </button>
      </header>
      {pullOpen && <PullDialog onClose={() => setPullOpen(false)} />}
      {error && (
        <div data-testid="models-error">
          <ErrorBanner message={error} />
        </div>
      )}
      <div className="table-wrap">
        <table className="table models-table" data-testid="models-table" data-rows={rows.length}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Task</th>
              <th className="num">Latest</th>
              <th>Aliases</th>
              <th>Gate</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <ModelRow key={m.name} model={m} />
            ))}
            {rows.length === 0 && (
              <tr className="empty-row" data-testid="models-empty">
                <td colSpan={6}>
                  {!loaded ? 'Loading models…' : error ? 'No models to show.' : 'No models yet. Register one from a completed run or a study’s best trial.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ModelRow({ model }: { model: RegisteredModel }) {
  const open = () => navigate('models', model.name);
  return (
    <tr
      className="model-row"
      data-testid="model-row"
      data-model={model.name}
      tabIndex={0}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      }}
    >
      <td className="mono" data-testid="model-name">
        {model.name}
      </td>
      <td data-testid="model-task">{model.task}</td>
      <td className="num" data-testid="model-latest">
        {model.latestVersion ?? '—'}
      </td>
      <td>
        <AliasChips aliases={model.aliases} />
      </td>
      <td>
        <GateBadge report={model.lastGate} />
      </td>
      <td className="nowrap" data-testid="model-updated">
        {fmtShortTime(model.updatedAt)}
      </td>
    </tr>
  );
}
