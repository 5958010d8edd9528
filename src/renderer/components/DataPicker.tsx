/**
 * Where predict and evaluate read rows from: a stored dataset or a file picked here (sent as its
 * content, as datasets.import takes it: CSV as text, Parquet as base64).
 *
 * Test ids (prefixed by the caller's `testId`): `<id>-kind`, `<id>-dataset`, `<id>-file`,
 * `<id>-file-name`.
 */
import { useEffect, useState } from 'react';
import type { PredictData } from '../../shared/contract';
import { useDatasets } from '../stores/datasets';
import { errorMessage } from '../lib/errors';

async function fileData(file: File): Promise<PredictData> {
  if (/\.parquet$/i.test(file.name)) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { source: { kind: 'content', filename: file.name, text: btoa(bin), encoding: 'base64' } };
  }
  return { source: { kind: 'content', filename: file.name, text: await file.text() } };
}

export function DataPicker({ testId, onChange, onError }: { testId: string; onChange(data: PredictData | null): void; onError(message: string | null): void }) {
  const datasets = useDatasets((s) => s.list);
  const [kind, setKind] = useState<'file' | 'dataset'>('file');
  const [datasetId, setDatasetId] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);

  useEffect(() => {
    if (kind === 'dataset') onChange(datasetId ? { datasetId } : null);
    // The file's data is handed over when it has been read.
  }, [kind, datasetId, onChange]);

  return (
    <div className="row data-picker">
      <label className="field">
        <span>Data</span>
        <select
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as 'file' | 'dataset');
            onChange(null);
            setFileName(null);
          }}
          data-testid={`${testId}-kind`}
        >
          <option value="file">Upload a file</option>
          <option value="dataset">A stored dataset</option>
        </select>
      </label>
      {kind === 'dataset' ? (
        <label className="field">
          <span>Dataset</span>
          <select value={datasetId} onChange={(e) => setDatasetId(e.target.value)} data-testid={`${testId}-dataset`}>
            <option value="">Choose a dataset</option>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label className="field">
          <span>CSV or Parquet file</span>
          <input
            type="file"
            accept=".csv,.tsv,.txt,.parquet,text/csv"
            data-testid={`${testId}-file`}
            onChange={(e) => {
              const file = e.target.files?.[0];
              onChange(null);
              setFileName(file?.name ?? null);
              if (!file) return;
              fileData(file).then(
                (data) => {
                  onError(null);
                  onChange(data);
                },
                (err: unknown) => onError(`Could not read ${file.name}: ${errorMessage(err)}`),
              );
            }}
          />
          {fileName && (
            <span className="muted" data-testid={`${testId}-file-name`}>
              {fileName}
            </span>
          )}
        </label>
      )}
    </div>
  );
}

