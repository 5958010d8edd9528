/**
 * The search-space editor: one row per parameter (name, type, low/high/log/step or the choices,
 * and optionally the parent it depends on with the parent's values that enable it). The row the
 * core's InvalidInput names is marked, with the message beside it.
 */
import type { SpaceParamType, SpaceRow } from './study-space';
import { emptyRow } from './study-space';

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
        const mark = invalid ? { 'aria-invalid': true as const, className: 'invalid' } : {};
        return (
          <div key={row.key} className={`space-row${invalid ? ' space-row-invalid' : ''}`} data-testid="space-row" data-param={name} data-invalid={invalid}>
            <input
              type="text"
              aria-label="Parameter name"
              data-testid="space-name"
              value={row.name}
              disabled={disabled}
              onChange={(e) => update(row.key, { name: e.target.value })}
              {...mark}
            />
            <select
              aria-label="Type"
              data-testid="space-type"
              value={row.type}
              disabled={disabled}
              onChange={(e) => update(row.key, { type: e.target.value as SpaceParamType })}
            >
              <option value="float">float</option>
              <option value="int">int</option>
              <option value="categorical">categorical</option>
            </select>
            {row.type === 'categorical' ? (
              <input
                type="text"
                aria-label="Choices"
                data-testid="space-choices"
                placeholder="choices, separated by commas"
                value={row.choices}
                disabled={disabled}
                onChange={(e) => update(row.key, { choices: e.target.value })}
                {...mark}
              />
            ) : (
              <span className="space-range">
                <input
                  type="text"
                  inputMode="decimal"
                  aria-label="Low"
                  data-testid="space-low"
                  placeholder="low"
                  value={row.low}
                  disabled={disabled}
                  onChange={(e) => update(row.key, { low: e.target.value })}
                  {...mark}
                />
                <input
                  type="text"
                  inputMode="decimal"
                  aria-label="High"
                  data-testid="space-high"
                  placeholder="high"
                  value={row.high}
                  disabled={disabled}
                  onChange={(e) => update(row.key, { high: e.target.value })}
                  {...mark}
                />
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
                <input
                  type="text"
                  inputMode="decimal"
                  aria-label="Step"
                  data-testid="space-step"
                  placeholder="step"
                  value={row.step}
                  disabled={disabled}
                  onChange={(e) => update(row.key, { step: e.target.value })}
                />
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
              {row.parent && (
                <input
                  type="text"
                  aria-label="Parent values"
                  data-testid="space-parent-values"
                  placeholder="values, separated by commas"
                  value={row.parentValues}
                  disabled={disabled}
                  onChange={(e) => update(row.key, { parentValues: e.target.value })}
                />
              )}
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
