/**
 * How a training job treats its rows before any split, as the New job form asks for it: time
 * order, repeated timestamps, missing values, and where validation and test begin (by the model's
 * fraction params, by row, or by date). `useDataHandling` holds the choice and turns it into the
 * spec's `data` object; left at the defaults, the spec carries none.
 *
 * Test ids: `data-handling`, `time-order-select`, `duplicates-select`, `missing-select`,
 * `split-mode-select`, `split-val-row`, `split-test-row`, `split-val-from`, `split-test-from`.
 */
import { useState } from 'react';
import { DuplicatePolicy, MissingPolicy, TimeOrder, type DataHandlingInput } from '../../shared/contract';
import { invalidMark } from './form-parts';
import { LabelledSelect } from './LabelledSelect';

type SplitMode = 'fractions' | 'rows' | 'dates';

/** Short option labels (the selects sit three to a row); the field's tooltip says what each does. */
const TIME_ORDER_LABELS: Record<TimeOrder, string> = { sort: 'sort (default)', file: 'file order', refuse: 'refuse' };
const DUPLICATE_LABELS: Record<DuplicatePolicy, string> = { refuse: 'refuse (default)', first: 'first', last: 'last', mean: 'mean' };
const MISSING_LABELS: Record<MissingPolicy, string> = { refuse: 'refuse (default)', drop: 'drop rows', interpolate: 'interpolate', ffill: 'fill forward' };
const SPLIT_LABELS: Record<SplitMode, string> = { fractions: 'fractions', rows: 'row indices', dates: 'dates' };

const HINTS = {
  timeOrder: "Rows out of time order: sort them by time, keep the file's order (a warning for each such row), or refuse the file",
  duplicates: 'Rows sharing a timestamp: refuse, or keep the first row, the last row, or the mean of each column (a 0/1 label takes the max)',
  missing: 'Missing target or exogenous values: refuse, drop their rows, interpolate linearly between neighbours, or carry the last value forward',
  split: "Where validation and test begin: by the model's valFraction/testFraction params (floored), at row indices, or at dates",
};

const options = <K extends string>(labels: Record<K, string>) => (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));

export interface DataHandlingChoice {
  timeOrder: TimeOrder;
  duplicates: DuplicatePolicy;
  missing: MissingPolicy;
  splitMode: SplitMode;
  valStart: string;
  testStart: string;
  valFrom: string;
  testFrom: string;
}

export interface DataHandlingState extends DataHandlingChoice {
  set(change: Partial<DataHandlingChoice>): void;
  /** The spec's `data`, or undefined at the defaults; throws when a split field is not filled in. */
  spec(): DataHandlingInput | undefined;
}

export const DEFAULT_DATA_HANDLING: DataHandlingChoice = {
  timeOrder: 'sort',
  duplicates: 'refuse',
  missing: 'refuse',
  splitMode: 'fractions',
  valStart: '',
  testStart: '',
  valFrom: '',
  testFrom: '',
};

const rowIndex = (raw: string, label: string): number => {
  const t = raw.trim();
  if (!/^\d+$/.test(t)) throw new Error(`${label} must be a row index (a whole number: 0-based, counted after resolution)`);
  return Number(t);
};

function required(raw: string, label: string): string {
  if (!raw.trim()) throw new Error(`${label} needs a date, such as 2010-11-01`);
  return raw.trim();
}

/**
 * The form's choice as the spec's `data`: only what differs from the defaults, undefined when
 * nothing does (so a plain job's spec is unchanged). Throws when a split field is not filled in;
 * the core checks the rest (rows in range, dates in order) and names the field.
 */
