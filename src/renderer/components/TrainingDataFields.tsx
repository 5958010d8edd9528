/**
 * What a training job learns from, as both the new-job and the new-study forms ask for it: a
 * dataset (an existing one, or a bundled sample imported on the spot), the column to forecast or
 * score, and the columns a family may read beside it (a 0/1 label column for the anomaly families,
 * exogenous columns for the forecast ones).
 * `useTrainingData` holds the choice; the fields render it, each placed where its form wants it,
 * with the form's own test ids and whatever the form shows beside a field (its error).
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Dataset, DatasetSource, SampleDataset } from '../../shared/contract';
import { defaultTarget, isIndexLike, numericColumns, rememberTarget, useDatasets } from '../stores/datasets';
import { fmtInt } from '../lib/format';
import { invalidMark } from './form-parts';
import { DatasetWarnings } from './DatasetWarnings';
import { LabelledSelect } from './LabelledSelect';

export interface TrainingData {
  datasets: Dataset[];
  samples: SampleDataset[];
  datasetsLoaded: boolean;
  datasetId: string;
  dataset: Dataset | undefined;
  /** The dataset's numeric columns: what can be forecast. */
  targets: string[];
  target: string;
  setTarget(target: string): void;
  sampleFile: string;
  setSampleFile(file: string): void;
  sample: SampleDataset | undefined;
  /** Picks a dataset and its default target (the preferred one when the dataset has it). */
  chooseDataset(id: string, preferredTarget?: string): void;
  /** Imports the chosen sample and picks it, with the target the sample suggests. */
  importSample(): Promise<void>;
  /** Imports any source (an uploaded file) and picks it. */
  importAndChoose(source: DatasetSource): Promise<void>;
  /** The 0/1 column marking known anomalies ('' for none): the sample's own when it has one. */
  labelColumn: string;
  setLabelColumn(column: string): void;
  /** Extra columns a forecast family reads beside the target. */
  exogenous: string[];
  setExogenous(columns: string[]): void;
}

/** The label column a dataset suggests: the one its bundled sample names, when it has one. */
function defaultLabelColumn(dataset: Dataset | undefined, samples: SampleDataset[]): string {
  if (!dataset) return '';
  const label = samples.find((s) => s.file === dataset.filename)?.labelColumn;
  return label && dataset.columns.some((c) => c.name === label) ? label : '';
}

export function useTrainingData(): TrainingData {
  const datasets = useDatasets((s) => s.list);
  const samples = useDatasets((s) => s.samples);
  const datasetsLoaded = useDatasets((s) => s.loaded);
  const importSource = useDatasets((s) => s.importSource);
  const [datasetId, setDatasetId] = useState('');
  const [sampleFile, setSampleFile] = useState('');
  const [target, setTarget] = useState('');
  const [labelColumn, setLabelColumn] = useState('');
  const [exogenous, setExogenous] = useState<string[]>([]);

  const dataset = useMemo(() => datasets.find((d) => d.id === datasetId), [datasets, datasetId]);
  const targets = useMemo(() => numericColumns(dataset), [dataset]);

  // Preselect the newest dataset (once: a user who cleared it keeps it cleared) and the first sample.
  const autoPicked = useRef(false);
  useEffect(() => {
    if (autoPicked.current || datasetId || datasets.length === 0) return;
    autoPicked.current = true;
    setDatasetId(datasets[0].id);
    setTarget(defaultTarget(datasets[0], samples));
    setLabelColumn(defaultLabelColumn(datasets[0], samples));
  }, [datasets, samples, datasetId]);
  useEffect(() => {
    if (!sampleFile && samples.length > 0) setSampleFile(samples[0].file);
  }, [samples, sampleFile]);

  function chooseDataset(id: string, preferredTarget?: string): void {
    autoPicked.current = true;
    setDatasetId(id);
    // Read the store, not this render's list: a dataset imported a moment ago is not in it yet.
    const { list, samples: known } = useDatasets.getState();
    const chosen = list.find((x) => x.id === id);
    setTarget(defaultTarget(chosen, known, preferredTarget));
    setLabelColumn(defaultLabelColumn(chosen, known));
    setExogenous([]);
  }

  const sample = samples.find((s) => s.file === sampleFile);

  return {
    datasets,
    samples,
    datasetsLoaded,
    datasetId,
    dataset,
    targets,
    target,
    setTarget,
    sampleFile,
    setSampleFile,
    sample,
    chooseDataset,
    async importSample() {
      // The forms mark their sample field for any error the import throws.
      if (!sample) throw new Error('Choose a sample to import');
      const d = await importSource({ kind: 'sample', file: sample.file });
      chooseDataset(d.id, sample.target);
    },
    async importAndChoose(source) {
      const d = await importSource(source);
      chooseDataset(d.id);
    },
    labelColumn,
    setLabelColumn,
    exogenous,
    setExogenous,
  };
}

interface FieldProps {
  data: TrainingData;
  testId: string;
  disabled: boolean;
  invalid: boolean;
  /** Shown under the field: its error, when the form shows errors beside fields. */
  children?: ReactNode;
}

