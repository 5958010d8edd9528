/**
 * "New training job": pick or import a dataset (an existing one, a bundled sample, or a CSV read in
 * the browser), the column to forecast, the model and a few of its params; and for the queue its
 * priority, the GPUs it needs, how many attempts a crash may cost, and the jobs it waits for.
 * The core validates everything; its errors are shown in words and the offending field is marked.
 *
 * Test ids (new job form): `new-job-form`, `dataset-select`, `dataset-summary`, `sample-select`,
 * `import-sample-button`, `upload-csv`, `target-select`, `model-select`, `priority-select`,
 * `param-epochs`, `param-window`, `param-hiddenUnits`, `experiment-input`, `gpus-input`,
 * `max-attempts-input`, `after-input`, `submit-job`, `error-banner`.
 */
import { useEffect, useMemo, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { PRIORITY_ORDER, type Job, type ParamValue, type Priority } from '../../shared/contract';
import { api } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { defaultTarget, numericColumns, useDatasets } from '../stores/datasets';
import { resolveJobRefs, useJobs } from '../stores/jobs';
import { fmtInt } from '../lib/format';
import { toUiError, type UiError } from '../lib/errors';

/** The WebSocket face caps a message at 64 MiB; leave room for the envelope. */
const MAX_UPLOAD_BYTES = 60 * 1024 * 1024;

const PARAMS: { key: string; label: string; hint: string }[] = [
  { key: 'epochs', label: 'Epochs', hint: 'passes over the training windows' },
  { key: 'window', label: 'Window', hint: 'past steps the model sees' },
  { key: 'hiddenUnits', label: 'Hidden units', hint: 'width of the hidden layer' },
];

type Control =
  | 'dataset'
  | 'sample'
  | 'upload'
  | 'target'
  | 'model'
  | 'priority'
  | 'experiment'
  | 'gpus'
  | 'maxAttempts'
  | 'after'
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
  if (path.startsWith('priority')) return 'priority';
  if (path.startsWith('experiment')) return 'experiment';
  if (path.startsWith('source.file')) return 'sample';
  if (path.startsWith('source')) return 'upload';
  return null;
}

