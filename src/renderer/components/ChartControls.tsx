/** The settings every metric chart on a page shares: x axis, log scale, EMA smoothing. */
import { X_MODES, type XMode } from './chart-data';
import { LabelledSelect } from './LabelledSelect';

export interface ChartSettings {
  xMode: XMode;
  log: boolean;
  /** EMA weight, 0 (raw) to 0.99. */
  smoothing: number;
}

export const DEFAULT_CHART_SETTINGS: ChartSettings = { xMode: 'step', log: false, smoothing: 0 };

export function ChartControls({ value, onChange }: { value: ChartSettings; onChange: (next: ChartSettings) => void }) {
  return (
    <div className="chart-controls" data-testid="chart-controls">
      <LabelledSelect
        fieldClass="inline-field"
        label="X axis"
        value={value.xMode}
        onChange={(e) => onChange({ ...value, xMode: e.target.value as XMode })}
        data-testid="chart-x-mode"
        options={X_MODES}
      />
      <label className="inline-field">
        <input type="checkbox" checked={value.log} onChange={(e) => onChange({ ...value, log: e.target.checked })} data-testid="chart-log" />
        <span>Log scale</span>
      </label>
      <label className="inline-field">
        <span>Smoothing</span>
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={value.smoothing}
          onChange={(e) => onChange({ ...value, smoothing: Number(e.target.value) })}
          data-testid="chart-smoothing"
        />
        <span className="num smoothing-value">{value.smoothing.toFixed(2)}</span>
      </label>
    </div>
  );
}
