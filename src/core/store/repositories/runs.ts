import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Artifact, Experiment, ParamValue, Run, RunKeys, RunStatus } from '../../../shared/contract';
import type { DB } from '../schema';
import { BUCKET_COLUMNS, BUCKET_MERGE, BUCKET_WIDTHS, bucketOf, summarise, bucketValues, rebuildBucketsSql } from './metric-buckets';

export interface MetricRow {
  runId: string;
  key: string;
  step: number;
  ts: number;
  value: number;
}

/** How a page of runs is ordered: a run column, or the value of a param, metric or tag key. */
export type RunOrder =
  | { by: 'column'; column: 'created_at' | 'finished_at' | 'status' | 'model' | 'experiment' | 'id'; order: 'asc' | 'desc' }
  | { by: 'params' | 'metrics' | 'tags'; key: string; order: 'asc' | 'desc' };

export interface RunSelection {
  /** A compiled query over `runs AS r` joined to `experiments AS e`; null selects every run. */
  where: Expression<SqlBool> | null;
  experiment?: string;
  includeArchived: boolean;
}

/** What a deleted run leaves on disk for the caller to remove. */
export interface DeletedRun {
  id: string;
  artifactPaths: string[];
}

// SQLite caps bound variables per statement; lookups by id go in chunks well inside it.
const ID_CHUNK = 900;
// 5 columns x 1000 rows per insert stays inside the same cap.
const METRIC_CHUNK = 1000;
// 17 columns x 500 rows, likewise.
const BUCKET_CHUNK = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * What of a batch can be stored and sent: NaN cannot be stored (SQLite reads it as NULL) and is
 * left out rather than failing the batch; an infinite value (a diverged loss) becomes the largest
 * finite number of its sign, since the contract's numbers and JSON are finite, and the spike must
 * still show on a chart.
 */
export function storable(points: readonly MetricRow[]): MetricRow[] {
  const out: MetricRow[] = [];
  for (const p of points) {
    if (Number.isNaN(p.value)) continue;
    out.push(Number.isFinite(p.value) ? p : { ...p, value: p.value > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE });
  }
  return out;
}

