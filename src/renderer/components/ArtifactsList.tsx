import type { Artifact } from '../../shared/contract';
import { fmtBytes } from '../lib/format';
import { ArtifactDownload } from './ArtifactDownload';

/**
 * A run's artifacts: kind, path and size, and with `withHash` the start of each file's sha256 in
 * its own column (else on hover over the path), and a download for each (see ArtifactDownload). The
 * test ids differ by page, so they are given.
 */
export function ArtifactsList({
  artifacts,
  testId = 'artifacts-list',
  rowTestId = 'artifact-row',
  withHash = false,
}: {
  artifacts: Artifact[];
  testId?: string;
  rowTestId?: string;
  withHash?: boolean;
}) {
  if (artifacts.length === 0) return <p className="muted" data-testid={testId}>No artifacts were recorded.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th>Kind</th>
            <th>Path</th>
            <th className="num">Size</th>
            {withHash && <th>sha256</th>}
            <th aria-label="Download" />
          </tr>
        </thead>
        <tbody>
          {artifacts.map((a) => (
            <tr key={a.id} data-testid={rowTestId}>
              <td>{a.kind}</td>
              <td className="mono path" title={withHash ? undefined : `sha256 ${a.sha256}`}>
                {a.path}
              </td>
              <td className="num">{fmtBytes(a.sizeBytes)}</td>
              {withHash && (
                <td className="mono sha" title={a.sha256}>
                  {a.sha256.slice(0, 16)}…
                </td>
              )}
              <td>
                <ArtifactDownload artifact={a} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
