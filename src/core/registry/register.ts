/**
 * What a register reads before anything is written: the run's model folder checked against the
 * run's record of each file, the card, the schema and the lineage. Registering from a study takes
 * its best completed trial's run.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Lineage, ModelFile, ModelSchema } from '../../shared/contract';
import { Conflict, NotFound } from '../../shared/errors';
import { inferFrequency, readTable, seriesFromTable } from '../data';
import { dataPaths } from '../paths';
import { StudyRepository } from '../studies';
import type { RegistryDeps } from './deps';
import { lineageOf } from './lineage';
import type { CoreLog } from '../log';
import { modelSchemaFromCard } from './schema';

export const CARD_FILE = 'card.json';

/** A version ready to be stored: its files where they are now, each as the manifest will list it. */
export interface Candidate {
  files: (ModelFile & { source: string })[];
  card: Record<string, unknown>;
  schema: ModelSchema;
  lineage: Lineage;
  source: { kind: 'run' | 'study' | 'pull' | 'folder'; ref: string };
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The frequency of the stored dataset's rows, for cards written before cards recorded it; null where it cannot be read. */
export async function datasetFrequency(deps: RegistryDeps, log: CoreLog, datasetId: string | null, card: Record<string, unknown>): Promise<string | null> {
  const target = typeof card.target === 'string' ? card.target : null;
  const timeColumn = typeof card.timeColumn === 'string' ? card.timeColumn : null;
  if (!datasetId || !target || !timeColumn) return null;
  try {
    const { path } = await deps.datasets.file(datasetId);
    const series = seriesFromTable(await readTable(await readFile(path), path), { target, timeColumn });
    return series.timestamps ? inferFrequency(series.timestamps) : null;
  } catch (err) {
    log('warn', 'could not infer the frequency of a registered model from its dataset; its schema says none', { datasetId, error: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

export async function candidateFromRun(deps: RegistryDeps, log: CoreLog, runId: string, study: { studyId: string; trialNumber: number } | null = null): Promise<Candidate> {
  const run = await deps.tracking.get(runId);
  if (run.status !== 'completed') throw new Conflict(`Run ${runId} is ${run.status}; only a completed run can be registered`);
  const modelDir = join(dataPaths(deps.dataDir).models, runId);
  if (!(await isDir(modelDir))) throw new Conflict(`Run ${runId} has no model folder (${modelDir}); it saved no model to register`);
  const files: Candidate['files'] = [];
  for (const a of run.artifacts) {
    const rel = relative(modelDir, a.path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue; // an artifact kept elsewhere is not part of the model
    files.push({ path: rel.split(sep).join('/'), sizeBytes: a.sizeBytes, sha256: a.sha256, kind: a.kind, source: a.path });
  }
  if (!files.some((f) => f.path === CARD_FILE)) throw new Conflict(`Run ${runId} records no ${CARD_FILE} in its model folder ${modelDir}; it cannot be registered`);
  let card: Record<string, unknown>;
  try {
    card = JSON.parse(await readFile(join(modelDir, CARD_FILE), 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Conflict(`Cannot read the model card of run ${runId} (${join(modelDir, CARD_FILE)}): ${err instanceof Error ? err.message : String(err)}`);
  }
  const datasetName = run.datasetId ? await deps.datasets.get(run.datasetId).then((d) => d.name, () => null) : null;
  const lineage = await lineageOf({ run, card, modelDir, datasetName, study });
  const recorded = typeof (card.dataset as { frequency?: unknown } | undefined)?.frequency === 'string';
  const schema = modelSchemaFromCard(card, recorded ? null : await datasetFrequency(deps, log, run.datasetId, card));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, card, schema, lineage, source: study ? { kind: 'study', ref: study.studyId } : { kind: 'run', ref: runId } };
}

/** The best completed trial's run of a study, by the study's own objective and direction. */
export async function candidateFromStudy(deps: RegistryDeps, log: CoreLog, studyId: string): Promise<Candidate> {
  const repo = new StudyRepository(deps.store.db);
  const study = await repo.study(studyId);
  if (!study) throw new NotFound('Study', studyId);
  const best = await repo.best(studyId, study.spec.objective.direction);
  if (!best) throw new Conflict(`Study ${studyId} (${study.name}) has no completed trial with a value to register`);
  if (!best.runId) throw new Conflict(`The best trial #${best.number} of study ${studyId} has no run`);
  return candidateFromRun(deps, log, best.runId, { studyId, trialNumber: best.number });
}
