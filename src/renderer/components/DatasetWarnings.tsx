/**
 * What training would later refuse in a dataset, shown as soon as it is imported or chosen: the
 * core's import warnings (unreadable cells, missing values per column, too few rows).
 *
 * Test ids: `dataset-warnings`, `dataset-warning` (data-kind, data-column).
 */
import type { Dataset } from '../../shared/contract';

export function DatasetWarnings({ dataset }: { dataset: Dataset | undefined }) {
  const warnings = dataset?.warnings ?? [];
  if (warnings.length === 0) return null;
  return (
    // Spans, not a list: this sits inside the dataset field's label.
    <span className="dataset-warnings" data-testid="dataset-warnings" role="status">
      {warnings.map((w, i) => (
        <small key={i} className="field-error" data-testid="dataset-warning" data-kind={w.kind} data-column={w.column ?? ''}>
          ⚠ {w.message}
        </small>
      ))}
    </span>
  );
}