/** The dataset to train on, with its size and file under it. */
export function DatasetField({
  data,
  testId,
  disabled,
  invalid,
  onChoose,
  emptyHint,
  summaryTestId,
  children,
}: FieldProps & {
  onChoose: (id: string) => void;
  /** The placeholder when there are no datasets yet: where to get one. */
  emptyHint: string;
  summaryTestId?: string;
}) {
  const { datasets, dataset, datasetsLoaded } = data;
  return (
    <LabelledSelect
      label="Dataset"
      data-testid={testId}
      value={data.datasetId}
      onChange={(e) => onChoose(e.target.value)}
      disabled={disabled}
      {...invalidMark(invalid)}
      placeholder={datasetsLoaded ? (datasets.length ? 'Choose a dataset…' : emptyHint) : 'Loading…'}
      options={datasets.map((d) => ({ value: d.id, label: d.name }))}
    >
      {dataset && (
        <small className="muted" data-testid={summaryTestId}>
          {fmtInt(dataset.rows)} rows · {dataset.columns.length} columns
          {dataset.timeColumn ? ` · time in ${dataset.timeColumn}` : ''} · {dataset.filename}
        </small>
      )}
      <DatasetWarnings dataset={dataset} />
      {children}
    </LabelledSelect>
  );
}

/** A bundled sample to import, with its description (and its source and licence on hover). */
export function SampleField({
  data,
  testId,
  buttonTestId,
  disabled,
  importing,
  invalid,
  onImport,
  children,
}: FieldProps & { buttonTestId: string; importing: boolean; onImport: () => void }) {
  const { samples, sample, sampleFile } = data;
  return (
    <div className="field">
      <span>Or import a bundled sample</span>
      <div className="row">
        <select
          data-testid={testId}
          value={sampleFile}
          onChange={(e) => data.setSampleFile(e.target.value)}
          disabled={disabled || samples.length === 0}
          {...invalidMark(invalid)}
        >
          {samples.length === 0 && <option value="">No samples</option>}
          {samples.map((s) => (
            <option key={s.file} value={s.file}>
              {s.title}
            </option>
          ))}
        </select>
        <button type="button" className="button" data-testid={buttonTestId} onClick={onImport} disabled={disabled || !sampleFile}>
          {importing ? 'Importing…' : 'Import'}
        </button>
      </div>
      {sample && (
        <small className="muted" title={`${sample.source} · ${sample.licence}`}>
          {sample.description}
        </small>
      )}
      {children}
    </div>
  );
}

/**
 * The column to forecast: the chosen dataset's numeric columns, index-like ones marked. The choice
 * is remembered per dataset, so the next job on it starts from it.
 */
export function TargetField({ data, testId, disabled, invalid, onPick, children }: FieldProps & { onPick: (column: string) => void }) {
  const { dataset, targets } = data;
  const options = targets.map((name) => {
    const column = dataset?.columns.find((c) => c.name === name);
    return { value: name, label: column && dataset && isIndexLike(column, dataset.rows) ? `${name} (numbers the rows)` : name };
  });
  return (
    <LabelledSelect
      label="Target column"
      data-testid={testId}
      value={data.target}
      onChange={(e) => {
        data.setTarget(e.target.value);
        if (dataset) rememberTarget(dataset.id, e.target.value);
        onPick(e.target.value);
      }}
      disabled={!dataset || disabled}
      {...invalidMark(invalid)}
      placeholder={!dataset ? 'Choose a dataset first' : targets.length === 0 ? 'No numeric columns' : data.target ? null : 'Choose the column to forecast…'}
      options={options}
    >
      {children}
    </LabelledSelect>
  );
}

/** The 0/1 column marking known anomalies, for the anomaly families: it chooses the threshold and scores the run. */
export function LabelColumnField({ data, testId, disabled, invalid, children }: FieldProps) {
  const { dataset } = data;
  const candidates = numericColumns(dataset).filter((c) => c !== data.target);
  return (
    <LabelledSelect
      label="Label column"
      title="A 0/1 column marking known anomalies: the threshold is chosen on its validation rows and the run is scored against it, never trained on"
      data-testid={testId}
      value={data.labelColumn}
      onChange={(e) => data.setLabelColumn(e.target.value)}
      disabled={!dataset || disabled}
      {...invalidMark(invalid)}
      placeholder={dataset ? 'None (threshold by the quantile rule, no precision or recall)' : 'Choose a dataset first'}
      options={candidates}
    >
      {children}
    </LabelledSelect>
  );
}

/** Extra numeric columns a forecast family reads beside the target's own past. */
export function ExogenousField({ data, testId, disabled, invalid, children }: FieldProps) {
  const candidates = numericColumns(data.dataset).filter((c) => c !== data.target && c !== data.dataset?.timeColumn);
  const toggle = (column: string, on: boolean) =>
    data.setExogenous(on ? [...data.exogenous.filter((c) => c !== column), column] : data.exogenous.filter((c) => c !== column));
  return (
    <fieldset className="field exogenous" data-testid={testId} {...invalidMark(invalid)}>
      <span>Exogenous columns</span>
      {candidates.length === 0 ? (
        <small className="muted">{data.dataset ? 'No other numeric columns' : 'Choose a dataset first'}</small>
      ) : (
        <div className="row">
          {candidates.map((c) => (
            <label className="check" key={c}>
              <input
                type="checkbox"
                data-testid={`${testId}-${c}`}
                checked={data.exogenous.includes(c)}
                onChange={(e) => toggle(c, e.target.checked)}
                disabled={disabled}
              />
              {c}
            </label>
          ))}
        </div>
      )}
      {children}
    </fieldset>
  );
}
