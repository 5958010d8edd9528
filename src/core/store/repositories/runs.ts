import type { Kysely } from 'kysely';
import type { Artifact, MetricSeries, ParamValue, Run, RunStatus } from '../../../shared/contract';
import type { DB } from '../schema';

export interface MetricRow {
  runId: string;
  key: string;
  step: number;
  ts: number;
  value: number;
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

  /** One multi-row insert: callers batch points and flush them together. */
  async addMetrics(points: MetricRow[]): Promise<void> {
    // SQLite caps bound variables per statement; 5 columns x 1000 rows stays well inside it.
    for (let i = 0; i < points.length; i += 1000) {
      const chunk = points.slice(i, i + 1000);
      await this.db
        .insertInto('metrics')
        .values(chunk.map((p) => ({ run_id: p.runId, key: p.key, step: p.step, ts: p.ts, value: p.value })))
        .execute();
    }
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

  async get(id: string): Promise<Run | undefined> {
    const r = await this.db
      .selectFrom('runs')
      .innerJoin('experiments', 'experiments.id', 'runs.experiment_id')
      .selectAll('runs')
      .select('experiments.name as experiment')
      .where('runs.id', '=', id)
      .executeTakeFirst();
    if (!r) return undefined;
    const [params, summary, artifacts] = await Promise.all([this.params(id), this.summary(id), this.artifacts(id)]);
    return {
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
      params,
      summary,
      artifacts,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
    };
  }

  async list(limit: number): Promise<Run[]> {
    const ids = await this.db.selectFrom('runs').select('id').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    const runs = await Promise.all(ids.map((r) => this.get(r.id)));
    return runs.filter((r): r is Run => r !== undefined);
  }

  private async params(runId: string): Promise<Record<string, ParamValue>> {
    const rows = await this.db.selectFrom('params').select(['key', 'value']).where('run_id', '=', runId).orderBy('key').execute();
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as ParamValue]));
  }

  /** The latest value of every metric key (highest step, then latest write). */
  private async summary(runId: string): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('metrics')
      .select(['key', 'value', 'step', 'ts'])
      .where('run_id', '=', runId)
      .orderBy('key')
      .orderBy('step')
      .orderBy('ts')
      .execute();
    const out: Record<string, number> = {};
    for (const r of rows) out[r.key] = r.value;
    return out;
  }

  private async artifacts(runId: string): Promise<Artifact[]> {
    const rows = await this.db.selectFrom('artifacts').selectAll().where('run_id', '=', runId).orderBy('created_at').orderBy('id').execute();
    return rows.map((a) => ({
      id: a.id,
      runId: a.run_id,
      kind: a.kind,
      path: a.path,
      sizeBytes: a.size_bytes,
      sha256: a.sha256,
      createdAt: a.created_at,
    }));
  }

  async metricSeries(runId: string, keys?: string[]): Promise<MetricSeries[]> {
    let q = this.db.selectFrom('metrics').select(['key', 'step', 'ts', 'value']).where('run_id', '=', runId);
    if (keys && keys.length > 0) q = q.where('key', 'in', keys);
    const rows = await q.orderBy('key').orderBy('step').orderBy('ts').execute();
    const byKey = new Map<string, MetricSeries>();
    for (const r of rows) {
      let s = byKey.get(r.key);
      if (!s) byKey.set(r.key, (s = { key: r.key, points: [] }));
      s.points.push({ step: r.step, ts: r.ts, value: r.value });
    }
    return [...byKey.values()];
  }
}
