/**
 * A select with its label: the pattern every form, filter and chart control repeats. The options
 * are plain strings (shown as they are) or value/label pairs; `placeholder` adds a first option with
 * the empty value ("any", "Choose a dataset first"). Anything else a select takes (data-testid,
 * disabled, aria-invalid, onChange) passes through, so a caller reads like the markup it replaces.
 */
import type { ReactNode, SelectHTMLAttributes } from 'react';

export interface SelectOption {
  value: string;
  label: string;
}

export type SelectOptions = readonly (string | SelectOption)[];

export interface LabelledSelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children' | 'title'> {
  label: ReactNode;
  options: SelectOptions;
  /** A first option with the empty value; left out when null or undefined. */
  placeholder?: ReactNode;
  /** The label's class: `field` in forms, `filter` in the jobs filters, `inline-field` beside charts. */
  fieldClass?: string;
  /** The label's tooltip. */
  title?: string;
  /** Shown after the select, inside the label (a field's error, a hint). */
  children?: ReactNode;
  'data-testid'?: string;
}

export function LabelledSelect({ label, options, placeholder, fieldClass = 'field', title, children, ...select }: LabelledSelectProps) {
  return (
    <label className={fieldClass} title={title}>
      <span>{label}</span>
      <select {...select}>
        {placeholder !== undefined && placeholder !== null && <option value="">{placeholder}</option>}
        <OptionList options={options} />
      </select>
      {children}
    </label>
  );
}

/** The `<option>`s of a select, for the few selects that are not laid out as a labelled field. */
export function OptionList({ options }: { options: SelectOptions }) {
  return (
    <>
      {options.map((o) => {
        const { value, label } = typeof o === 'string' ? { value: o, label: o } : o;
        return (
          <option key={value} value={value}>
            {label}
          </option>
        );
      })}
    </>
  );
}
