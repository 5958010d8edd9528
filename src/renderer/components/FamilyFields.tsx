/**
 * The model family and its params, as the new-job and new-study forms ask for them. The families
 * and their params come from the core (system.families), so a family the core adds appears here
 * without a change to the UI; each param field shows its default as the placeholder.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { ModelFamilyInfo } from '../../shared/contract';
import { useFamilies } from '../stores/families';
import { familyLabel, initialFamily } from './family-fields';
import { invalidMark } from './form-parts';
import { LabelledSelect } from './LabelledSelect';

/** The families the core offers, loaded on first use. */
export function useFamilyList(): { families: ModelFamilyInfo[]; loaded: boolean; error: string | null } {
  const families = useFamilies((s) => s.list);
  const loaded = useFamilies((s) => s.loaded);
  const error = useFamilies((s) => s.error);
  useEffect(() => {
    void useFamilies.getState().load();
  }, []);
  return { families, loaded, error };
}

export interface FamilyChoice {
  families: ModelFamilyInfo[];
  loaded: boolean;
  error: string | null;
  /** The chosen family's name ('' until the list has come). */
  model: string;
  setModel(name: string): void;
  family: ModelFamilyInfo | undefined;
}

/** A form's choice of family: the core's default once the list has come, then the user's. */
export function useFamilyChoice(): FamilyChoice {
  const { families, loaded, error } = useFamilyList();
  const [model, setModel] = useState('');
  useEffect(() => {
    if (!model && families.length > 0) setModel(initialFamily(families));
  }, [families, model]);
  return { families, loaded, error, model, setModel, family: families.find((f) => f.name === model) };
}

/** The family select; `onChosen` runs after the choice changed, for what else the form resets. */
export function FamilySelect({
  choice,
  onChosen,
  testId,
  invalid,
  disabled,
  children,
}: {
  choice: FamilyChoice;
  onChosen?: (family: ModelFamilyInfo | undefined) => void;
  testId: string;
  invalid: boolean;
  disabled?: boolean;
  children?: ReactNode;
}) {
  const { families, loaded } = choice;
  return (
    <LabelledSelect
      label="Model"
      data-testid={testId}
      value={choice.model}
      onChange={(e) => {
        choice.setModel(e.target.value);
        onChosen?.(families.find((f) => f.name === e.target.value));
      }}
      disabled={disabled || families.length === 0}
      {...invalidMark(invalid)}
      placeholder={families.length === 0 ? (loaded ? 'No model families' : 'Loading…') : null}
      options={families.map((f) => ({ value: f.name, label: familyLabel(f) }))}
    >
      {children}
    </LabelledSelect>
  );
}

/** The params a researcher sets most, first and in words; the rest follow in the core's order under their own names. */
const LEADING_PARAMS: Record<string, string> = {
  horizon: 'horizon',
  window: 'window',
  learningRate: 'learning rate',
  valFraction: 'validation fraction',
  testFraction: 'test fraction',
  epochs: 'epochs',
};

/** The family's params, the leading ones first. */
export function orderedParams(defaults: ModelFamilyInfo['defaults']): [string, ModelFamilyInfo['defaults'][string]][] {
  const lead = Object.keys(LEADING_PARAMS).filter((k) => k in defaults);
  const rest = Object.keys(defaults).filter((k) => !(k in LEADING_PARAMS));
  return [...lead, ...rest].map((k) => [k, defaults[k]]);
}

/** One text field per param of the family, labelled with the core's default; empty means that default, shown as the placeholder. */
export function FamilyParamsFields({
  family,
  values,
  onChange,
  invalidKey,
  testIdPrefix = 'param-',
  skip = [],
}: {
  family: ModelFamilyInfo | undefined;
  values: Record<string, string>;
  onChange: (key: string, value: string) => void;
  /** The param an error is about, marked. */
  invalidKey: string | null;
  testIdPrefix?: string;
  /** Params the form asks for elsewhere. */
  skip?: string[];
}) {
  if (!family) return null;
  const entries = orderedParams(family.defaults).filter(([key]) => !skip.includes(key));
  return (
    <div className="row params-grid" data-testid="family-params" data-family={family.name}>
      {entries.map(([key, fallback]) => (
        <label className="field" key={key} title={`${key}: empty keeps the ${family.name} default, ${String(fallback)}`}>
          <span>
            {LEADING_PARAMS[key] ?? key} <small className="muted" data-testid={`${testIdPrefix}${key}-default`}>= {String(fallback)}</small>
          </span>
          <input
            type="text"
            inputMode={typeof fallback === 'number' ? 'decimal' : 'text'}
            data-testid={`${testIdPrefix}${key}`}
            placeholder={String(fallback)}
            value={values[key] ?? ''}
            onChange={(e) => onChange(key, e.target.value)}
            {...invalidMark(invalidKey === key)}
          />
        </label>
      ))}
    </div>
  );
}