export class RunRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Finds an experiment by name, creating it on first use. */
  async experimentId(name: string, newId: () => string): Promise<string> {
    const found = await this.db.selectFrom('experiments').select('id').where('name', '=', name).executeTakeFirst();
    if (found) return found.id;
    const id = newId();
    await this.db.insertInto('experiments').values({ id, name, created_at: Date.now() }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const again = await this.db.selectFrom('experiments').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    return again.id;
  }

  async insert(r: {
    id: string;
    experimentId: string;
    jobId: string | null;
    model: string;
    datasetId: string | null;
    datasetSha256: string | null;
    createdAt: number;
  }): Promise<void> {
    await this.db
      .insertInto('runs')
      .values({
        id: r.id,
        experiment_id: r.experimentId,
        job_id: r.jobId,
        status: 'running',
        model: r.model,
        dataset_id: r.datasetId,
        dataset_sha256: r.datasetSha256,
        backend: null,
        device: null,
        created_at: r.createdAt,
        finished_at: null,
        note: null,
        archived: 0,
      })
      .execute();
  }

  async setParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    const rows = Object.entries(params).map(([key, v]) => ({ run_id: runId, key, value: JSON.stringify(v) }));
    if (rows.length === 0) return;
    await this.db
      .insertInto('params')
      .values(rows)
      .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  }

  /**
   * Appends points and moves each series' summary to its latest point. Callers batch points and
   * call this inside a transaction: one commit for the lot. Values are made `storable` first. (The
   * tracking capability's fast path writes the same rows.)
   */
  async addMetrics(points: readonly MetricRow[]): Promise<void> {
    const rows = storable(points);
    if (rows.length === 0) return;
    const { latest, buckets } = summarise(rows);
    for (const chunk of chunks(rows, METRIC_CHUNK)) {
      await this.db
        .insertInto('metrics')
        .values(chunk.map((p) => ({ run_id: p.runId, key: p.key, step: p.step, ts: p.ts, value: p.value })))
        .execute();
    }
    // The batch's own latest point per series first, so the summary sees one upsert per series.
    for (const chunk of chunks(latest, METRIC_CHUNK)) {
      await this.db
        .insertInto('metric_summary')
        .values(chunk.map((p) => ({ run_id: p.runId, key: p.key, step: p.step, ts: p.ts, value: p.value })))
        .onConflict((oc) =>
          oc
            .columns(['run_id', 'key'])
            .doUpdateSet((eb) => ({ step: eb.ref('excluded.step'), ts: eb.ref('excluded.ts'), value: eb.ref('excluded.value') }))
            .where(sql<SqlBool>`excluded.step > metric_summary.step OR (excluded.step = metric_summary.step AND excluded.ts >= metric_summary.ts)`),
        )
        .execute();
    }
    for (const chunk of chunks(buckets, BUCKET_CHUNK)) {
      const values = sql.join(chunk.map((a) => sql`(${sql.join(bucketValues(a))})`));
      await sql`INSERT INTO metric_buckets (${sql.raw(BUCKET_COLUMNS)}) VALUES ${values} ${sql.raw(BUCKET_MERGE)}`.execute(this.db);
    }
  }

  /**
   * A series starts over from `step`: a job's new start re-reports the epochs after its checkpoint,
   * so the points an interrupted start recorded from there on are superseded (removed), and the
   * series' summary goes back to the latest point that remains, and its buckets from the one holding
   * `step` on are recomputed from what remains. Called in the transaction that writes the new points.
   */
  async supersedeFrom(runId: string, key: string, step: number): Promise<void> {
    const series = (q: string) => sql`${sql.raw(q)} WHERE run_id = ${runId} AND key = ${key}`;
    await sql`${series('DELETE FROM metrics')} AND step >= ${step}`.execute(this.db);
    await sql`${series('DELETE FROM metric_buckets')} AND (bucket + 1) * width > ${step}`.execute(this.db);
    for (const width of BUCKET_WIDTHS) {
      const { head, tail } = rebuildBucketsSql(width);
      const from = bucketOf(step, width) * width;
      await sql`${sql.raw(head)} WHERE run_id = ${runId} AND key = ${key} AND step >= ${from}${sql.raw(tail)}`.execute(this.db);
    }
    await series('DELETE FROM metric_summary').execute(this.db);
    await sql`INSERT INTO metric_summary (run_id, key, step, ts, value)
      SELECT run_id, key, step, ts, value FROM metrics WHERE run_id = ${runId} AND key = ${key} ORDER BY step DESC, ts DESC LIMIT 1`.execute(this.db);
  }

  async nextStep(runId: string, prefix: string): Promise<number> {
    // A range on the (run_id, key, ...) index: keys from `prefix` up to the prefix's last string.
    const row = await sql<{ hi: number | null }>`SELECT max(step) AS hi FROM metrics WHERE run_id = ${runId} AND key >= ${prefix} AND key < ${`${prefix}\uffff`}`.execute(this.db);
    const hi = row.rows[0]?.hi;
    return hi === null || hi === undefined ? 0 : hi + 1;
  }

  async artifact(id: string): Promise<Artifact | null> {
    const a = await this.db.selectFrom('artifacts').selectAll().where('id', '=', id).executeTakeFirst();
    return a ? { id: a.id, runId: a.run_id, kind: a.kind, path: a.path, sizeBytes: a.size_bytes, sha256: a.sha256, createdAt: a.created_at } : null;
  }

  async addArtifacts(artifacts: Artifact[]): Promise<void> {
    if (artifacts.length === 0) return;
    await this.db
      .insertInto('artifacts')
      .values(
        artifacts.map((a) => ({
          id: a.id,
          run_id: a.runId,
          kind: a.kind,
          path: a.path,
          size_bytes: a.sizeBytes,
          sha256: a.sha256,
          created_at: a.createdAt,
        })),
      )
      .execute();
  }

  async finish(runId: string, change: { status: RunStatus; backend?: string | null; device?: string | null; finishedAt: number }) {
    await this.db
      .updateTable('runs')
      .set({
        status: change.status,
        finished_at: change.finishedAt,
        ...(change.backend !== undefined ? { backend: change.backend } : {}),
        ...(change.device !== undefined ? { device: change.device } : {}),
      })
      .where('id', '=', runId)
      .execute();
  }

  /** Tags are replaced as a whole (what an editor sends back); note and archived as given. */
  async update(runId: string, change: { tags?: Record<string, string>; note?: string | null; archived?: boolean }): Promise<boolean> {
    const set = {
      ...(change.note !== undefined ? { note: change.note } : {}),
      ...(change.archived !== undefined ? { archived: change.archived ? 1 : 0 } : {}),
    };
    if (!(await this.exists(runId))) return false;
    if (Object.keys(set).length > 0) await this.db.updateTable('runs').set(set).where('id', '=', runId).execute();
    if (change.tags !== undefined) {
      await this.db.deleteFrom('run_tags').where('run_id', '=', runId).execute();
      const rows = Object.entries(change.tags).map(([key, value]) => ({ run_id: runId, key, value }));
      if (rows.length > 0) await this.db.insertInto('run_tags').values(rows).execute();
    }
    return true;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('runs').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async get(id: string): Promise<Run | undefined> {
    const [run] = await this.hydrate([id]);
    return run;
  }

  /** The ids of one page of the selected runs, in order, and how many runs the selection holds. */
  async page(selection: RunSelection, order: RunOrder, offset: number, limit: number): Promise<{ ids: string[]; total: number }> {
    const counted = await this.selected(selection).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const total = Number(counted.n);
    if (total === 0 || offset >= total) return { ids: [], total };
    let q = this.selected(selection).select('r.id');
    const dir = order.order === 'asc' ? sql.raw('ASC') : sql.raw('DESC');
    if (order.by === 'column') {
      const col = order.column === 'experiment' ? sql.ref('e.name') : sql.ref(`r.${order.column}`);
      // Runs lacking the value (an unfinished run's finished_at) go last either way.
      q = q.orderBy(sql`${col} IS NULL`).orderBy(sql`${col} ${dir}`);
    } else {
      const table = order.by === 'metrics' ? 'metric_summary' : order.by === 'params' ? 'params' : 'run_tags';
      // Params are JSON scalars: json_extract orders numbers as numbers, strings as strings.
      const value = order.by === 'params' ? sql`json_extract(s.value, '$')` : sql`s.value`;
      const sortValue = sql`(SELECT ${value} FROM ${sql.table(table)} AS s WHERE s.run_id = r.id AND s.key = ${order.key})`;
      q = q.orderBy(sql`${sortValue} IS NULL`).orderBy(sql`${sortValue} ${dir}`);
    }
    // Ties (and the created sort itself) fall back to creation order, then the sortable id, in the
    // asked direction: a stable order, so pages never overlap.
    const rows = await q.orderBy('r.created_at', order.order).orderBy('r.id', order.order).offset(offset).limit(limit).execute();
    return { ids: rows.map((r) => r.id), total };
  }

  /** Every selected run's id, newest first (exports and bulk actions). */
  async selectIds(selection: RunSelection): Promise<string[]> {
    const rows = await this.selected(selection).select('r.id').orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').execute();
    return rows.map((r) => r.id);
  }

  private selected(selection: RunSelection) {
    let q = this.db.selectFrom('runs as r').innerJoin('experiments as e', 'e.id', 'r.experiment_id');
    if (!selection.includeArchived) q = q.where('r.archived', '=', 0);
    if (selection.experiment !== undefined) q = q.where('e.name', '=', selection.experiment);
    if (selection.where) q = q.where(selection.where);
    return q;
  }

  /** Full runs for these ids, in the order given (unknown ids are left out). */
  async hydrate(ids: readonly string[]): Promise<Run[]> {
    const byId = new Map<string, Run>();
    for (const chunk of chunks([...new Set(ids)], ID_CHUNK)) {
      const rows = await this.db
        .selectFrom('runs as r')
        .innerJoin('experiments as e', 'e.id', 'r.experiment_id')
        .selectAll('r')
        .select('e.name as experiment')
        .where('r.id', 'in', chunk)
        .execute();
      for (const r of rows) {
        byId.set(r.id, {
          id: r.id,
          experimentId: r.experiment_id,
          experiment: r.experiment,
          jobId: r.job_id,
          status: r.status as RunStatus,
          model: r.model,
          datasetId: r.dataset_id,
          datasetSha256: r.dataset_sha256,
          backend: r.backend,
          device: r.device,
          params: {},
          summary: {},
          artifacts: [],
          tags: {},
          note: r.note,
          archived: r.archived === 1,
          createdAt: r.created_at,
          finishedAt: r.finished_at,
        });
      }
      if (rows.length === 0) continue;
      const params = await this.db.selectFrom('params').select(['run_id', 'key', 'value']).where('run_id', 'in', chunk).orderBy('run_id').orderBy('key').execute();
      for (const p of params) byId.get(p.run_id)!.params[p.key] = JSON.parse(p.value) as ParamValue;
      const summary = await this.db.selectFrom('metric_summary').select(['run_id', 'key', 'value']).where('run_id', 'in', chunk).orderBy('run_id').orderBy('key').execute();
      for (const m of summary) byId.get(m.run_id)!.summary[m.key] = m.value;
      const tags = await this.db.selectFrom('run_tags').select(['run_id', 'key', 'value']).where('run_id', 'in', chunk).orderBy('run_id').orderBy('key').execute();
      for (const t of tags) byId.get(t.run_id)!.tags[t.key] = t.value;
      const artifacts = await this.db.selectFrom('artifacts').selectAll().where('run_id', 'in', chunk).orderBy('created_at').orderBy('id').execute();
      for (const a of artifacts) {
        byId.get(a.run_id)!.artifacts.push({ id: a.id, runId: a.run_id, kind: a.kind, path: a.path, sizeBytes: a.size_bytes, sha256: a.sha256, createdAt: a.created_at });
      }
    }
    return ids.map((id) => byId.get(id)).filter((r): r is Run => r !== undefined);
  }

  async experiments(): Promise<Experiment[]> {
    const rows = await this.db
      .selectFrom('experiments as e')
      .leftJoin('runs as r', 'r.experiment_id', 'e.id')
      .select(['e.id', 'e.name', 'e.created_at'])
      .select((eb) => eb.fn.count<number>('r.id').as('runs'))
      .groupBy('e.id')
      .orderBy('e.name')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, runCount: Number(r.runs), createdAt: r.created_at }));
  }

  /** Every key in use: each list is read off a (key, ...) index, not the rows. */
  async keys(): Promise<RunKeys> {
    const [params, metrics, tags] = await Promise.all([
      this.db.selectFrom('params').select('key').distinct().orderBy('key').execute(),
      this.db.selectFrom('metric_summary').select('key').distinct().orderBy('key').execute(),
      this.db.selectFrom('run_tags').select('key').distinct().orderBy('key').execute(),
    ]);
    return { params: params.map((r) => r.key), metrics: metrics.map((r) => r.key), tags: tags.map((r) => r.key) };
  }

  /** The metric keys a run has series for (each has a summary row), in order. */
  async seriesKeys(runId: string, keys?: readonly string[]): Promise<string[]> {
    let q = this.db.selectFrom('metric_summary').select('key').where('run_id', '=', runId);
    if (keys) q = q.where('key', 'in', keys.length > 0 ? keys : ['']);
    const rows = await q.orderBy('key').execute();
    return rows.map((r) => r.key);
  }

  /**
   * Deletes runs and every row that hangs off them (params, metrics, summary, tags, artifacts go
   * with the run through ON DELETE CASCADE). Returns the artifact paths for the caller to remove.
   */
  async delete(ids: readonly string[]): Promise<DeletedRun[]> {
    const out: DeletedRun[] = [];
    for (const chunk of chunks([...new Set(ids)], ID_CHUNK)) {
      const found = await this.db.selectFrom('runs').select('id').where('id', 'in', chunk).execute();
      if (found.length === 0) continue;
      const foundIds = found.map((r) => r.id);
      const artifacts = await this.db.selectFrom('artifacts').select(['run_id', 'path']).where('run_id', 'in', foundIds).execute();
      await this.db.deleteFrom('runs').where('id', 'in', foundIds).execute();
      for (const id of foundIds) out.push({ id, artifactPaths: artifacts.filter((a) => a.run_id === id).map((a) => a.path) });
    }
    return out;
  }
}
