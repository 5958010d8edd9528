/**
 * Where a version came from, read from its run, the run's model card and the files beside it: the
 * contract's Lineage. Metrics are the run's final summary restricted to what describes the model
 * (validation, test, baselines, skill, val_loss), not per-epoch or per-candidate series.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lineage, ParamValue, Run } from '../../shared/contract';
import { VERSION } from '../version';

type Card = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const intOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

const MODEL_METRIC = /^(val|test|naive|seasonal_naive|skill)\./;

export function lineageMetrics(summary: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(summary).filter(([k, v]) => Number.isFinite(v) && (MODEL_METRIC.test(k) || k === 'val_loss')));
}

/** The `version` of the family's saved format: preprocessing.json (forecast) or detector.json (anomaly). */
export async function formatVersionOf(dir: string): Promise<number | null> {
  for (const file of ['preprocessing.json', 'detector.json']) {
    let text: string;
    try {
      text = await readFile(join(dir, file), 'utf8');
    } catch {
      continue; // this family keeps the other file
    }
    return intOrNull(obj(JSON.parse(text)).version);
  }
  return null;
}

export interface LineageSources {
  run: Run;
  card: Card;
  modelDir: string;
  datasetName: string | null;
  study: { studyId: string; trialNumber: number } | null;
}

export async function lineageOf(s: LineageSources): Promise<Lineage> {
  const { run, card } = s;
  const dataset = obj(card.dataset);
  const created = str(card.createdAt);
  return {
    runId: run.id,
    jobId: run.jobId ?? str(card.jobId),
    experiment: run.experiment,
    studyId: s.study?.studyId ?? null,
    trialNumber: s.study?.trialNumber ?? null,
    datasetId: run.datasetId,
    datasetName: s.datasetName,
    datasetSha256: run.datasetSha256 ?? str(dataset.sha256),
    family: str(card.family) ?? run.model,
    predictor: str(card.predictor),
    params: run.params as Record<string, ParamValue>,
    seed: intOrNull(card.seed),
    split: card.split ?? null,
    // A command's metrics are all its own: every one it reported describes what it saved.
    metrics: card.task === 'command' ? Object.fromEntries(Object.entries(run.summary).filter(([, v]) => Number.isFinite(v))) : lineageMetrics(run.summary),
    backend: run.backend ?? str(card.backend),
    device: run.device ?? str(card.device),
    trainyardVersion: str(card.trainyardVersion) ?? VERSION,
    formatVersion: await formatVersionOf(s.modelDir),
    tfjsVersion: str(card.tfjsVersion),
    trainedAt: run.finishedAt ?? (created ? Date.parse(created) : null),
  };
}
