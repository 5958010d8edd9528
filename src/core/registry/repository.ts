/**
 * The registry's tables: registered models, versions, aliases, alias events, gate reports and hook
 * runs, read into the contract's shapes. Writes that belong together run in one transaction
 * (`db.transaction().execute(trx => new RegistryRepository(trx)...)`).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AliasEvent, GateConfig, GateReport, HookRun, Lineage, ModelFile, ModelSchema, ModelTask, ModelVersion, RegisteredModel } from '../../shared/contract';
import type { AliasEventsTable, DB, GateReportsTable, ModelVersionsTable, RegisteredModelsTable } from '../store';

export const DEFAULT_GATE: GateConfig = { rules: [], protectedAliases: ['champion'], hooks: [] };

/** A version row with its card, which the contract's ModelVersion leaves out. */
export interface StoredVersion {
  version: Omit<ModelVersion, 'aliases' | 'gate'>;
  card: Record<string, unknown>;
}

export interface NewVersion {
  model: string;
  version: number;
  createdAt: number;
  description: string;
  tags: Record<string, string>;
  files: ModelFile[];
  digest: string;
  schema: ModelSchema;
  lineage: Lineage;
  source: ModelVersion['source'];
  card: Record<string, unknown>;
}

const json = <T>(text: string): T => JSON.parse(text) as T;

function toVersion(row: Selectable<ModelVersionsTable>): StoredVersion {
  const files = json<ModelFile[]>(row.files);
  return {
    version: {
      model: row.model,
      version: row.version,
      createdAt: row.created_at,
      description: row.description,
      tags: json(row.tags),
      files,
      digest: row.digest,
      sizeBytes: row.size_bytes,
      schema: json(row.schema),
      lineage: json(row.lineage),
      source: { kind: row.source_kind as ModelVersion['source']['kind'], ref: row.source_ref },
    },
    card: json(row.card),
  };
}

function toReport(row: Selectable<GateReportsTable>): GateReport {
  return { id: row.id, model: row.model, version: row.version, alias: row.alias, at: row.at, passed: row.passed === 1, checks: json(row.checks) };
}

export interface ModelRow {
  name: string;
  task: ModelTask;
  description: string;
  tags: Record<string, string>;
  gate: GateConfig;
  createdAt: number;
  updatedAt: number;
}