export function dataHandlingSpec(c: DataHandlingChoice): DataHandlingInput | undefined {
  const split =
    c.splitMode === 'rows'
      ? { rows: [rowIndex(c.valStart, 'First validation row'), rowIndex(c.testStart, 'First test row')] as [number, number] }
      : c.splitMode === 'dates'
        ? { valFrom: required(c.valFrom, 'Validation from'), testFrom: required(c.testFrom, 'Test from') }
        : undefined;
  const data: DataHandlingInput = {
    ...(c.timeOrder !== DEFAULT_DATA_HANDLING.timeOrder ? { timeOrder: c.timeOrder } : {}),
    ...(c.duplicates !== DEFAULT_DATA_HANDLING.duplicates ? { duplicates: c.duplicates } : {}),
    ...(c.missing !== DEFAULT_DATA_HANDLING.missing ? { missing: c.missing } : {}),
    ...(split ? { split } : {}),
  };
  return Object.keys(data).length > 0 ? data : undefined;
}

export function useDataHandling(): DataHandlingState {
  const [choice, setChoice] = useState<DataHandlingChoice>(DEFAULT_DATA_HANDLING);
  return {
    ...choice,
    set: (change) => setChoice((cur) => ({ ...cur, ...change })),
    spec: () => dataHandlingSpec(choice),
  };
}

export function DataHandlingFields({ state, disabled, invalid }: { state: DataHandlingState; disabled: boolean; invalid: boolean }) {
  const mark = invalidMark(invalid);
  return (
    <fieldset className="form-block" data-testid="data-handling">
      <legend>Data handling</legend>
      <div className="row">
        <LabelledSelect
          label="Time order"
          title={HINTS.timeOrder}
          data-testid="time-order-select"
          value={state.timeOrder}
          onChange={(e) => state.set({ timeOrder: e.target.value as TimeOrder })}
          disabled={disabled}
          options={options(TIME_ORDER_LABELS)}
        />
        <LabelledSelect
          label="Repeated timestamps"
          title={HINTS.duplicates}
          data-testid="duplicates-select"
          value={state.duplicates}
          onChange={(e) => state.set({ duplicates: e.target.value as DuplicatePolicy })}
          disabled={disabled}
          options={options(DUPLICATE_LABELS)}
        />
        <LabelledSelect
          label="Missing values"
          title={HINTS.missing}
          data-testid="missing-select"
          value={state.missing}
          onChange={(e) => state.set({ missing: e.target.value as MissingPolicy })}
          disabled={disabled}
          options={options(MISSING_LABELS)}
        />
      </div>
      <div className="row">
        <LabelledSelect
          label="Split"
          title={HINTS.split}
          data-testid="split-mode-select"
          value={state.splitMode}
          onChange={(e) => state.set({ splitMode: e.target.value as SplitMode })}
          disabled={disabled}
          options={options(SPLIT_LABELS)}
          {...mark}
        />
        {state.splitMode === 'rows' && (
          <>
            <label className="field" title="0-based index of the first validation row, counted after time order, duplicates and missing values are resolved">
              <span>First validation row</span>
              <input type="number" min={1} inputMode="numeric" data-testid="split-val-row" value={state.valStart} onChange={(e) => state.set({ valStart: e.target.value })} disabled={disabled} {...mark} />
            </label>
            <label className="field" title="0-based index of the first test row; test runs to the last row">
              <span>First test row</span>
              <input type="number" min={2} inputMode="numeric" data-testid="split-test-row" value={state.testStart} onChange={(e) => state.set({ testStart: e.target.value })} disabled={disabled} {...mark} />
            </label>
          </>
        )}
        {state.splitMode === 'dates' && (
          <>
            <label className="field" title="Validation starts at the first row at or after this date (UTC unless a zone is given)">
              <span>Validation from</span>
              <input type="text" placeholder="2010-11-01" data-testid="split-val-from" value={state.valFrom} onChange={(e) => state.set({ valFrom: e.target.value })} disabled={disabled} {...mark} />
            </label>
            <label className="field" title="Test starts at the first row at or after this date">
              <span>Test from</span>
              <input type="text" placeholder="2010-12-01" data-testid="split-test-from" value={state.testFrom} onChange={(e) => state.set({ testFrom: e.target.value })} disabled={disabled} {...mark} />
            </label>
          </>
        )}
      </div>
    </fieldset>
  );
}
