/**
 * The model family and its params, as the new-job and new-study forms ask for them. The families
 * and their params come from the core (system.families), so a family the core adds appears here
 * without a change to the UI; each param field shows its default as the placeholder.
 */
import { useEffect, type ReactNode } from 'react';
import type { ModelFamilyInfo } from '../../shared/contract';
import { useFamilies } from '../stores/families';
import { familyLabel } from './family-fields';
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

export function FamilySelect({
  families,
  loaded,
  value,
  onChange,
  testId,
  invalid,
  disabled,
  children,
}: {
  families: ModelFamilyInfo[];
  loaded: boolean;
  value: string;
  onChange: (name: string) => void;
  testId: string;
  invalid: boolean;
  disabled?: boolean;
  children?: ReactNode;
}) {
  return (
    <LabelledSelect
      label="Model"
      data-testid={testId}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      disabled={disabled || families.length === 0}
      {...invalidMark(invalid)}
      placeholder={families.length === 0 ? (loaded ? 'No model families' : 'Loading…') : null}
      options={families.map((f) => ({ value: f.name, label: familyLabel(f) }))}
    >
      {children}
    </LabelledSelect>
  );
}

/** One text field per param of the family; empty means the default shown as the placeholder. */
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
  const entries = Object.entries(family.defaults).filter(([key]) => !skip.includes(key));
  return (
    <div className="row params-grid" data-testid="family-params" data-family={family.name}>
      {entries.map(([key, fallback]) => (
        <label className="field" key={key}>
          <span>{key}</span>
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
