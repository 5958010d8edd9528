/**
 * Experiment tracking: experiments group runs; a run has params, tags, a note, time-series metrics
 * and artifacts. Lists are searched with the query language (./query), charts read series through
 * their multi-resolution summaries (./series-read), long reads run in a worker thread
 * (./series-thread), and deletion removes the run's files as well as its rows.
 */
import { lstat, readFile, readdir, realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ARTIFACT_CONTENT_MAX_BYTES, type Artifact, type ArtifactContent, type ArtifactFile, type Experiment, type MetricSeries, type ParamValue, type Run, type RunComparison, type RunExport, type RunKeys, type RunPage, type RunStatus } from '../../shared/contract';
import { mimeType } from '../../shared/mime';
import { Conflict, InvalidInput, NotFound } from '../../shared/errors';
import { newId } from '../ids';
import { confine, dataPaths } from '../paths';
import { RunRepository, type MetricRow, type RunOrder, type RunSelection, type Store } from '../store';
import { exportRuns } from './export';
import { compileQuery, parseQuery } from './query';
import { SeriesStore } from './series';
import type { StepWindow } from './series-read';
import { SeriesThread } from './series-thread';

/**
 * Reads planned to scan more rows than this go to the series thread; below it they stay on the
 * main thread (a scan of this many index rows takes about 10-25 ms here). A chart's read of 1,000
 * points scans at most about 8,000 bucket rows (the level it reads has under 16 times the buckets it
 * needs), or fewer than 16,000 points when the window is narrower than 16,000 steps.
 */
export const MAIN_THREAD_ROWS = 16_384;

export type { MetricRow };
export { csvLine } from './export';
export { runsHandlers } from './handlers';

export interface RunListInput {
  query: string;
  experiment?: string;
  includeArchived: boolean;
  sort: { key: string; order: 'asc' | 'desc' };
  offset: number;
  limit: number;
}

const SORT_COLUMNS: Record<string, Extract<RunOrder, { by: 'column' }>['column']> = {
  created: 'created_at',
  finished: 'finished_at',
  status: 'status',
  model: 'model',
  experiment: 'experiment',
  id: 'id',
};

/** `created`, `status`, ..., or `params.<key>`, `metrics.<key>`, `tags.<key>`. */
export function parseSort(sort: { key: string; order: 'asc' | 'desc' }): RunOrder {
  const column = SORT_COLUMNS[sort.key];
  if (column) return { by: 'column', column, order: sort.order };
  const m = /^(params|metrics|tags)\.(.+)$/.exec(sort.key);
  if (m) return { by: m[1] as 'params' | 'metrics' | 'tags', key: m[2], order: sort.order };
  throw new InvalidInput(`Cannot sort by ${JSON.stringify(sort.key)}: use ${Object.keys(SORT_COLUMNS).join(', ')}, params.<key>, metrics.<key> or tags.<key>`, 'sort.key');
}

export class Tracking {
  private readonly runs: RunRepository;
  private readonly series: SeriesStore;
  private readonly thread: SeriesThread;
  private readonly dataDir: string;

