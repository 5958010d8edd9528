/**
 * Experiment tracking: experiments group runs; a run has params, time-series metrics and artifacts.
 * The tracking issue deepens this (search, compare, downsampled reads); the patterns start here.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Artifact, MetricSeries, ParamValue, Run, RunStatus } from '../../shared/contract';
import { NotFound } from '../../shared/errors';
import { newId } from '../ids';
import { RunRepository, type MetricRow, type Store } from '../store';

export type { MetricRow };

export class Tracking {
  private readonly runs: RunRepository;

  constructor(store: Store) {
    this.runs = new RunRepository(store.db);
  }

  async startRun(r: { experiment: string; jobId: string | null; model: string; datasetId: string | null; datasetSha256: string | null; params: Record<string, ParamValue> }): Promise<string> {
    const id = newId();
    const experimentId = await this.runs.experimentId(r.experiment, newId);
    await this.runs.insert({ id, experimentId, jobId: r.jobId, model: r.model, datasetId: r.datasetId, datasetSha256: r.datasetSha256, createdAt: Date.now() });
    await this.runs.setParams(id, r.params);
    return id;
  }

  setParams(runId: string, params: Record<string, ParamValue>) {
    return this.runs.setParams(runId, params);
  }

  /** Writes a batch of metric points in one statement. */
  recordMetrics(points: MetricRow[]) {
    return this.runs.addMetrics(points);
  }

  async addArtifacts(runId: string, files: { kind: string; path: string; sizeBytes: number; sha256: string }[]) {
    const now = Date.now();
    await this.runs.addArtifacts(files.map((f): Artifact => ({ id: newId(), runId, createdAt: now, ...f })));
  }

  finishRun(runId: string, change: { status: RunStatus; backend?: string | null; device?: string | null }) {
    return this.runs.finish(runId, { ...change, finishedAt: Date.now() });
  }

  async get(id: string): Promise<Run> {
    const run = await this.runs.get(id);
    if (!run) throw new NotFound('Run', id);
    return run;
  }

  list(limit: number): Promise<Run[]> {
    return this.runs.list(limit);
  }

  async metrics(id: string, keys?: string[]): Promise<MetricSeries[]> {
    await this.get(id);
    return this.runs.metricSeries(id, keys);
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}
