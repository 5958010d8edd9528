/**
 * "New study": what every trial trains (a dataset, existing or a bundled sample, its target column,
 * the model family from the core's list, its epochs when it has them, and the column fields that
 * family reads: a label column for the anomaly families, exogenous columns for the forecast ones,
 * the other hidden and never sent), the objective (a run metric and a direction), the search space
 * (prefilled from the family's default space and editable), and how to search (sampler, pruner,
 * budget, trials in flight, seed). The objective offers the keys the chosen family reports, its
 * default first (a validation metric); a test-split key needs the "select on test" box ticked, and
 * a family with no per-epoch series offers no pruner. The core validates everything; an InvalidInput naming a field
 * (`spec.space.lr`, `spec.budget`) is shown beside that field.
 *
 * Test ids (new study form): `study-form`, `study-name-input`, `study-dataset`, `study-sample`,
 * `study-import-sample`, `study-target`, `study-model`, `study-label`, `study-exogenous`, `study-epochs`, `study-metric`,
 * `study-direction`, `study-metric-hint`, `study-allow-test`, `study-pruner-note`, `space-editor` (data-rows), `space-row` (data-param, data-invalid),
 * `space-name`, `space-type`, `space-low`, `space-high`, `space-log`, `space-step`, `space-choices`,
 * `space-parent`, `space-parent-values`, `space-remove`, `space-add`, `space-error`,
 * `space-reset`, `space-status`, `study-sampler`, `study-multivariate`, `study-startup`,
 * `study-pruner`, `study-max-resource`, `study-budget-trials`, `study-budget-seconds`,
 * `study-parallelism`, `study-seed`, `study-priority`, `field-error-<control>` (the message beside a
 * field), `error-banner` (an error no field owns), `study-submit`, `study-form-cancel`.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import {
  PRIORITY_ORDER,
  type ModelFamily,
  type Direction,
  type PrunerSpecInput,
  type SamplerSpecInput,
  type StudySummary,
  type Priority,
  type StudyObjectives,
} from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { api } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { FormActions, invalidMark, PanelHead, useFormFeedback } from '../components/form-parts';
import { columnFieldsFor } from '../components/family-fields';
import { FamilySelect, useFamilyChoice } from '../components/FamilyFields';
import { LabelledSelect, type SelectOption } from '../components/LabelledSelect';
import { StudySpaceEditor } from '../components/StudySpaceEditor';
import { DatasetField, ExogenousField, LabelColumnField, SampleField, TargetField, useTrainingData } from '../components/TrainingDataFields';
import { rowsToSpace, spaceFieldParam, spaceToRows, type SpaceRow } from '../components/study-space';
import { useStudies } from '../stores/studies';

/** The keys offered first: validation ones (what a study selects on), then the rest. */
function orderedMetrics(o: StudyObjectives | null): StudyObjectives['metrics'] {
  if (!o) return [];
  const rank = { validation: 0, test: 1, train: 2 } as const;
  return [...o.metrics].sort((a, b) => rank[a.split] - rank[b.split]);
}

type SamplerType = 'tpe' | 'random' | 'grid';
type PrunerType = 'none' | 'median' | 'asha' | 'hyperband';

const DIRECTIONS: Direction[] = ['minimize', 'maximize'];
const SAMPLERS: (SelectOption & { value: SamplerType })[] = [
  { value: 'tpe', label: 'TPE' },
  { value: 'random', label: 'random' },
  { value: 'grid', label: 'grid (every combination once)' },
];
const PRUNERS: (SelectOption & { value: PrunerType })[] = [
  { value: 'none', label: 'none' },
  { value: 'median', label: 'median' },
  { value: 'asha', label: 'ASHA (successive halving)' },
  { value: 'hyperband', label: 'hyperband' },
];

export type StudyControl =
  | 'name'
  | 'dataset'
  | 'sample'
  | 'target'
  | 'model'
  | 'label'
  | 'exogenous'
  | 'epochs'
  | 'metric'
  | 'direction'
  | 'space'
  | 'sampler'
  | 'pruner'
  | 'budget'
  | 'parallelism'
  | 'seed'
  | 'priority';

