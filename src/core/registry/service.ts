/**
 * The registry's store of models and versions, their aliases and the gate. Changes to one data
 * directory's registry are serialised (one at a time, in order), so two registers of one name never
 * pick the same version number and a gate always judges against the alias as it stands.
 */
import { stat } from 'node:fs/promises';
import type { z } from 'zod';
import type { AliasEvent, GateConfig, GateReport, HookRun, ModelDetail, ModelVersion, PromotionHook, RegisteredModel } from '../../shared/contract';
import { Conflict, InvalidInput, NotFound, TrainyardError } from '../../shared/errors';
import { newId } from '../ids';
import { confine } from '../paths';
import { VERSION } from '../version';
import { BlobStore } from './blobs';
import { VersionDocument, manifestDigest, type VersionSource } from './bundle';
import type { RegistryCoreDeps } from './deps';
import { materialise, modelDir, removeFolder, versionDir } from './folders';
import { failingText, runChecks, validateRules } from './gate/gate';
import { hookLabel, runHook } from './hooks';
import { coreLog, type CoreLog } from '../log';
import type { DataFile, ModelOnDisk } from './ports';
import { parseRef, versionRanges } from './refs';
import type { Candidate } from './register';
import { DEFAULT_GATE, RegistryRepository, type ModelRow, type StoredVersion } from './repository';

const notFound = (message: string) => new TrainyardError('NotFound', message);

export interface VersionMeta {
  description?: string;
  tags?: Record<string, string>;
}

