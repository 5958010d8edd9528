/**
 * What a dataset holds, column by column and row by row: the column profile (type, missing count,
 * min and max, and a sparkline of each numeric column in file order, from the core's bucket means)
 * and the first rows as the file has them.
 *
 * Test ids: `dataset-profile`, `profile-row` (data-column, data-type), `profile-missing`,
 * `profile-min`, `profile-max`, `sparkline` (data-points), `dataset-preview` (data-rows).
 */
import type { Dataset, DatasetPreview, DatasetProfile } from '../../shared/contract';
import { fmtInt, fmtNum, fmtTime } from '../lib/format';
import { isIndexLike } from '../stores/datasets';

const SPARK_W = 180;
const SPARK_H = 24;

/** The points of a sparkline's polylines: one per run of values without a gap. */
export function sparklinePaths(values: (number | null)[], width = SPARK_W, height = SPARK_H): string[] {
  const finite = values.filter((v): v is number => v !== null);
  if (finite.length === 0) return [];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const span = hi - lo || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const paths: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 0) paths.push(current.join(' '));
      current = [];
      return;
    }
    // A flat column sits in the middle rather than on the floor.
    const y = hi === lo ? height / 2 : height - 1 - ((v - lo) / span) * (height - 2);
    current.push(`${(i * step).toFixed(1)},${y.toFixed(1)}`);
  });
  if (current.length > 0) paths.push(current.join(' '));
  return paths;
}

export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const paths = sparklinePaths(values);
  return (
    <svg className="sparkline" width={SPARK_W} height={SPARK_H} viewBox={`0 0 ${SPARK_W} ${SPARK_H}`} role="img" aria-label={label} data-testid="sparkline" data-points={values.filter((v) => v !== null).length}>
      {paths.map((p, i) =>
        p.includes(' ') ? <polyline key={i} points={p} /> : <circle key={i} cx={p.split(',')[0]} cy={p.split(',')[1]} r={1.5} />,
      )}
    </svg>
  );
}

/** A column's min or max as its type reads: a time column's bounds are instants. */
function bound(v: number | null, type: string): string {
  if (v === null) return '—';
  return type === 'timestamp' ? fmtTime(v) : fmtNum(v);
}

export function ColumnProfile({ dataset, profile }: { dataset: Dataset; profile: DatasetProfile | null }) {
  const sparks = new Map(profile?.columns.map((c) => [c.name, c.values]) ?? []);
  return (
    <div className="table-wrap">
      <table className="table profile-table" data-testid="dataset-profile">
        <thead>
          <tr>
            <th>Column</th>
            <th>Type</th>
            <th className="num">Missing</th>
            <th className="num">Min</th>
            <th className="num">Max</th>
            <th>Over the file</th>
          </tr>
        </thead>
        <tbody>
          {dataset.columns.map((c) => {
            const values = sparks.get(c.name);
            return (
              <tr key={c.name} data-testid="profile-row" data-column={c.name} data-type={c.type}>
                <th scope="row" className="mono">
                  {c.name}
                  {c.name === dataset.timeColumn && <span className="tag">time</span>}
                  {isIndexLike(c, dataset.rows) && (
                    <span className="tag" title="It numbers the rows rather than measures something: never the default target">
                      row number
                    </span>
                  )}
                </th>
                <td>{c.type}</td>
                <td className={`num${c.missing > 0 ? ' warn-text' : ''}`} data-testid="profile-missing">
                  {fmtInt(c.missing)}
                </td>
                <td className="num" data-testid="profile-min">
                  {bound(c.min, c.type)}
                </td>
                <td className="num" data-testid="profile-max">
                  {bound(c.max, c.type)}
                </td>
                <td>{values ? <Sparkline values={values} label={`${c.name} over the file`} /> : <span className="muted">{c.type === 'number' ? (profile ? '—' : '…') : ''}</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function PreviewTable({ preview, dataset }: { preview: DatasetPreview; dataset: Dataset }) {
  const numeric = new Set(dataset.columns.filter((c) => c.type === 'number').map((c) => c.name));
  return (
    <div className="table-wrap preview-wrap">
      <table className="table preview-table" data-testid="dataset-preview" data-rows={preview.rows.length}>
        <thead>
          <tr>
            {preview.columns.map((c) => (
              <th key={c} className={`mono${numeric.has(c) ? ' num' : ''}`}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j} className={`mono${typeof cell === 'number' ? ' num' : ''}`}>
                  {cell === null ? <span className="muted">—</span> : String(cell)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