  /** `dataDir` defaults to the folder of the store's file, where the data directory keeps it. */
  constructor(
    private readonly store: Store,
    opts: { dataDir?: string } = {},
  ) {
    this.runs = new RunRepository(store.db);
    this.series = new SeriesStore(store.raw);
    this.thread = new SeriesThread(store.file, store.nativeBinding);
    this.dataDir = resolve(opts.dataDir ?? dirname(store.file));
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

  /** Writes a batch of metric points (and their series' summaries) in one transaction. */
  async recordMetrics(points: readonly MetricRow[]): Promise<void> {
    this.series.write(points);
  }

  /** One past the highest step of the run's series whose keys start with `prefix` (0 when it has none). */
  nextStep(runId: string, prefix: string): Promise<number> {
    return this.runs.nextStep(runId, prefix);
  }

  /**
   * Sets the summary of series `key` to a point of its own choosing rather than its latest one
   * (the best epoch's val_loss); the series' points stay as they are.
   */
  async setSummary(runId: string, summary: Record<string, { step: number; value: number }>): Promise<void> {
    this.series.setSummary(runId, summary);
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

  /** A page of the runs a query selects, sorted, with the selection's size. */
  async list(input: RunListInput): Promise<RunPage> {
    const selection = this.selection(input);
    const { ids, total } = await this.runs.page(selection, parseSort(input.sort), input.offset, input.limit);
    return { runs: await this.runs.hydrate(ids), total };
  }

  /**
   * Each series of a run (or the keys asked for), with at most `maxPoints` points of the window of
   * steps asked for (the whole series when none): longer series are summarised, keeping each
   * window's first, last, lowest and highest points. Reads that would scan more than
   * MAIN_THREAD_ROWS rows run in the series thread.
   */
  async metrics(id: string, keys?: string[], maxPoints = 1000, window: StepWindow = {}): Promise<MetricSeries[]> {
    if (!(await this.runs.exists(id))) throw new NotFound('Run', id);
    const out: MetricSeries[] = [];
    for (const key of await this.runs.seriesKeys(id, keys)) {
      const plan = this.series.reader.plan(id, key, maxPoints, window);
      const read = plan.rows <= MAIN_THREAD_ROWS ? this.series.read(id, key, maxPoints, window) : await this.thread.read(id, key, maxPoints, window);
      out.push({ key, ...read });
    }
    return out;
  }

  /** One series whole, as CSV (`step,ts,value`), read and written in the series thread. */
  async exportSeries(id: string, key: string): Promise<RunExport> {
    if (!(await this.runs.exists(id))) throw new NotFound('Run', id);
    if ((await this.runs.seriesKeys(id, [key])).length === 0) throw new NotFound(`Metric ${JSON.stringify(key)} of run`, id);
    const { text, count } = await this.thread.csv(id, key);
    return { filename: `${id}-${key.replace(/[^\w.-]+/g, '_')}.csv`, mime: 'text/csv', text, count };
  }

  /** A whole series as columns, read in the series thread (nothing of it is built on the main thread). */
  async seriesColumns(id: string, key: string, window: StepWindow = {}) {
    return this.thread.columns(id, key, window);
  }

  /** Stops the series thread. */
  close(): Promise<void> {
    return this.thread.close();
  }

  experiments(): Promise<Experiment[]> {
    return this.runs.experiments();
  }

  keys(): Promise<RunKeys> {
    return this.runs.keys();
  }

  /** Runs side by side: a param diff (what differs is flagged) and each metric's final value. */
  async compare(ids: string[]): Promise<RunComparison> {
    const ordered = await this.hydrateAll(ids);
    const paramKeys = [...new Set(ordered.flatMap((r) => Object.keys(r.params)))].sort();
    const metricKeys = [...new Set(ordered.flatMap((r) => Object.keys(r.summary)))].sort();
    return {
      runs: ordered,
      params: paramKeys.map((key) => {
        const values = ordered.map((r) => (key in r.params ? r.params[key] : null));
        return { key, values, differs: values.some((v) => v !== values[0]) };
      }),
      metrics: metricKeys.map((key) => ({ key, values: ordered.map((r) => (key in r.summary ? r.summary[key] : null)) })),
    };
  }

  async update(id: string, change: { tags?: Record<string, string>; note?: string | null; archived?: boolean }): Promise<Run> {
    const found = await this.store.db.transaction().execute((trx) => new RunRepository(trx).update(id, change));
    if (!found) throw new NotFound('Run', id);
    return this.get(id);
  }

  /**
   * Deletes runs for good: their rows, their artifact files and their model folder. Only files
   * inside the data directory are removed, whatever a stored path says. A running run is refused:
   * its worker is still writing to it.
   */
  async delete(ids: string[]): Promise<{ deleted: number; freedBytes: number }> {
    const runs = await this.hydrateAll(ids);
    const running = runs.find((r) => r.status === 'running');
    if (running) throw new Conflict(`Run ${running.id} is running; cancel its job before deleting it`);

    const deleted = await this.store.db.transaction().execute((trx) => new RunRepository(trx).delete(ids));
    const models = dataPaths(this.dataDir).models;
    const targets = new Set<string>();
    for (const run of deleted) {
      targets.add(confine(models, run.id));
      for (const p of run.artifactPaths) {
        const inside = this.insideDataDir(p);
        if (inside) targets.add(inside);
      }
    }
    // Sizes first (a file inside a removed folder is counted once), then removal.
    const sizes = new Map<string, number>();
    for (const t of targets) await collectSizes(t, sizes);
    for (const t of targets) await rm(t, { recursive: true, force: true });
    let freedBytes = 0;
    for (const size of sizes.values()) freedBytes += size;
    return { deleted: deleted.length, freedBytes };
  }

  /**
   * An artifact's file for a download. The stored path is resolved with links followed and must
   * land inside the data directory, whatever the row says: a download can never read elsewhere.
   */
  async artifactFile(id: string): Promise<ArtifactFile> {
    const artifact = await this.runs.artifact(id);
    if (!artifact) throw new NotFound('Artifact', id);
    const root = await realpath(this.dataDir);
    let file: string;
    try {
      file = await realpath(resolve(this.dataDir, artifact.path));
    } catch {
      throw new NotFound('Artifact file', artifact.path);
    }
    confine(root, file);
    const st = await stat(file);
    if (!st.isFile()) throw new InvalidInput(`Artifact ${id} at ${artifact.path} is not a file`);
    return { ...artifact, sizeBytes: st.size, filename: basename(file), file, mime: mimeType(file) };
  }

  async artifactContent(id: string): Promise<ArtifactContent> {
    const f = await this.artifactFile(id);
    if (f.sizeBytes > ARTIFACT_CONTENT_MAX_BYTES) {
      throw new InvalidInput(`Artifact ${f.filename} is ${f.sizeBytes} bytes, more than the ${ARTIFACT_CONTENT_MAX_BYTES} the app hands over at once; it is at ${f.file}`);
    }
    return { filename: f.filename, mime: f.mime, sizeBytes: f.sizeBytes, base64: (await readFile(f.file)).toString('base64') };
  }

  async export(input: { query: string; experiment?: string; includeArchived: boolean; format: 'csv' | 'json' }): Promise<RunExport> {
    const ids = await this.runs.selectIds(this.selection(input));
    return exportRuns(await this.runs.hydrate(ids), input.format);
  }

  /** The runs in the order of `ids`; NotFound names the first id that has none. */
  private async hydrateAll(ids: readonly string[]): Promise<Run[]> {
    const runs = await this.runs.hydrate(ids);
    if (runs.length < ids.length) {
      const found = new Set(runs.map((r) => r.id));
      throw new NotFound('Run', ids.find((id) => !found.has(id))!);
    }
    return runs;
  }

  private selection(input: { query: string; experiment?: string; includeArchived: boolean }): RunSelection {
    const ast = parseQuery(input.query);
    return { where: ast ? compileQuery(ast) : null, experiment: input.experiment, includeArchived: input.includeArchived };
  }

  private insideDataDir(path: string): string | null {
    try {
      return confine(this.dataDir, path);
    } catch {
      return null;
    }
  }
}

/** Sizes of the files at or under `path`, keyed by path; links count as themselves, never followed. */
async function collectSizes(path: string, sizes: Map<string, number>): Promise<void> {
  let st;
  try {
    st = await lstat(path);
  } catch {
    return;
  }
  if (st.isDirectory()) {
    for (const name of await readdir(path)) await collectSizes(join(path, name), sizes);
  } else {
    sizes.set(path, st.size);
  }
}