export class Registry {
  readonly repo: RegistryRepository;
  readonly blobs: BlobStore;
  readonly log: CoreLog;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: RegistryCoreDeps) {
    this.repo = new RegistryRepository(deps.store.db);
    this.blobs = new BlobStore(deps.dataDir);
    this.log = coreLog(deps.dataDir, 'registry');
  }

  /** Runs `fn` after every change queued before it. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async modelRow(name: string): Promise<ModelRow> {
    const m = await this.repo.model(name);
    if (!m) throw new NotFound('Registered model', name);
    return m;
  }

  private async versionOf(name: string, version: number): Promise<StoredVersion> {
    const v = await this.repo.version(name, version);
    if (v) return v;
    const numbers = await this.repo.versionNumbers(name);
    throw notFound(`model ${name} has no version ${version}; ${numbers.length ? `it has ${versionRanges(numbers)}` : 'it has no versions'}`);
  }

  /** The version a reference names: `NAME` (latest), `NAME:7`, `NAME@alias`. */
  async resolveStored(ref: string): Promise<StoredVersion> {
    const parts = parseRef(ref);
    await this.modelRow(parts.name);
    if (parts.alias !== undefined) {
      const v = (await this.repo.aliases(parts.name))[parts.alias];
      if (v === undefined) throw notFound(`alias ${parts.alias} of ${parts.name} points nowhere`);
      return this.versionOf(parts.name, v);
    }
    if (parts.version !== undefined) return this.versionOf(parts.name, parts.version);
    const numbers = await this.repo.versionNumbers(parts.name);
    if (!numbers.length) throw notFound(`model ${parts.name} has no versions`);
    return this.versionOf(parts.name, numbers[numbers.length - 1]);
  }

  /** The contract's view of a stored version: with the aliases pointing at it and its latest gate report. */
  async view(stored: StoredVersion, aliases?: Record<string, number>, reports?: Map<number, GateReport>): Promise<ModelVersion> {
    const v = stored.version;
    const a = aliases ?? (await this.repo.aliases(v.model));
    const r = reports ?? (await this.repo.latestReports(v.model));
    return { ...v, aliases: Object.keys(a).filter((k) => a[k] === v.version), gate: r.get(v.version) ?? null };
  }

  async resolve(ref: string): Promise<ModelVersion> {
    return this.view(await this.resolveStored(ref));
  }

  /** The version's folder, rebuilt from its blobs if it went missing. */
  async onDisk(stored: StoredVersion): Promise<ModelOnDisk> {
    const { model, version, files } = stored.version;
    let dir = versionDir(this.deps.dataDir, model, version);
    if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) dir = await materialise(this.deps.dataDir, this.blobs, model, version, files);
    return { version: await this.view(stored), dir, card: stored.card };
  }

  async open(ref: string): Promise<ModelOnDisk> {
    return this.onDisk(await this.resolveStored(ref));
  }

  async registered(name: string): Promise<RegisteredModel> {
    const r = await this.repo.registered(name);
    if (!r) throw new NotFound('Registered model', name);
    return r;
  }

  private async changed(name: string): Promise<RegisteredModel> {
    const r = await this.registered(name);
    this.deps.bus.emit('model.updated', r);
    return r;
  }

  async list(): Promise<RegisteredModel[]> {
    const out: RegisteredModel[] = [];
    for (const m of await this.repo.models()) out.push(await this.registered(m.name));
    return out;
  }

  async detail(name: string): Promise<ModelDetail> {
    const model = await this.registered(name);
    const reports = await this.repo.latestReports(name);
    const versions: ModelVersion[] = [];
    for (const v of await this.repo.versions(name)) versions.push(await this.view(v, model.aliases, reports));
    return { model, versions, history: await this.repo.history(name), reports: await this.repo.reports(name) };
  }

  /**
   * Stores version N+1 of `name`: blobs first (each checked against its record), then the version's
   * folder, then the rows in one transaction. On any failure no version row exists, the folder is
   * gone and blobs no version uses are removed.
   */
  store(name: string, c: Candidate, meta: VersionMeta): Promise<ModelVersion> {
    return this.serial(async () => {
      const existing = await this.repo.model(name);
      if (existing && existing.task !== c.schema.task) {
        throw new Conflict(`Model ${name} holds ${existing.task} models; this ${c.source.kind === 'run' || c.source.kind === 'study' ? `run (${c.lineage.runId})` : 'version'} is ${c.schema.task === 'anomaly' ? 'an' : 'a'} ${c.schema.task} model. Register it under another name`);
      }
      const files = c.files.map(({ source: _source, ...f }) => f);
      const version = await this.repo.nextVersion(name);
      let dir: string | null = null;
      try {
        for (const f of c.files) await this.blobs.put(f.source, f, f.source);
        dir = await materialise(this.deps.dataDir, this.blobs, name, version, files);
        const now = Date.now();
        await this.deps.store.db.transaction().execute(async (trx) => {
          const repo = new RegistryRepository(trx);
          if (!existing) {
            // A new name starts with its first version's description and tags; later versions keep their own.
            await repo.insertModel({ name, task: c.schema.task, description: meta.description ?? '', tags: meta.tags ?? {}, gate: DEFAULT_GATE, createdAt: now, updatedAt: now });
          } else {
            await repo.updateModel(name, {}, now);
          }
          await repo.insertVersion({
            model: name,
            version,
            createdAt: now,
            description: meta.description ?? '',
            tags: meta.tags ?? {},
            files,
            digest: manifestDigest(files),
            schema: c.schema,
            lineage: c.lineage,
            source: c.source,
            card: c.card,
          });
        });
      } catch (err) {
        if (dir) await removeFolder(dir);
        else await removeFolder(versionDir(this.deps.dataDir, name, version));
        await this.dropUnused(files.map((f) => f.sha256));
        throw err;
      }
      await this.changed(name);
      return this.view(await this.versionOf(name, version));
    });
  }

  /** Registers version N+1 of `name` from a version document and the folder holding its files. */
  async importVersion(name: string, doc: VersionDocument, dir: string, source: z.infer<typeof VersionSource>): Promise<ModelVersion> {
    const parsed = VersionDocument.safeParse(doc);
    if (!parsed.success) throw new InvalidInput(`The version document is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const d = parsed.data;
    const digest = manifestDigest(d.files);
    if (digest !== d.digest) throw new Conflict(`The version document's manifest digest is ${d.digest}, but its files list hashes to ${digest}: the document was changed`);
    const files = d.files.map((f) => ({ ...f, source: confine(dir, f.path) }));
    return this.store(name, { files, card: d.card, schema: d.schema, lineage: d.lineage, source }, { description: d.description, tags: d.tags });
  }

  async document(ref: string): Promise<{ document: VersionDocument; dir: string }> {
    const stored = await this.resolveStored(ref);
    const disk = await this.onDisk(stored);
    const v = disk.version;
    const document: VersionDocument = {
      format: 'trainyard.model-version',
      formatVersion: 1,
      model: v.model,
      version: v.version,
      description: v.description,
      tags: v.tags,
      files: v.files,
      digest: v.digest,
      schema: v.schema,
      lineage: v.lineage,
      card: stored.card,
      gate: v.gate,
      exportedAt: new Date().toISOString(),
      trainyardVersion: VERSION,
    };
    return { document, dir: disk.dir };
  }

  /** Removes blobs of `candidates` that no version lists any more. */
  private async dropUnused(candidates: readonly string[]): Promise<void> {
    const inUse = await this.repo.blobsInUse();
    for (const sha of new Set(candidates)) if (!inUse.has(sha)) await this.blobs.remove(sha);
  }

  update(input: { name: string; version?: number; description?: string; tags?: Record<string, string> }): Promise<{ ok: true }> {
    return this.serial(async () => {
      await this.modelRow(input.name);
      const change = { description: input.description, tags: input.tags };
      if (input.version !== undefined) {
        await this.versionOf(input.name, input.version);
        await this.repo.updateVersion(input.name, input.version, change);
        await this.repo.updateModel(input.name, {}, Date.now());
      } else {
        await this.repo.updateModel(input.name, change, Date.now());
      }
      await this.changed(input.name);
      return { ok: true as const };
    });
  }

  remove(input: { name: string; version?: number }): Promise<{ removedVersions: number }> {
    return this.serial(async () => {
      const { name, version } = input;
      const before = await this.registered(name);
      if (version !== undefined) {
        const stored = await this.versionOf(name, version);
        const pointing = Object.keys(before.aliases).filter((a) => before.aliases[a] === version);
        if (pointing.length) throw new Conflict(`Version ${version} of ${name} is ${pointing.map((a) => `@${a}`).join(', ')}; move or remove ${pointing.length > 1 ? 'those aliases' : 'that alias'} first`);
        await this.deps.store.db.transaction().execute(async (trx) => {
          const repo = new RegistryRepository(trx);
          await repo.deleteVersion(name, version);
          await repo.updateModel(name, {}, Date.now());
        });
        await removeFolder(versionDir(this.deps.dataDir, name, version));
        await this.dropUnused(stored.version.files.map((f) => f.sha256));
        await this.changed(name);
        return { removedVersions: 1 };
      }
      const versions = await this.repo.versions(name);
      await this.deps.store.db.transaction().execute((trx) => new RegistryRepository(trx).deleteModel(name));
      await removeFolder(modelDir(this.deps.dataDir, name));
      await this.dropUnused(versions.flatMap((v) => v.version.files.map((f) => f.sha256)));
      // The model is gone: subscribers get its last state emptied, so lists can drop it.
      this.deps.bus.emit('model.updated', { ...before, latestVersion: null, versionCount: 0, aliases: {}, updatedAt: Date.now() });
      return { removedVersions: versions.length };
    });
  }

  setGate(name: string, gate: Partial<GateConfig>): Promise<RegisteredModel> {
    return this.serial(async () => {
      const model = await this.modelRow(name);
      if (gate.rules) validateRules(gate.rules);
      if (gate.hooks) gate.hooks.forEach((h, i) => refuseCredentials(h, i));
      await this.repo.updateModel(name, { gate: { ...model.gate, ...gate } }, Date.now());
      return this.changed(name);
    });
  }

  /** Runs the gate for `stored` as a candidate for `alias` and stores the report (`reportAlias` null for a check with no move). */
  private async gate(stored: StoredVersion, alias: string, reportAlias: string | null, config: GateConfig): Promise<GateReport> {
    const name = stored.version.model;
    const aliases = await this.repo.aliases(name);
    const openAlias = async (a: string) => (aliases[a] === undefined ? null : this.onDisk(await this.versionOf(name, aliases[a])));
    const candidate = await this.onDisk(stored);
    const datasetId = stored.version.lineage.datasetId;
    const data = async (): Promise<DataFile | null> => {
      if (!datasetId) return null;
      try {
        const { path, dataset } = await this.deps.datasets.file(datasetId);
        return { path, sha256: dataset.sha256, name: dataset.name, datasetId };
      } catch (err) {
        if (err instanceof TrainyardError && err.code === 'NotFound') return null;
        throw err;
      }
    };
    const checks = await runChecks(config, { candidate, current: await openAlias(alias), alias, data }, this.deps.scorer, openAlias);
    const report: GateReport = { id: newId(), model: name, version: stored.version.version, alias: reportAlias, at: Date.now(), passed: checks.every((c) => c.passed), checks };
    await this.repo.insertReport(report);
    return report;
  }

  checkGate(ref: string, alias: string): Promise<GateReport> {
    return this.serial(async () => {
      const stored = await this.resolveStored(ref);
      const model = await this.modelRow(stored.version.model);
      const report = await this.gate(stored, alias, null, model.gate);
      await this.changed(model.name);
      return report;
    });
  }

  /**
   * Points `alias` at `version`. A protected alias runs the gate first: a failing gate refuses the
   * move (Conflict, report stored) unless forced with a reason, which is recorded. After a protected
   * alias moves, its promotion hooks run; their outcome is recorded with the event.
   */
  async setAlias(input: { name: string; alias: string; version: number; reason?: string; force: boolean }): Promise<AliasEvent> {
    const { event, hooks } = await this.serial(async () => {
      const { name, alias, version } = input;
      const model = await this.modelRow(name);
      const stored = await this.versionOf(name, version);
      const from = (await this.repo.aliases(name))[alias] ?? null;
      const isProtected = model.gate.protectedAliases.includes(alias);
      const report = isProtected ? await this.gate(stored, alias, alias, model.gate) : null;
      if (report && !report.passed && !input.force) {
        await this.changed(name);
        throw new Conflict(
          `The gate refused ${name}:${version} as @${alias}: ${failingText(report.checks)}. To override, move it with force and a reason (--force --reason TEXT); the override is recorded`,
        );
      }
      const at = Date.now();
      const event: AliasEvent = {
        id: newId(),
        model: name,
        alias,
        fromVersion: from,
        toVersion: version,
        at,
        reason: input.reason?.trim() || null,
        forced: Boolean(report && !report.passed && input.force),
        gate: report,
        hooks: [],
      };
      await this.deps.store.db.transaction().execute(async (trx) => {
        const repo = new RegistryRepository(trx);
        await repo.setAlias(name, alias, version, at);
        await repo.insertEvent(event);
        await repo.updateModel(name, {}, at);
      });
      if (event.forced) this.log('warn', `${name}@${alias} moved to version ${version} with a failing gate, forced`, { model: name, alias, version, reason: event.reason, report: report?.id });
      await this.changed(name);
      return { event, hooks: isProtected ? model.gate.hooks : [] };
    });
    for (const hook of hooks) event.hooks.push(await this.runHook(hook, event, input.version));
    return event;
  }

  private async runHook(hook: PromotionHook, event: AliasEvent, version: number): Promise<HookRun> {
    const run = await runHook(hook, event, event.model, version);
    if (!run.ok) this.log('error', `promotion hook ${hookLabel(hook)} failed after ${event.model}@${event.alias} moved to version ${version}: ${run.detail}`, { model: event.model, alias: event.alias, version, event: event.id });
    try {
      await this.repo.insertHookRun(event.id, newId(), run);
    } catch (err) {
      this.log('error', 'could not record a promotion hook run', { event: event.id, error: err instanceof Error ? err.message : String(err) });
    }
    return run;
  }

  removeAlias(input: { name: string; alias: string; reason?: string }): Promise<AliasEvent> {
    return this.serial(async () => {
      const { name, alias } = input;
      await this.modelRow(name);
      const from = (await this.repo.aliases(name))[alias];
      if (from === undefined) throw notFound(`alias ${alias} of ${name} points nowhere`);
      const at = Date.now();
      const event: AliasEvent = { id: newId(), model: name, alias, fromVersion: from, toVersion: null, at, reason: input.reason?.trim() || null, forced: false, gate: null, hooks: [] };
      await this.deps.store.db.transaction().execute(async (trx) => {
        const repo = new RegistryRepository(trx);
        await repo.removeAlias(name, alias);
        await repo.insertEvent(event);
        await repo.updateModel(name, {}, at);
      });
      await this.changed(name);
      return event;
    });
  }
}

/** A hook URL is stored in SQLite and shown: it may not carry a user name or password. */
function refuseCredentials(hook: PromotionHook, i: number): void {
  if (hook.kind !== 'url') return;
  const u = new URL(hook.url);
  if (u.username || u.password) throw new InvalidInput(`Promotion hook ${i + 1}'s URL carries credentials; Trainyard keeps none in its database. Use a URL without user:password@`, `gate.hooks.${i}.url`);
}
