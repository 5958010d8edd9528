import type { Artifact } from '../../shared/contract';
import { fmtBytes } from '../lib/format';

export function ArtifactsList({ artifacts }: { artifacts: Artifact[] }) {
  if (artifacts.length === 0) return <p className="muted" data-testid="artifacts-list">No artifacts were recorded.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="artifacts-list">
      <thead>
        <tr>
          <th>Kind</th>
          <th>Path</th>
          <th className="num">Size</th>
        </tr>
      </thead>
      <tbody>
        {artifacts.map((a) => (
          <tr key={a.id} data-testid="artifact-row">
            <td>{a.kind}</td>
            <td className="mono path" title={`sha256 ${a.sha256}`}>
              {a.path}
            </td>
            <td className="num">{fmtBytes(a.sizeBytes)}</td>
          </tr>
        ))}
      </tbody>
      </table>
    </div>
  );
}