export function NewJobForm({ onCreated, onClose }: { onCreated: (job: Job) => void; onClose: () => void }) {
  const datasets = useDatasets((s) => s.list);
  const samples = useDatasets((s) => s.samples);
  const datasetsLoaded = useDatasets((s) => s.loaded);
  const importSource = useDatasets((s) => s.importSource);

  const [datasetId, setDatasetId] = useState('');
  const [sampleFile, setSampleFile] = useState('');
  const [target, setTarget] = useState('');
  const [model, setModel] = useState('mlp');
  const [params, setParams] = useState<Record<string, string>>({ epochs: '', window: '', hiddenUnits: '' });
  const [priority, setPriority] = useState<Priority>('normal');
  const [experiment, setExperiment] = useState('Default');
  const [gpus, setGpus] = useState('0');
  const [maxAttempts, setMaxAttempts] = useState('1');
  const [after, setAfter] = useState('');
  const [busy, setBusy] = useState<null | 'import' | 'upload' | 'submit'>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [invalid, setInvalid] = useState<Control | null>(null);

  const dataset = useMemo(() => datasets.find((d) => d.id === datasetId), [datasets, datasetId]);
  const targets = useMemo(() => numericColumns(dataset), [dataset]);

  // Preselect the newest dataset (once) and the first sample when they are known.
  const autoPicked = useRef(false);
  useEffect(() => {
    if (autoPicked.current || datasetId || datasets.length === 0) return;
    autoPicked.current = true;
    setDatasetId(datasets[0].id);
    setTarget(defaultTarget(datasets[0], samples));
  }, [datasets, samples, datasetId]);
  useEffect(() => {
    if (!sampleFile && samples.length > 0) setSampleFile(samples[0].file);
  }, [samples, sampleFile]);

  function chooseDataset(id: string, preferredTarget?: string): void {
    autoPicked.current = true;
    setDatasetId(id);
    const d = useDatasets.getState().list.find((x) => x.id === id);
    setTarget(defaultTarget(d, useDatasets.getState().samples, preferredTarget));
    if (invalid === 'dataset' || invalid === 'target') setInvalid(null);
  }

  function fail(err: unknown, fallback: Control | null = null): void {
    const e = toUiError(err);
    setError(e);
    setInvalid(controlForField(e.field) ?? fallback);
  }

  function clearError(): void {
    setError(null);
    setInvalid(null);
  }

  async function importSample(): Promise<void> {
    const sample = samples.find((s) => s.file === sampleFile);
    if (!sample) return fail(new Error('Choose a sample to import'), 'sample');
    clearError();
    setBusy('import');
    try {
      const d = await importSource({ kind: 'sample', file: sample.file });
      chooseDataset(d.id, sample.target);
    } catch (err) {
      fail(err, 'sample');
    } finally {
      setBusy(null);
    }
  }

  async function uploadFile(ev: ChangeEvent<HTMLInputElement>): Promise<void> {
    const input = ev.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    clearError();
    if (file.size > MAX_UPLOAD_BYTES) {
      input.value = '';
      return fail(
        new Error(`${file.name} is ${(file.size / 1048576).toFixed(0)} MiB; upload files under 60 MiB here, or import larger ones with the CLI`),
        'upload',
      );
    }
    setBusy('upload');
    try {
      // Parquet is binary: it travels as base64 text; CSV goes as it is.
      const parquet = /\.parquet$/i.test(file.name);
      const text = parquet ? toBase64(new Uint8Array(await file.arrayBuffer())) : await file.text();
      const d = await importSource({ kind: 'content', filename: file.name, text, ...(parquet ? { encoding: 'base64' as const } : {}) });
      chooseDataset(d.id);
    } catch (err) {
      fail(err, 'upload');
    } finally {
      setBusy(null);
      input.value = '';
    }
  }

  async function submit(ev: FormEvent): Promise<void> {
    ev.preventDefault();
    if (busy) return;
    clearError();
    if (!datasetId) return fail(new Error('Choose a dataset, or import a sample or a CSV file'), 'dataset');
    if (!target) return fail(new Error('Choose the column to forecast'), 'target');
    const values: Record<string, ParamValue> = {};
    for (const { key, label } of PARAMS) {
      const raw = (params[key] ?? '').trim();
      if (raw === '') continue;
      const n = Number(raw);
      if (!Number.isFinite(n)) return fail(new Error(`${label} must be a number`), `param-${key}`);
      values[key] = n;
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
    setBusy('submit');
    try {
      const job = await api().jobs.create({
        spec: { kind: 'train', datasetId, target, model: model as 'mlp', params: values, experiment: experiment.trim() || 'Default' },
        priority,
        resources: { gpus: gpuCount, cpuSlots: 1, memoryMB: 512 },
        retryPolicy: { maxAttempts: attempts, backoffMs: 5000 },
        after: dependsOn,
      });
      useJobs.getState().upsert(job);
      onCreated(job);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  }

  const inv = (c: Control) => (invalid === c ? { 'aria-invalid': true as const, className: 'invalid' } : {});
  const sample = samples.find((s) => s.file === sampleFile);

  return (
    <form className="panel new-job" onSubmit={submit} noValidate data-testid="new-job-form" aria-label="New training job">
      <div className="panel-head">
        <h2>New training job</h2>
        <button type="button" className="link-button" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>

      <div className="form-grid">
        <fieldset className="form-block">
          <legend>Data</legend>
          <label className="field">
            <span>Dataset</span>
            <select
              data-testid="dataset-select"
              value={datasetId}
              onChange={(e) => chooseDataset(e.target.value)}
              disabled={busy !== null}
              {...inv('dataset')}
            >
              <option value="">{datasetsLoaded ? (datasets.length ? 'Choose a dataset…' : 'No datasets yet: import one') : 'Loading…'}</option>
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
            {dataset && (
              <small className="muted" data-testid="dataset-summary">
                {fmtInt(dataset.rows)} rows · {dataset.columns.length} columns
                {dataset.timeColumn ? ` · time in ${dataset.timeColumn}` : ''} · {dataset.filename}
              </small>
            )}
          </label>

          <div className="field">
            <span>Or import a bundled sample</span>
            <div className="row">
              <select
                data-testid="sample-select"
                value={sampleFile}
                onChange={(e) => setSampleFile(e.target.value)}
                disabled={busy !== null || samples.length === 0}
                {...inv('sample')}
              >
                {samples.length === 0 && <option value="">No samples</option>}
                {samples.map((s) => (
                  <option key={s.file} value={s.file}>
                    {s.title}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button"
                data-testid="import-sample-button"
                onClick={importSample}
                disabled={busy !== null || !sampleFile}
              >
                {busy === 'import' ? 'Importing…' : 'Import'}
              </button>
            </div>
            {sample && (
              <small className="muted" title={`${sample.source} · ${sample.licence}`}>
                {sample.description}
              </small>
            )}
          </div>

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
          <label className="field">
            <span>Target column</span>
            <select
              data-testid="target-select"
              value={target}
              onChange={(e) => {
                setTarget(e.target.value);
                if (invalid === 'target') setInvalid(null);
              }}
              disabled={!dataset || busy !== null}
              {...inv('target')}
            >
              {!dataset && <option value="">Choose a dataset first</option>}
              {dataset && targets.length === 0 && <option value="">No numeric columns</option>}
              {targets.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <div className="row">
            <label className="field">
              <span>Model</span>
              <select data-testid="model-select" value={model} onChange={(e) => setModel(e.target.value)} {...inv('model')}>
                <option value="mlp">mlp (multilayer perceptron)</option>
              </select>
            </label>
          </div>
          <div className="row">
            {PARAMS.map((p) => (
              <label className="field" key={p.key} title={p.hint}>
                <span>{p.label}</span>
                <input
                  type="number"
                  inputMode="numeric"
                  data-testid={`param-${p.key}`}
                  placeholder="default"
                  value={params[p.key] ?? ''}
                  onChange={(e) => {
                    const value = e.target.value;
                    setParams((cur) => ({ ...cur, [p.key]: value }));
                    if (invalid === `param-${p.key}`) setInvalid(null);
                  }}
                  {...inv(`param-${p.key}`)}
                />
              </label>
            ))}
          </div>
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
        <fieldset className="form-block">
          <legend>Queue</legend>
          <div className="row">
            <label className="field">
              <span>Priority</span>
              <select
                data-testid="priority-select"
                value={priority}
                onChange={(e) => setPriority(e.target.value as Priority)}
                {...inv('priority')}
              >
                {PRIORITY_ORDER.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
            <label className="field" title="GPUs the job needs; it starts only when that many are free, pinned with CUDA_VISIBLE_DEVICES">
              <span>GPUs</span>
              <input
                type="number"
                inputMode="numeric"
                min={0}
                data-testid="gpus-input"
                value={gpus}
                onChange={(e) => {
                  setGpus(e.target.value);
                  if (invalid === 'gpus') setInvalid(null);
                }}
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
                onChange={(e) => {
                  setMaxAttempts(e.target.value);
                  if (invalid === 'maxAttempts') setInvalid(null);
                }}
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
              onChange={(e) => {
                setAfter(e.target.value);
                if (invalid === 'after') setInvalid(null);
              }}
              {...inv('after')}
            />
            <small className="muted">Starts only once these jobs completed; fails if one of them fails or is cancelled.</small>
          </label>
        </fieldset>
      </div>

      <ErrorBanner message={error?.message} onDismiss={clearError} />

      <div className="form-actions">
        <span className="muted">Empty params use the model's defaults.</span>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" data-testid="submit-job" disabled={busy !== null}>
          {busy === 'submit' ? 'Submitting…' : 'Start training'}
        </button>
      </div>
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
