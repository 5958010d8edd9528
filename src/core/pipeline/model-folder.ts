/**
 * The run's model folder, as the register step of every family writes it: the model's own files,
 * the model card and one table of per-row results. The files go to a sibling staging folder that is
 * renamed into place, so the model folder holds either a complete model or nothing, and each file is
 * described (kind, size, sha256) for the run's artifacts.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { ParamValue } from '../../shared/contract';
import { VERSION } from '../version';
import type { TrainArtifact, TrainTask } from '../workers';
import { fileDigest } from './hash';
import type { StepContext } from './report';

/** The model card: what the model is, what it was trained on and how well it did. Every family writes one. */
export const CARD_FILE = 'card.json';

/** What every family's register step knows of the run besides its own results. */
export interface RegisterRun {
  task: TrainTask;
  params: Record<string, ParamValue>;
  seed: number;
  backend: string;
  device: string;
}

/** The model card's closing fields, the same for every family: what trained it, where, and which job and run. */
export function cardProvenance(run: RegisterRun, tfjsVersion: string | null) {
  return {
    backend: run.backend,
    device: run.device,
    trainyardVersion: VERSION,
    tfjsVersion,
    jobId: run.task.jobId,
    runId: run.task.runId,
    createdAt: new Date().toISOString(),
  };
}

export interface ModelFolderContent {
  /** Writes the model's own files into `dir`; returns their paths. */
  saveModel(dir: string): Promise<string[]>;
  /** The artifact kind of each of the model's files, by name (a file left out is a 'file'). */
  modelKinds: Record<string, string>;
  /** Built once the model is saved. */
  card(): object;
  /** The per-row results written beside the card (test predictions, anomaly scores). */
  table: { file: string; kind: string; csv(): string };
}

/** Writes the model folder at `modelDir`, reporting the register step from 0.4 (model saved) to done. */
export async function writeModelFolder(modelDir: string, content: ModelFolderContent, ctx: StepContext): Promise<TrainArtifact[]> {
  const { table } = content;
  const kinds: Record<string, string> = { ...content.modelKinds, [CARD_FILE]: 'card', [table.file]: table.kind };
  const staging = join(dirname(modelDir), `.${basename(modelDir)}.partial`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const modelFiles = await content.saveModel(staging);
    ctx.report.progress('register', 0.4);
    await writeFile(join(staging, CARD_FILE), JSON.stringify(content.card(), null, 2));
    await writeFile(join(staging, table.file), table.csv());
    // Relative to the folder: a model may keep files in subfolders (a blend's members).
    const names = [...modelFiles.map((p) => relative(staging, p)), CARD_FILE, table.file];
    await mkdir(dirname(modelDir), { recursive: true });
    await replaceDir(staging, modelDir);
    const artifacts: TrainArtifact[] = [];
    for (const name of names) {
      const path = join(modelDir, name);
      artifacts.push({ kind: kinds[basename(name)] ?? 'file', path, ...(await fileDigest(path)) });
    }
    ctx.report.info(`Saved ${names.join(', ')} to ${modelDir}`);
    ctx.report.progress('register', 1, 0);
    return artifacts;
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Moves `from` to `to`. A folder already at `to` (a job started again after registering, before
 * the core recorded it) is replaced: set aside first, removed once the new one is in place.
 */
async function replaceDir(from: string, to: string): Promise<void> {
  const old = join(dirname(to), `.${basename(to)}.old`);
  await rm(old, { recursive: true, force: true });
  try {
    await rename(to, old);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await rename(from, to);
  await rm(old, { recursive: true, force: true });
}
