/**
 * The search-space editor: one row per parameter (name, type, low/high/log/step or the choices,
 * and optionally the parent it depends on with the parent's values that enable it). The row the
 * core's InvalidInput names is marked, with the message beside it.
 */
import type { SpaceParamType, SpaceRow } from './study-space';
import { emptyRow } from './study-space';
import { invalidMark } from './form-parts';
import { OptionList } from './LabelledSelect';

/** The fields of a row typed as text. */
type TextField = 'name' | 'choices' | 'low' | 'high' | 'step' | 'parentValues';

const TYPES: SpaceParamType[] = ['float', 'int', 'categorical'];

export function StudySpaceEditor({
  rows,
  onChange,
  invalidRow,
  message,
  disabled = false,
}: {
  rows: SpaceRow[];
  onChange: (rows: SpaceRow[]) => void;
  /** The name of the row the error is about (or `#<index>` for a row without a name). */
  invalidRow: string | null;
  message: string | null;
  disabled?: boolean;
}) {
  const update = (key: string, patch: Partial<SpaceRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const names = rows.map((r) => r.name.trim()).filter(Boolean);
  return (
    <div className="space-editor" data-testid="space-editor" data-rows={rows.length}>
      <div className="space-row space-head" aria-hidden="true">
        <span>Name</span>
        <span>Type</span>
        <span>Range or choices</span>
        <span>Only when</span>
        <span />
      </div>
      {rows.map((row, i) => {
        const name = row.name.trim();
        const invalid = invalidRow !== null && (invalidRow === name || invalidRow === `#${i}`);
        /** One text box of the row; `marked` ones show the row's error. */
        const text = (field: TextField, label: string, testId: string, opts: { placeholder?: string; decimal?: boolean; marked?: boolean } = {}) => (
          <input
            type="text"
            inputMode={opts.decimal ? 'decimal' : undefined}
            aria-label={label}
            data-testid={testId}
            placeholder={opts.placeholder}
            value={row[field]}
            disabled={disabled}
            onChange={(e) => update(row.key, { [field]: e.target.value })}
            {...invalidMark(invalid && opts.marked === true)}
          />
        );
        return (
          <div key={row.key} className={`space-row${invalid ? ' space-row-invalid' : ''}`} data-testid="space-row" data-param={name} data-invalid={invalid}>
            {text('name', 'Parameter name', 'space-name', { marked: true })}
            <select
              aria-label="Type"
              data-testid="space-type"
              value={row.type}
              disabled={disabled}
              onChange={(e) => update(row.key, { type: e.target.value as SpaceParamType })}
            >
              <OptionList options={TYPES} />
            </select>
            {row.type === 'categorical' ? (
              text('choices', 'Choices', 'space-choices', { placeholder: 'choices, separated by commas', marked: true })
            ) : (
              <span className="space-range">
                {text('low', 'Low', 'space-low', { placeholder: 'low', decimal: true, marked: true })}
                {text('high', 'High', 'space-high', { placeholder: 'high', decimal: true, marked: true })}
                <label className="check" title="Sample on a log scale (low must be above 0)">
                  <input
                    type="checkbox"
                    data-testid="space-log"
                    checked={row.log}
                    disabled={disabled}
                    onChange={(e) => update(row.key, { log: e.target.checked })}
                  />
                  log
                </label>
                {text('step', 'Step', 'space-step', { placeholder: 'step', decimal: true })}
              </span>
            )}
            <span className="space-when">
              <select
                aria-label="Parent parameter"
                data-testid="space-parent"
                value={row.parent}
                disabled={disabled}
                onChange={(e) => update(row.key, { parent: e.target.value })}
              >
                <option value="">always</option>
                {names
                  .filter((n) => n !== name)
                  .map((n) => (
                    <option key={n} value={n}>
                      {n} =
                    </option>
                  ))}
              </select>
              {row.parent && text('parentValues', 'Parent values', 'space-parent-values', { placeholder: 'values, separated by commas' })}
            </span>
            <button
              type="button"
              className="link-button"
              data-testid="space-remove"
              aria-label={`Remove ${name || 'parameter'}`}
              title="Remove"
              disabled={disabled}
              onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
            >
              ×
            </button>
            {invalid && message && (
              <small className="field-error space-error" data-testid="space-error">
                {message}
              </small>
            )}
          </div>
        );
      })}
      <button type="button" className="button button-small" data-testid="space-add" disabled={disabled} onClick={() => onChange([...rows, emptyRow()])}>
        Add parameter
      </button>
    </div>
  );
}
