/** Test helpers: a train task on a bundled dataset, and an emitter that keeps what it is sent. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParamValue, TrainSpec } from '../../shared/contract';
import type { TrainTask, WorkerEvent } from '../workers';

export const datasetFile = (file: string): string =>
  fileURLToPath(new URL(`../../../resources/datasets/${file}`, import.meta.url));

export function sampleTask(
  dir: string,
  file: string,
  target: string,
  params: Record<string, ParamValue> = {},
  extra: Partial<TrainTask> = {},
  spec: Partial<TrainSpec> = {},
): TrainTask {
  const datasetPath = extra.datasetPath ?? datasetFile(file);
  return {
    jobId: 'job-1',
    runId: 'run-1',
    datasetPath,
    datasetSha256: createHash('sha256').update(readFileSync(datasetPath)).digest('hex'),
    spec: { kind: 'train', datasetId: 'ds-1', target, model: 'mlp', params, experiment: 'Default', exogenous: [], ...spec },
    modelDir: join(dir, 'models', extra.runId ?? 'run-1'),
    checkpointDir: join(dir, 'checkpoints', extra.jobId ?? extra.runId ?? 'job-1'),
    ...extra,
  };
}

export function collect() {
  const events: WorkerEvent[] = [];
  return {
    events,
    emit: (e: WorkerEvent) => void events.push(e),
    logs: () => events.flatMap((e) => (e.type === 'log' ? [e.message] : [])),
    progress: () => events.flatMap((e) => (e.type === 'progress' ? [e] : [])),
    metrics: (key: string) => events.flatMap((e) => (e.type === 'metric' && e.key === key ? [e] : [])),
  };
}