function toModel(row: Selectable<RegisteredModelsTable>): ModelRow {
  return {
    name: row.name,
    task: row.task as ModelRow['task'],
    description: row.description,
    tags: json(row.tags),
    gate: { ...DEFAULT_GATE, ...json<Partial<GateConfig>>(row.gate) },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class RegistryRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async model(name: string): Promise<ModelRow | undefined> {
    const row = await this.db.selectFrom('registered_models').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toModel(row);
  }

  async models(): Promise<ModelRow[]> {
    return (await this.db.selectFrom('registered_models').selectAll().orderBy('name').execute()).map(toModel);
  }

  async insertModel(m: ModelRow): Promise<void> {
    await this.db
      .insertInto('registered_models')
      .values({ name: m.name, task: m.task, description: m.description, tags: JSON.stringify(m.tags), gate: JSON.stringify(m.gate), created_at: m.createdAt, updated_at: m.updatedAt })
      .execute();
  }

  async updateModel(name: string, change: Partial<Pick<ModelRow, 'description' | 'tags' | 'gate'>>, at: number): Promise<void> {
    await this.db
      .updateTable('registered_models')
      .set({
        updated_at: at,
        ...(change.description !== undefined ? { description: change.description } : {}),
        ...(change.tags !== undefined ? { tags: JSON.stringify(change.tags) } : {}),
        ...(change.gate !== undefined ? { gate: JSON.stringify(change.gate) } : {}),
      })
      .where('name', '=', name)
      .execute();
  }

  async deleteModel(name: string): Promise<void> {
    // Children first: the aliases' reference to versions has no cascade of its own.
    await this.db.deleteFrom('model_aliases').where('model', '=', name).execute();
    await this.db.deleteFrom('registered_models').where('name', '=', name).execute();
  }

  async versionNumbers(name: string): Promise<number[]> {
    const rows = await this.db.selectFrom('model_versions').select('version').where('model', '=', name).orderBy('version').execute();
    return rows.map((r) => r.version);
  }

  /** One past the highest number the model ever gave a version, removed ones included. */
  async nextVersion(name: string): Promise<number> {
    const model = await this.db.selectFrom('registered_models').select('last_version').where('name', '=', name).executeTakeFirst();
    const row = await this.db.selectFrom('model_versions').select((eb) => eb.fn.max('version').as('top')).where('model', '=', name).executeTakeFirst();
    return Math.max(Number(model?.last_version ?? 0), Number(row?.top ?? 0)) + 1;
  }

  async version(name: string, version: number): Promise<StoredVersion | undefined> {
    const row = await this.db.selectFrom('model_versions').selectAll().where('model', '=', name).where('version', '=', version).executeTakeFirst();
    return row && toVersion(row);
  }

  /** Newest first. */
  async versions(name: string): Promise<StoredVersion[]> {
    return (await this.db.selectFrom('model_versions').selectAll().where('model', '=', name).orderBy('version', 'desc').execute()).map(toVersion);
  }

  async insertVersion(v: NewVersion): Promise<void> {
    await this.db
      .insertInto('model_versions')
      .values({
        model: v.model,
        version: v.version,
        created_at: v.createdAt,
        description: v.description,
        tags: JSON.stringify(v.tags),
        files: JSON.stringify(v.files),
        digest: v.digest,
        size_bytes: v.files.reduce((n, f) => n + f.sizeBytes, 0),
        schema: JSON.stringify(v.schema),
        lineage: JSON.stringify(v.lineage),
        source_kind: v.source.kind,
        source_ref: v.source.ref,
        card: JSON.stringify(v.card),
        run_id: v.lineage.runId,
      })
      .execute();
    await this.db
      .updateTable('registered_models')
      .set((eb) => ({ last_version: sql<number>`max(${eb.ref('last_version')}, ${v.version})` }))
      .where('name', '=', v.model)
      .execute();
  }

  async updateVersion(name: string, version: number, change: { description?: string; tags?: Record<string, string> }): Promise<void> {
    if (change.description === undefined && change.tags === undefined) return;
    await this.db
      .updateTable('model_versions')
      .set({ ...(change.description !== undefined ? { description: change.description } : {}), ...(change.tags !== undefined ? { tags: JSON.stringify(change.tags) } : {}) })
      .where('model', '=', name)
      .where('version', '=', version)
      .execute();
  }

  async deleteVersion(name: string, version: number): Promise<void> {
    await this.db.deleteFrom('model_versions').where('model', '=', name).where('version', '=', version).execute();
  }

  /** sha256 of every file some version still lists. */
  async blobsInUse(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('model_versions').select('files').execute();
    return new Set(rows.flatMap((r) => json<ModelFile[]>(r.files).map((f) => f.sha256)));
  }

  async aliases(name: string): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('model_aliases').select(['alias', 'version']).where('model', '=', name).orderBy('alias').execute();
    return Object.fromEntries(rows.map((r) => [r.alias, r.version]));
  }

  async setAlias(name: string, alias: string, version: number, at: number): Promise<void> {
    await this.db
      .insertInto('model_aliases')
      .values({ model: name, alias, version, updated_at: at })
      .onConflict((oc) => oc.columns(['model', 'alias']).doUpdateSet({ version, updated_at: at }))
      .execute();
  }

  async removeAlias(name: string, alias: string): Promise<void> {
    await this.db.deleteFrom('model_aliases').where('model', '=', name).where('alias', '=', alias).execute();
  }

  async insertReport(r: GateReport): Promise<void> {
    await this.db
      .insertInto('gate_reports')
      .values({ id: r.id, model: r.model, version: r.version, alias: r.alias, at: r.at, passed: r.passed ? 1 : 0, checks: JSON.stringify(r.checks) })
      .execute();
  }

  /** Newest first. */
  async reports(name: string, limit = 50): Promise<GateReport[]> {
    const rows = await this.db.selectFrom('gate_reports').selectAll().where('model', '=', name).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toReport);
  }

  /** The newest report of each version that has one. */
  async latestReports(name: string): Promise<Map<number, GateReport>> {
    const out = new Map<number, GateReport>();
    const rows = await this.db.selectFrom('gate_reports').selectAll().where('model', '=', name).orderBy('at', 'asc').orderBy('id', 'asc').execute();
    for (const r of rows) out.set(r.version, toReport(r));
    return out;
  }

  async insertEvent(e: AliasEvent): Promise<void> {
    await this.db
      .insertInto('alias_events')
      .values({
        id: e.id,
        model: e.model,
        alias: e.alias,
        from_version: e.fromVersion,
        to_version: e.toVersion,
        at: e.at,
        reason: e.reason,
        forced: e.forced ? 1 : 0,
        gate_report_id: e.gate?.id ?? null,
      })
      .execute();
  }

  async insertHookRun(eventId: string, id: string, run: HookRun): Promise<void> {
    await this.db
      .insertInto('hook_runs')
      .values({ id, event_id: eventId, hook: JSON.stringify(run.hook), at: run.at, ok: run.ok ? 1 : 0, detail: run.detail })
      .execute();
  }

  /** Newest first, each with its gate report and hook runs. */
  async history(name: string, limit = 200): Promise<AliasEvent[]> {
    const rows: Selectable<AliasEventsTable>[] = await this.db
      .selectFrom('alias_events')
      .selectAll()
      .where('model', '=', name)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    if (rows.length === 0) return [];
    const reportIds = rows.map((r) => r.gate_report_id).filter((id): id is string => id !== null);
    const reports = new Map<string, GateReport>();
    if (reportIds.length) for (const r of await this.db.selectFrom('gate_reports').selectAll().where('id', 'in', reportIds).execute()) reports.set(r.id, toReport(r));
    const hooks = new Map<string, HookRun[]>();
    const hookRows = await this.db.selectFrom('hook_runs').selectAll().where('event_id', 'in', rows.map((r) => r.id)).orderBy('at').orderBy('id').execute();
    for (const h of hookRows) {
      const list = hooks.get(h.event_id) ?? [];
      list.push({ hook: json(h.hook), at: h.at, ok: h.ok === 1, detail: h.detail });
      hooks.set(h.event_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      model: r.model,
      alias: r.alias,
      fromVersion: r.from_version,
      toVersion: r.to_version,
      at: r.at,
      reason: r.reason,
      forced: r.forced === 1,
      gate: r.gate_report_id ? (reports.get(r.gate_report_id) ?? null) : null,
      hooks: hooks.get(r.id) ?? [],
    }));
  }

  async registered(name: string): Promise<RegisteredModel | undefined> {
    const m = await this.model(name);
    if (!m) return undefined;
    const numbers = await this.versionNumbers(name);
    const [last] = await this.reports(name, 1);
    return {
      name: m.name,
      description: m.description,
      tags: m.tags,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      task: m.task,
      latestVersion: numbers.length ? numbers[numbers.length - 1] : null,
      versionCount: numbers.length,
      aliases: await this.aliases(name),
      gate: m.gate,
      lastGate: last ?? null,
    };
  }
}