/** Which control an InvalidInput's field points at. The core may name spec fields with or without `spec.`. */
export function studyControlForField(field: string | undefined): StudyControl | null {
  if (!field) return null;
  if (field.startsWith('train.')) {
    const f = field.slice(6);
    if (f.startsWith('datasetId')) return 'dataset';
    if (f.startsWith('target')) return 'target';
    if (f.startsWith('model')) return 'model';
    if (f.startsWith('labelColumn')) return 'label';
    if (f.startsWith('exogenous')) return 'exogenous';
    if (f.startsWith('params')) return 'epochs';
    return 'dataset';
  }
  if (field.startsWith('priority')) return 'priority';
  if (field.startsWith('source')) return 'sample';
  const f = field.replace(/^spec\./, '');
  if (spaceFieldParam(f) !== null || f === 'space' || f.startsWith('space')) return 'space';
  if (f.startsWith('objective.direction')) return 'direction';
  if (f.startsWith('allowTestObjective')) return 'metric';
  if (f.startsWith('objective')) return 'metric';
  for (const c of ['name', 'sampler', 'pruner', 'budget', 'parallelism', 'seed'] as const) if (f.startsWith(c)) return c;
  return null;
}

function defaultName(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `study-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}`;
}

export function StudyForm({ onCreated, onClose }: { onCreated: (study: StudySummary) => void; onClose: () => void }) {
  const data = useTrainingData();
  const { datasetId, target } = data;
  const [name, setName] = useState(defaultName);
  const choice = useFamilyChoice();
  const { model, family } = choice;
  // Families without epochs (the isolation forest) get no epochs field and send none.
  const hasEpochs = family !== undefined && 'epochs' in family.defaults;
  const [epochs, setEpochs] = useState('10');
  const [metric, setMetric] = useState('val.rmse');
  const [direction, setDirection] = useState<Direction>('minimize');
  const [allowTest, setAllowTest] = useState(false);
  const [objectives, setObjectives] = useState<StudyObjectives | null>(null);
  const [rows, setRows] = useState<SpaceRow[]>([]);
  const [spaceStatus, setSpaceStatus] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [sampler, setSampler] = useState<SamplerType>('tpe');
  const [multivariate, setMultivariate] = useState(false);
  const [startup, setStartup] = useState('10');
  const [pruner, setPruner] = useState<PrunerType>('median');
  const [maxResource, setMaxResource] = useState('');
  const [budgetTrials, setBudgetTrials] = useState('20');
  const [budgetSeconds, setBudgetSeconds] = useState('');
  const [parallelism, setParallelism] = useState('1');
  const [seed, setSeed] = useState('0');
  const [priority, setPriority] = useState<Priority>('normal');
  const { busy, error, invalid, fail, clear: clearError, run } = useFormFeedback<StudyControl, 'import' | 'submit'>(studyControlForField);

  // The model's default space, each time the model changes (edits to the previous model's space go)
  // or the user asks for it again (`spaceReloads` counts those asks).
  const [spaceReloads, setSpaceReloads] = useState(0);
  useEffect(() => {
    if (!model) return;
    let live = true;
    setSpaceStatus('loading');
    api()
      .studies.defaultSpace({ model: model as ModelFamily })
      .then((space) => {
        if (!live) return;
        setRows(spaceToRows(space));
        setSpaceStatus('ready');
      })
      .catch(() => {
        if (live) setSpaceStatus('failed');
      });
    return () => {
      live = false;
    };
  }, [model, spaceReloads]);

  // The objectives the model offers: its default becomes the objective, and a model with no
  // per-epoch series gets no pruner (the core would refuse one).
  useEffect(() => {
    if (!model) return;
    let live = true;
    api()
      .studies.objectives({ model: model as ModelFamily })
      .then((o) => {
        if (!live) return;
        setObjectives(o);
        setMetric(o.default.metric);
        setDirection(o.default.direction);
        setAllowTest(false);
        if (!o.prunable) setPruner('none');
      })
      .catch(() => {
        // Without the list the field stays free text; the core still checks the key at create.
        if (live) setObjectives(null);
      });
    return () => {
      live = false;
    };
  }, [model]);

  const resetSpace = () => setSpaceReloads((n) => n + 1);

  function chooseDataset(id: string): void {
    data.chooseDataset(id);
    if (invalid === 'dataset' || invalid === 'target') clearError();
  }

  const importSample = () => run('import', data.importSample, 'sample');

  function buildSampler(): SamplerSpecInput {
    if (sampler === 'tpe') return { type: 'tpe', multivariate, nStartupTrials: integer(startup, 'spec.sampler.nStartupTrials', 'Startup trials') };
    return { type: sampler };
  }

  function buildPruner(epochCount: number | undefined): PrunerSpecInput {
    if (pruner === 'hyperband') {
      const max = maxResource.trim() ? integer(maxResource, 'spec.pruner.maxResource', 'Max resource') : epochCount;
      if (max === undefined) throw new InvalidInput('Hyperband needs a max resource (the most epochs a trial runs)', 'spec.pruner.maxResource');
      return { type: 'hyperband', maxResource: max };
    }
    return { type: pruner };
  }

  const metrics = orderedMetrics(objectives);
  const metricChoice = metrics.find((m) => m.key === metric.trim());
  const prunable = objectives?.prunable ?? true;

  async function submit(ev: FormEvent): Promise<void> {
    ev.preventDefault();
    if (busy) return;
    clearError();
    let input: Parameters<ReturnType<typeof api>['studies']['create']>[0];
    try {
      if (!datasetId) throw new InvalidInput('Choose a dataset, or import a bundled sample', 'train.datasetId');
      if (!target) throw new InvalidInput('Choose the column to forecast', 'train.target');
      if (!family) throw new InvalidInput('Choose a model', 'train.model');
      const epochCount = hasEpochs && epochs.trim() ? integer(epochs, 'train.params.epochs', 'Epochs') : undefined;
      const trials = budgetTrials.trim() ? integer(budgetTrials, 'spec.budget.trials', 'Trials') : undefined;
      const seconds = budgetSeconds.trim() ? positive(budgetSeconds, 'spec.budget.seconds', 'Time budget') : undefined;
      input = {
        spec: {
          name: name.trim(),
          objective: { metric: metric.trim(), direction },
          allowTestObjective: allowTest && metricChoice?.split === 'test',
          space: rowsToSpace(rows),
          sampler: buildSampler(),
          pruner: buildPruner(epochCount),
          budget: { ...(trials !== undefined ? { trials } : {}), ...(seconds !== undefined ? { seconds } : {}) },
          parallelism: integer(parallelism, 'spec.parallelism', 'Trials in flight'),
          seed: integer(seed, 'spec.seed', 'Seed'),
        },
        train: {
          kind: 'train',
          datasetId,
          target,
          model: family.name as ModelFamily,
          params: epochCount !== undefined ? { epochs: epochCount } : {},
          ...columnFieldsFor(family, data),
          experiment: name.trim() || 'Default',
        },
        priority,
      };
    } catch (err) {
      return fail(err);
    }
    await run('submit', async () => onCreated(await useStudies.getState().create(input)));
  }

  const inv = (c: StudyControl) => invalidMark(invalid === c);
  /** The error's message beside the control it is about. */
  const besideField = (c: StudyControl): ReactNode =>
    invalid === c && error && c !== 'space' ? (
      <small className="field-error" data-testid={`field-error-${c}`} role="alert">
        {error.message}
      </small>
    ) : null;

  return (
    <form className="panel study-form" onSubmit={submit} noValidate data-testid="study-form" aria-label="New study">
      <PanelHead title="New study" onClose={onClose} />

      <div className="form-grid">
        <fieldset className="form-block">
          <legend>What each trial trains</legend>
          <DatasetField
            data={data}
            testId="study-dataset"
            emptyHint="No datasets yet: import a sample"
            onChoose={chooseDataset}
            disabled={busy !== null}
            invalid={invalid === 'dataset'}
          >
            {besideField('dataset')}
          </DatasetField>
          <SampleField
            data={data}
            testId="study-sample"
            buttonTestId="study-import-sample"
            onImport={importSample}
            importing={busy === 'import'}
            disabled={busy !== null}
            invalid={invalid === 'sample'}
          >
            {besideField('sample')}
          </SampleField>
          <TargetField
            data={data}
            testId="study-target"
            onPick={() => {
              if (invalid === 'target') clearError();
            }}
            disabled={busy !== null}
            invalid={invalid === 'target'}
          >
            {besideField('target')}
          </TargetField>
          <div className="row">
            <FamilySelect
              choice={choice}
              testId="study-model"
              invalid={invalid === 'model'}
            >
              {besideField('model')}
            </FamilySelect>
            {hasEpochs && (
              <label className="field" title="Epochs each trial trains for (the space may tune them instead)">
                <span>Epochs per trial</span>
                <input type="number" inputMode="numeric" min={1} data-testid="study-epochs" value={epochs} onChange={(e) => setEpochs(e.target.value)} {...inv('epochs')} />
                {besideField('epochs')}
              </label>
            )}
          </div>
          {family?.uses.labelColumn && (
            <LabelColumnField data={data} testId="study-label" disabled={busy !== null} invalid={invalid === 'label'}>
              {besideField('label')}
            </LabelColumnField>
          )}
          {family?.uses.exogenous && (
            <ExogenousField data={data} testId="study-exogenous" disabled={busy !== null} invalid={invalid === 'exogenous'}>
              {besideField('exogenous')}
            </ExogenousField>
          )}
          <label className="field">
            <span>Study name</span>
            <input type="text" data-testid="study-name-input" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} {...inv('name')} />
            {besideField('name')}
          </label>
        </fieldset>

        <fieldset className="form-block">
          <legend>Objective and search</legend>
          <div className="row">
            <label className="field">
              <span>Objective metric</span>
              <input
                type="text"
                list="study-metrics"
                data-testid="study-metric"
                value={metric}
                onChange={(e) => {
                  setMetric(e.target.value);
                  const known = metrics.find((m) => m.key === e.target.value);
                  if (known) setDirection(known.direction);
                }}
                {...inv('metric')}
              />
              <datalist id="study-metrics">
                {metrics.map((m) => (
                  <option key={m.key} value={m.key} label={m.split === 'validation' ? 'validation' : `${m.split} split`} />
                ))}
              </datalist>
              {besideField('metric')}
            </label>
            <LabelledSelect label="Direction" data-testid="study-direction" value={direction} onChange={(e) => setDirection(e.target.value as Direction)} {...inv('direction')} options={DIRECTIONS}>
              {besideField('direction')}
            </LabelledSelect>
          </div>
          <ObjectiveHint model={model} metric={metric.trim()} choice={metricChoice} known={objectives !== null} allowTest={allowTest} onAllowTest={setAllowTest} />
          <div className="row">
            <LabelledSelect label="Sampler" data-testid="study-sampler" value={sampler} onChange={(e) => setSampler(e.target.value as SamplerType)} {...inv('sampler')} options={SAMPLERS}>
              {besideField('sampler')}
            </LabelledSelect>
            {sampler === 'tpe' && (
              <label className="field" title="Random trials before TPE takes over">
                <span>Startup trials</span>
                <input type="number" min={0} data-testid="study-startup" value={startup} onChange={(e) => setStartup(e.target.value)} />
              </label>
            )}
          </div>
          {sampler === 'tpe' && (
            <label className="check">
              <input type="checkbox" data-testid="study-multivariate" checked={multivariate} onChange={(e) => setMultivariate(e.target.checked)} />
              multivariate (model the parameters jointly)
            </label>
          )}
          <div className="row">
            <LabelledSelect
              label="Pruner"
              data-testid="study-pruner"
              value={pruner}
              disabled={!prunable}
              onChange={(e) => setPruner(e.target.value as PrunerType)}
              {...inv('pruner')}
              options={prunable ? PRUNERS : PRUNERS.filter((p) => p.value === 'none')}
            >
              {besideField('pruner')}
            </LabelledSelect>
            {pruner === 'hyperband' && (
              <label className="field" title="The most epochs a trial runs; empty: the epochs per trial">
                <span>Max resource</span>
                <input type="number" min={1} data-testid="study-max-resource" placeholder={epochs} value={maxResource} onChange={(e) => setMaxResource(e.target.value)} />
              </label>
            )}
          </div>
          {!prunable && (
            <small className="muted" data-testid="study-pruner-note">
              {model} reports no per-epoch series, so there is nothing to prune on: every trial runs to the end.
            </small>
          )}
          <div className="row">
            <label className="field">
              <span>Trials</span>
              <input type="number" min={1} data-testid="study-budget-trials" value={budgetTrials} onChange={(e) => setBudgetTrials(e.target.value)} {...inv('budget')} />
            </label>
            <label className="field" title="Optional: stop starting trials after this many seconds">
              <span>Time (s)</span>
              <input type="number" min={1} data-testid="study-budget-seconds" placeholder="none" value={budgetSeconds} onChange={(e) => setBudgetSeconds(e.target.value)} {...inv('budget')} />
            </label>
            <label className="field" title="Trials running at once">
              <span>In flight</span>
              <input type="number" min={1} data-testid="study-parallelism" value={parallelism} onChange={(e) => setParallelism(e.target.value)} {...inv('parallelism')} />
            </label>
            <label className="field">
              <span>Seed</span>
              <input type="number" min={0} data-testid="study-seed" value={seed} onChange={(e) => setSeed(e.target.value)} {...inv('seed')} />
            </label>
            <LabelledSelect label="Priority" data-testid="study-priority" value={priority} onChange={(e) => setPriority(e.target.value as Priority)} {...inv('priority')} options={PRIORITY_ORDER} />
          </div>
          {besideField('budget')}
          {besideField('parallelism')}
          {besideField('seed')}
          {besideField('priority')}
        </fieldset>

        <fieldset className="form-block form-block-wide">
          <legend>Search space</legend>
          <div className="row space-toolbar">
            <small className="muted" data-testid="space-status" data-status={spaceStatus}>
              {spaceStatus === 'loading'
                ? `Loading the default space for ${model}…`
                : spaceStatus === 'failed'
                  ? `The default space for ${model} could not be loaded; add the parameters yourself.`
                  : `Prefilled from ${model}'s default space; edit freely.`}
            </small>
            <span className="spacer" />
            <button type="button" className="button button-small" data-testid="space-reset" onClick={resetSpace}>
              Reset to {model}'s defaults
            </button>
          </div>
          <StudySpaceEditor
            rows={rows}
            onChange={(next) => {
              setRows(next);
              if (invalid === 'space') clearError();
            }}
            invalidRow={invalid === 'space' ? spaceRowName(error?.field, rows) : null}
            message={invalid === 'space' ? (error?.message ?? null) : null}
            disabled={busy !== null}
          />
          {invalid === 'space' && error && spaceRowName(error.field, rows) === null && (
            <small className="field-error" data-testid="field-error-space" role="alert">
              {error.message}
            </small>
          )}
        </fieldset>
      </div>

      {/* An error no field owns is shown here, where the user acts. */}
      <ErrorBanner message={error && invalid === null ? error.message : null} onDismiss={clearError} />

      <FormActions
        note="Each trial runs as a training job through the queue."
        onCancel={onClose}
        cancelTestId="study-form-cancel"
        submitTestId="study-submit"
        busy={busy !== null}
        submitting={busy === 'submit'}
        label="Start study"
        busyLabel="Creating…"
      />
    </form>
  );
}

