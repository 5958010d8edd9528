/**
 * The run page's data summary: the exact boundaries of train, validation and test (first and last
 * row, 0-based after resolution, and their timestamps) and what was done to the file's rows (time
 * order, repeated timestamps, missing values), read from the run's `data.*` and `split.*` params.
 *
 * `DataHandlingFact` is the job's own choice, shown on the job before any run has recorded a summary.
 *
 * Test ids: `job-data-handling`, `run-data-summary` (data-method), `run-split-part` (data-part, data-first-row,
 * data-last-row), `run-data-resolution` (the value of each resolution), `run-data-summary-missing`.
 */
import type { DataHandling, ParamValue } from '../../shared/contract';
import { SPLIT_PART_NAMES, resolutionPhrases, runDataSummary } from '../../shared/run-data';
import { fmtInt } from '../lib/format';
import { Fact } from './Fact';

export function RunDataSummary({ params }: { params: Record<string, ParamValue> }) {
  const d = runDataSummary(params);
  if (!d) {
    return (
      <p className="muted" data-testid="run-data-summary-missing">
        The split boundaries are recorded when the run completes.
      </p>
    );
  }
  return (
    <div data-testid="run-data-summary" data-method={d.method}>
      <table className="table">
        <caption className="muted">Split by {d.method}; rows are 0-based data rows after resolution, both ends included.</caption>
        <thead>
          <tr>
            <th scope="col">Part</th>
            <th scope="col" className="num">First row</th>
            <th scope="col" className="num">Last row</th>
            <th scope="col" className="num">Rows</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
          </tr>
        </thead>
        <tbody>
          {d.parts.map((p) => (
            <tr key={p.part} data-testid="run-split-part" data-part={p.part} data-first-row={p.firstRow} data-last-row={p.lastRow}>
              <th scope="row">{SPLIT_PART_NAMES[p.part]}</th>
              <td className="num mono">{p.firstRow}</td>
              <td className="num mono">{p.lastRow}</td>
              <td className="num">{fmtInt(p.lastRow - p.firstRow + 1)}</td>
              <td className="mono">{p.from ?? '—'}</td>
              <td className="mono">{p.to ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="facts">
        {resolutionPhrases(d).map((r) => (
          <Fact key={r.label} label={r.label} testId="run-data-resolution">
            {r.text}
          </Fact>
        ))}
      </dl>
    </div>
  );
}

/** A job's data options in one line of its facts list; nothing for a job left at the defaults. */
export function DataHandlingFact({ data }: { data: DataHandling | undefined }) {
  if (!data) return null;
  const split = !data.split ? 'by fractions' : 'rows' in data.split ? `at rows ${data.split.rows.join(', ')}` : `from ${data.split.valFrom} / ${data.split.testFrom}`;
  return (
    <div className="facts-wide">
      <dt>Data</dt>
      <dd className="mono" data-testid="job-data-handling">
        time order {data.timeOrder} · duplicates {data.duplicates} · missing {data.missing} · split {split}
      </dd>
    </div>
  );
}
