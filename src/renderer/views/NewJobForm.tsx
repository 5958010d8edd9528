/**
 * "New training job": pick or import a dataset (an existing one, a bundled sample, or a CSV read in
 * the browser), the column to forecast or score, the model family (every family the core lists) and
 * its params, and the columns that family reads: a label column for the anomaly families,
 * exogenous columns for the forecast ones (the other is hidden and never sent); and for the queue its
 * priority, the GPUs it needs, how many attempts a crash may cost, and the jobs it waits for.
 * The core validates everything; its errors are shown in words and the offending field is marked.
 *
 * Test ids (new job form): `new-job-form`, `dataset-select`, `dataset-summary`, `sample-select`,
 * `import-sample-button`, `upload-csv`, `target-select`, `model-select`, `priority-select`,
 * `label-select`, `exogenous-field` (a checkbox `exogenous-field-<column>` per column),
 * `family-params` (data-family), `param-<key>` for each of the family's params (`param-epochs`,
 * `param-window`...) with `param-<key>-default` showing the core's default, `backend-select`,
 * `experiment-input`, `gpus-input`,
 * `max-attempts-input`, `after-input`, `submit-job`, `error-banner`; the data handling fields' own
 * ids are listed in components/DataHandlingFields.tsx.
 */
import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { PRIORITY_ORDER, type Job, type ModelFamily, type ParamValue, type Priority } from '../../shared/contract';
import { api } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { FormActions, invalidMark, PanelHead, useFormFeedback } from '../components/form-parts';
import { LabelledSelect } from '../components/LabelledSelect';
import { RunWhereSelect } from '../components/RunWhereSelect';
import { columnFieldsFor, parseFamilyParams } from '../components/family-fields';
import { FamilyParamsFields, FamilySelect, useFamilyChoice } from '../components/FamilyFields';
import { DatasetField, ExogenousField, LabelColumnField, SampleField, TargetField, useTrainingData } from '../components/TrainingDataFields';
import { DataHandlingFields, useDataHandling } from '../components/DataHandlingFields';
import { resolveJobRefs, useJobs } from '../stores/jobs';
import { useSystem } from '../stores/system';

/** The WebSocket face caps a message at 64 MiB; leave room for the envelope. */
const MAX_UPLOAD_BYTES = 60 * 1024 * 1024;

type Control =
  | 'dataset'
  | 'sample'
  | 'upload'
  | 'target'
  | 'model'
  | 'label'
  | 'exogenous'
  | 'priority'
  | 'experiment'
  | 'backend'
  | 'gpus'
  | 'maxAttempts'
  | 'after'
  | 'data'
  | `param-${string}`;

/** Which form control an InvalidInput's field path points at (`spec.params.epochs` → `param-epochs`). */
export function controlForField(field: string | undefined): Control | null {
  if (!field) return null;
  if (field.startsWith('resources')) return 'gpus';
  if (field.startsWith('retryPolicy')) return 'maxAttempts';
  if (field.startsWith('after')) return 'after';
  const path = field.replace(/^spec\./, '');
  const param = /^(?:params\.)?(epochs|window|hiddenUnits)\b/.exec(path) ?? /^params\.([^.]+)/.exec(path);
  if (param) return `param-${param[1]}`;
  if (path.startsWith('datasetId')) return 'dataset';
  if (path.startsWith('target')) return 'target';
  if (path.startsWith('model')) return 'model';
  if (path.startsWith('labelColumn')) return 'label';
  if (path.startsWith('exogenous')) return 'exogenous';
  if (path.startsWith('priority')) return 'priority';
  if (path.startsWith('experiment')) return 'experiment';
  if (path.startsWith('backend')) return 'backend';
  if (path.startsWith('source.file')) return 'sample';
  if (path.startsWith('source')) return 'upload';
  if (path.startsWith('data')) return 'data';
  return null;
}