/** The editor row an error names, when one of the rows has that name (or is the unnamed row it counts). */
function spaceRowName(field: string | undefined, rows: SpaceRow[]): string | null {
  const param = spaceFieldParam(field);
  if (param === null) return null;
  if (/^#\d+$/.test(param)) return param;
  return rows.some((r) => r.name.trim() === param) ? param : null;
}

function integer(raw: string, field: string, label: string): number {
  const t = raw.trim();
  if (!/^-?\d+$/.test(t)) throw new InvalidInput(`${label} must be a whole number`, field);
  return Number(t);
}

function positive(raw: string, field: string, label: string): number {
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n <= 0) throw new InvalidInput(`${label} must be a number above 0`, field);
  return n;
}

/** Under the objective: where the chosen key is measured, and the box a test-split key needs. */
function ObjectiveHint({
  model,
  metric,
  choice,
  known,
  allowTest,
  onAllowTest,
}: {
  model: string;
  metric: string;
  choice: StudyObjectives['metrics'][number] | undefined;
  known: boolean;
  allowTest: boolean;
  onAllowTest: (v: boolean) => void;
}) {
  if (!known || metric === '') return null;
  if (!choice) {
    return (
      <small className="field-error" data-testid="study-metric-hint">
        {model} runs do not report {metric}; pick one of the listed keys.
      </small>
    );
  }
  if (choice.split === 'validation') {
    return (
      <small className="muted" data-testid="study-metric-hint">
        Measured on the validation split{choice.perEpoch ? ', per epoch (the value of the kept weights)' : ''}; the test split stays for reporting.
      </small>
    );
  }
  if (choice.split === 'train') {
    return (
      <small className="field-error" data-testid="study-metric-hint">
        {metric} is measured on the training rows and rewards overfitting; choose a validation metric.
      </small>
    );
  }
  return (
    <div>
      <small className="field-error" data-testid="study-metric-hint">
        {metric} is measured on the test split. Select on validation, report on test: optimising it makes the test score overstate the model.
      </small>
      <label className="check">
        <input type="checkbox" data-testid="study-allow-test" checked={allowTest} onChange={(e) => onAllowTest(e.target.checked)} />
        select on the test split anyway (the study is marked so everywhere)
      </label>
    </div>
  );
}