export function NewJobForm({ onCreated, onClose }: { onCreated: (job: Job) => void; onClose: () => void }) {
  const data = useTrainingData();
  const { datasetId, target } = data;
  const choice = useFamilyChoice();
  const { family } = choice;
  const [params, setParams] = useState<Record<string, string>>({});
  const [priority, setPriority] = useState<Priority>('normal');
  const [experiment, setExperiment] = useState('Default');
  const [backend, setBackend] = useState('');
  const [cluster, setCluster] = useState('');
  const system = useSystem((s) => s.info);
  useEffect(() => {
    if (!useSystem.getState().info) void useSystem.getState().load();
  }, []);
  const [gpus, setGpus] = useState('0');
  const [maxAttempts, setMaxAttempts] = useState('1');
  const [after, setAfter] = useState('');
  const handling = useDataHandling();
  const { busy, error, invalid, setInvalid, fail, clear: clearError, run } = useFormFeedback<Control, 'import' | 'upload' | 'submit'>(controlForField);

  function chooseDataset(id: string): void {
    data.chooseDataset(id);
    if (invalid === 'dataset' || invalid === 'target') setInvalid(null);
  }

  const importSample = () => run('import', data.importSample, 'sample');

  async function uploadFile(ev: ChangeEvent<HTMLInputElement>): Promise<void> {
    const input = ev.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    if (file.size > MAX_UPLOAD_BYTES) {
      input.value = '';
      return fail(
        new Error(`${file.name} is ${(file.size / 1048576).toFixed(0)} MiB; upload files under 60 MiB here, or import larger ones with the CLI`),
        'upload',
      );
    }
    await run(
      'upload',
      async () => {
        try {
          // Parquet is binary: it travels as base64 text; CSV goes as it is.
          const parquet = /\.parquet$/i.test(file.name);
          const text = parquet ? toBase64(new Uint8Array(await file.arrayBuffer())) : await file.text();
          await data.importAndChoose({ kind: 'content', filename: file.name, text, ...(parquet ? { encoding: 'base64' as const } : {}) });
        } finally {
          input.value = '';
        }
      },
      'upload',
    );
  }

  async function submit(ev: FormEvent): Promise<void> {
    ev.preventDefault();
    if (busy) return;
    clearError();
    if (!datasetId) return fail(new Error('Choose a dataset, or import a sample or a CSV file'), 'dataset');
    if (!target) return fail(new Error('Choose the column to forecast'), 'target');
    if (!family) return fail(new Error(choice.error ?? 'Choose a model'), 'model');
    let values: Record<string, ParamValue>;
    try {
      values = parseFamilyParams(family, params);
    } catch (err) {
      return fail(err); // an InvalidInput naming `params.<key>` marks that param's field
    }
    const gpuCount = wholeNumber(gpus);
    if (gpuCount === null) return fail(new Error('GPUs must be a whole number, 0 or more'), 'gpus');
    const attempts = wholeNumber(maxAttempts);
    if (attempts === null || attempts < 1) return fail(new Error('Max attempts must be a whole number, 1 or more'), 'maxAttempts');
    let dependsOn: string[];
    try {
      dependsOn = resolveJobRefs(parseJobIds(after), useJobs.getState().byId);
    } catch (err) {
      return fail(err, 'after');
    }
    let dataSpec;
    try {
      dataSpec = handling.spec();
    } catch (err) {
      return fail(err, 'data');
    }
    await run('submit', async () => {
      const job = await api().jobs.create({
        spec: {
          kind: 'train',
          datasetId,
          target,
          model: family.name as ModelFamily,
          params: values,
          // Only the column fields this family reads: a hidden field is never sent.
          ...columnFieldsFor(family, data),
          experiment: experiment.trim() || 'Default',
          ...(backend ? { backend } : {}),
          ...(dataSpec ? { data: dataSpec } : {}),
        },
        priority,
        ...(cluster ? { cluster } : {}),
        resources: { gpus: gpuCount, cpuSlots: 1, memoryMB: 512 },
        retryPolicy: { maxAttempts: attempts, backoffMs: 5000 },
        after: dependsOn,
      });
      useJobs.getState().upsert(job);
      onCreated(job);
    });
  }

  const inv = (c: Control) => invalidMark(invalid === c);
  /** A text or number field's change: the new value, and the field's error mark goes. */
  const edit = (c: Control, set: (value: string) => void) => (e: ChangeEvent<HTMLInputElement>) => {
    set(e.target.value);
    if (invalid === c) setInvalid(null);
  };

  return (
    <form className="panel new-job" onSubmit={submit} noValidate data-testid="new-job-form" aria-label="New training job">
      <PanelHead title="New training job" onClose={onClose} />

      <div className="form-grid">
        <fieldset className="form-block">
          <legend>Data</legend>
          <DatasetField
            data={data}
            testId="dataset-select"
            summaryTestId="dataset-summary"
            emptyHint="No datasets yet: import one"
            onChoose={chooseDataset}
            disabled={busy !== null}
            invalid={invalid === 'dataset'}
          />
          <SampleField
            data={data}
            testId="sample-select"
            buttonTestId="import-sample-button"
            onImport={importSample}
            importing={busy === 'import'}
            disabled={busy !== null}
            invalid={invalid === 'sample'}
          />

          <label className="field">
            <span>Or upload a CSV file</span>
            <input
              type="file"
              accept=".csv,text/csv,.parquet"
              data-testid="upload-csv"
              onChange={uploadFile}
              disabled={busy !== null}
              {...inv('upload')}
            />
            {busy === 'upload' && <small className="muted">Uploading…</small>}
          </label>
        </fieldset>

        <fieldset className="form-block">
          <legend>Model</legend>
          <TargetField
            data={data}
            testId="target-select"
            onPick={() => {
              if (invalid === 'target') setInvalid(null);
            }}
            disabled={busy !== null}
            invalid={invalid === 'target'}
          />
          <div className="row">
            <FamilySelect
              choice={choice}
              onChosen={() => {
                if (invalid === 'model' || invalid?.startsWith('param-')) setInvalid(null);
              }}
              testId="model-select"
              invalid={invalid === 'model'}
            />
          </div>
          {family?.uses.labelColumn && (
            <LabelColumnField data={data} testId="label-select" disabled={busy !== null} invalid={invalid === 'label'} />
          )}
          {family?.uses.exogenous && (
            <ExogenousField data={data} testId="exogenous-field" disabled={busy !== null} invalid={invalid === 'exogenous'} />
          )}
          <FamilyParamsFields
            family={family}
            values={params}
            onChange={(key, value) => {
              setParams((cur) => ({ ...cur, [key]: value }));
              if (invalid === `param-${key}`) setInvalid(null);
            }}
            invalidKey={invalid?.startsWith('param-') ? invalid.slice(6) : null}
          />
          <LabelledSelect
            label="Backend"
            title={system ? system.backends.map((b) => `${b.name}: ${b.available ? 'available' : (b.reason ?? 'not available')}`).join('\n') : undefined}
            data-testid="backend-select"
            value={backend}
            onChange={(e) => setBackend(e.target.value)}
            {...inv('backend')}
            placeholder={system ? `Best found (${system.backend})` : 'Best found'}
            options={(system?.backends ?? []).filter((b) => b.available).map((b) => b.name)}
          />
          <label className="field">
            <span>Experiment</span>
            <input
              type="text"
              data-testid="experiment-input"
              value={experiment}
              maxLength={200}
              onChange={(e) => setExperiment(e.target.value)}
              {...inv('experiment')}
            />
          </label>
        </fieldset>
        <DataHandlingFields state={handling} disabled={busy !== null} invalid={invalid === 'data'} />
        <fieldset className="form-block">
          <legend>Queue</legend>
          <div className="row">
            <LabelledSelect
              label="Priority"
              data-testid="priority-select"
              value={priority}
              onChange={(e) => setPriority(e.target.value as Priority)}
              {...inv('priority')}
              options={PRIORITY_ORDER}
            />
            <RunWhereSelect value={cluster} onChange={setCluster} />
            <label className="field" title="GPUs the job needs; it starts only when that many are free, pinned with CUDA_VISIBLE_DEVICES">
              <span>GPUs</span>
              <input
                type="number"
                inputMode="numeric"
                min={0}
                data-testid="gpus-input"
                value={gpus}
                onChange={edit('gpus', setGpus)}
                {...inv('gpus')}
              />
            </label>
            <label className="field" title="Attempts in all, the first included: a crashed worker is retried until this many">
              <span>Max attempts</span>
              <input
                type="number"
                inputMode="numeric"
                min={1}
                data-testid="max-attempts-input"
                value={maxAttempts}
                onChange={edit('maxAttempts', setMaxAttempts)}
                {...inv('maxAttempts')}
              />
            </label>
          </div>
          <label className="field">
            <span>Depends on</span>
            <input
              type="text"
              data-testid="after-input"
              placeholder="job ids (or the short ids shown), separated by spaces or commas"
              value={after}
              onChange={edit('after', setAfter)}
              {...inv('after')}
            />
            <small className="muted">Starts only once these jobs completed; fails if one of them fails or is cancelled.</small>
          </label>
        </fieldset>
      </div>

      <ErrorBanner message={error?.message} onDismiss={clearError} />

      <FormActions
        note="An empty param keeps the value after its name, the core's default for this model."
        onCancel={onClose}
        submitTestId="submit-job"
        busy={busy !== null}
        submitting={busy === 'submit'}
        label="Start training"
        busyLabel="Submitting…"
      />
    </form>
  );
}

/** A whole number typed in a field, or null when it is not one (empty counts as not one). */
function wholeNumber(raw: string): number | null {
  const t = raw.trim();
  if (!/^\d+$/.test(t)) return null;
  return Number(t);
}

/** Job ids typed in one field, separated by spaces or commas; duplicates dropped. */
export function parseJobIds(raw: string): string[] {
  return [...new Set(raw.split(/[\s,]+/).filter(Boolean))];
}

/** Base64 of a file's bytes, in chunks (a spread of millions of bytes would overflow the call stack). */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
