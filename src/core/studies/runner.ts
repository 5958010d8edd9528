/**
 * The study runner: keeps each running study's `parallelism` trials in flight as training jobs
 * through the queue, feeds the pruner the jobs' per-epoch metric, settles each trial from its job's
 * end, and completes the study when its budget is spent or its grid exhausted.
 *
 * A study that cannot go on ends `failed` with the reason, never `completed` and never left running
 * with nothing in flight: when no trial completed, when the first runs lack the objective (every
 * run of the study would), when its sampler throws, when a trial's job cannot be queued, or when it
 * cannot be resumed after a restart.
 *
 * Everything that changes a study goes through one serial chain (events, API writes, the resume
 * on start), so the sampler always sees every trial, the ones in flight included (that is what
 * makes its constant liar work), and no two decisions about one trial race. The store is the truth:
 * a trial row is written before its job is submitted and linked by the job id after, so a restart
 * finds every trial, its job, and what became of it while the app was down.
 */
import type { Job, ParamValue, Priority, RunExport, StudySpec, StudySummary, StudyTrainSpec, StudyTrial, TrialStatus } from '../../shared/contract';
import { Conflict, InvalidInput, NotFound } from '../../shared/errors';
import type { DatasetCatalog } from '../datasets';
import type { EventBus } from '../events';
import type { CoreLog } from '../log';
import { parameterImportance, type Assignment, type ValidSpace } from '../hpo';
import { newId } from '../ids';
import { defaultObjective, modelFamily } from '../models';
import type { JobQueue } from '../queue';
import type { Store } from '../store';
import type { Tracking } from '../tracking';
import { exportTrials } from './export';
import { StudyRepository, type StoredStudy, type StoredTrial } from './repository';
import { COMMAND_MODEL, checkDataset, checkObjective, checkSpaceFitsModel, checkWarmStart, intermediateKeyOf, studyParts, trainModel, type StudyParts } from './validate';

export interface StudyRunnerDeps {
  store: Store;
  bus: EventBus;
  queue: JobQueue;
  tracking: Tracking;
  datasets: DatasetCatalog;
  /** Whether this core runs trials (it owns the scheduler). Without it, studies are stored and read only. */
  run: boolean;
  /** Where errors the runner handles without a caller to tell go (the core log). */
  log: CoreLog;
}

/** A running study in memory: its parts and every trial, in number order. */
interface Live extends StudyParts {
  study: StoredStudy;
  trials: StoredTrial[];
  /** The sampler has nothing left to propose (an exhausted grid). */
  exhausted: boolean;
  /** Completed trials when the importance was last computed. */
  importanceAt: number;
}

/** Why the queue cancels a pruned trial's job, as its timeline records it. */
const PRUNED_BY = 'pruned by the study';
const CANCELLED_BY = 'cancelled with its study';
const FAILED_WITH = 'its study failed';
const LIVE_JOB = new Set(['queued', 'running']);

/** The parsed create input, as the contract hands it to the handler (the objective may be left to the family's default). */
type CreateInput = { spec: Omit<StudySpec, 'objective'> & Partial<Pick<StudySpec, 'objective'>>; train: StudyTrainSpec; priority: Priority; enqueue: Record<string, ParamValue>[]; cluster?: string };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class StudyRunner {
  private readonly repo: StudyRepository;
  private readonly live = new Map<string, Live>();
  /** Job id → the trial it runs, for trials in flight. */
  private readonly byJob = new Map<string, { studyId: string; trialId: string }>();
  private chain: Promise<unknown> = Promise.resolve();
  /** The last error a step driven by an event or the resume hit (kept for diagnosis; the chain goes on). */
  lastError: unknown = null;
  readonly ready: Promise<void>;

  constructor(private readonly deps: StudyRunnerDeps) {
    this.repo = new StudyRepository(deps.store.db);
    if (deps.run) {
      deps.bus.on('job.updated', (job) => void this.serial(() => this.onJob(job)).catch((err: unknown) => this.report(err, 'A job update was not applied to its study', { jobId: job.id, jobStatus: job.status })));
      deps.bus.on('run.metric', (m) =>
        void this.serial(() => this.onMetric(m.jobId, m.key, m.step, m.value)).catch((err: unknown) => this.report(err, 'A trial metric was not applied to its study', { jobId: m.jobId, key: m.key, step: m.step })),
      );
      // Never rejects: a study that cannot resume must not stop the API for the others.
      this.ready = this.serial(() => this.resume()).catch((err: unknown) => this.report(err, 'Studies could not be resumed', {}));
    } else {
      this.ready = Promise.resolve();
    }
  }

  /** Keeps the error for diagnosis and writes it to the core log with what it was about. */
  private report(err: unknown, message: string, context: Record<string, unknown>): void {
    this.lastError = err;
    this.deps.log('error', message, { ...context, error: err });
  }

  /** Runs `fn` after everything queued before it; its failure (the caller's to handle) does not stop what comes after. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  // ---- the API ----

  async create(input: CreateInput): Promise<StudySummary> {
    const model = trainModel(input.train);
    const spec: StudySpec = { ...input.spec, objective: input.spec.objective ?? defaultObjectiveOf(input.train) };
    checkObjective(spec, model);
    const parts = studyParts(spec, model);
    const train: StudyTrainSpec = { ...input.train, experiment: spec.name };
    checkSpaceFitsModel(train, parts.space);
    input.enqueue.forEach((p, i) => checkWarmStart(train, parts.space, p, `enqueue.${i}`));
    if (train.kind === 'train') await checkDataset(this.deps.datasets, train);
    await this.ready;
    return this.serial(async () => {
      const study: StoredStudy = {
        id: newId(),
        name: spec.name,
        status: 'running',
        spec,
        train,
        priority: input.priority,
        pending: input.enqueue,
        importance: null,
        createdAt: Date.now(),
        finishedAt: null,
        failureReason: null,
        cluster: input.cluster ?? null,
      };
      await this.repo.insertStudy(study);
      if (this.deps.run) {
        const live: Live = { ...parts, study, trials: [], exhausted: false, importanceAt: 0 };
        this.live.set(study.id, live);
        await this.refill(live);
      }
      return this.announce(study.id);
    });
  }

  async list(): Promise<StudySummary[]> {
    await this.ready;
    return Promise.all((await this.repo.studies()).map((s) => this.summary(s)));
  }

  async get(id: string): Promise<StudySummary> {
    await this.ready;
    return this.summary(await this.study(id));
  }

  async trials(id: string, offset: number, limit: number): Promise<{ trials: StudyTrial[]; total: number }> {
    await this.study(id);
    const [trials, total] = await Promise.all([this.repo.trials(id, offset, limit), this.repo.trialCount(id)]);
    return { trials, total };
  }

  /** The cached importance; computed here (and cached) when trials finished while no runner kept it. */
  async importance(id: string): Promise<{ param: string; importance: number }[]> {
    const study = await this.study(id);
    if (study.importance) return study.importance;
    return this.serial(async () => {
      const trials = await this.repo.trials(id);
      const rows = computeImportance(studyParts(study.spec, trainModel(study.train)).space, study.spec.seed, trials);
      if (rows.length > 0) await this.repo.updateStudy(id, { importance: rows });
      return rows;
    });
  }

  async enqueue(id: string, params: Record<string, ParamValue>): Promise<StudySummary> {
    const study = await this.study(id);
    const { space } = studyParts(study.spec, trainModel(study.train));
    checkWarmStart(study.train, space, params, 'params');
    await this.ready;
    return this.serial(async () => {
      const current = await this.study(id);
      if (current.status !== 'running') throw new Conflict(`Study ${id} is ${current.status}; only a running study takes new trials`);
      const pending = [...current.pending, params];
      await this.repo.updateStudy(id, { pending });
      const live = this.live.get(id);
      if (live) {
        live.study.pending = pending;
        await this.refill(live);
      }
      return this.announce(id);
    });
  }

  async cancel(id: string): Promise<StudySummary> {
    await this.study(id);
    await this.ready;
    return this.serial(async () => {
      const study = await this.study(id);
      if (study.status === 'cancelled') return this.summary(study);
      if (study.status !== 'running') throw new Conflict(`Study ${id} is ${study.status}; it cannot be cancelled`);
      await this.stop(id, { status: 'cancelled', trialError: 'the study was cancelled', cause: CANCELLED_BY });
      return this.announce(id);
    });
  }

  /** Ends a running study now: its running trials fail with `trialError` and their jobs are cancelled. */
  private async stop(id: string, end: { status: 'cancelled' | 'failed'; reason?: string; trialError: string; cause: string }): Promise<void> {
    const now = Date.now();
    const running = (await this.repo.trials(id)).filter((t) => t.status === 'running');
    await this.deps.store.db.transaction().execute(async (trx) => {
      const repo = new StudyRepository(trx);
      await repo.updateStudy(id, { status: end.status, finishedAt: now, failureReason: end.reason ?? null }, 'running');
      for (const t of running) await repo.updateTrial(t.id, { status: 'failed', error: end.trialError, finishedAt: now }, 'running');
    });
    const live = this.live.get(id);
    this.live.delete(id);
    if (live) {
      live.study.status = end.status;
      await this.updateImportance(live, true);
    }
    for (const t of running) {
      if (t.jobId) {
        this.byJob.delete(t.jobId);
        await this.cancelJob(t.jobId, end.cause);
      }
      await this.emitTrial(t.id);
    }
  }

  /** The study cannot go on: it ends `failed` with the reason, its running trials stopped. */
  private async fail(studyId: string, reason: string): Promise<void> {
    await this.stop(studyId, { status: 'failed', reason, trialError: FAILED_WITH, cause: FAILED_WITH });
  }

  async export(id: string, format: 'csv' | 'json'): Promise<RunExport> {
    const study = await this.study(id);
    return exportTrials(study.spec, await this.repo.trials(id), format);
  }

  // ---- running studies ----

  private async study(id: string): Promise<StoredStudy> {
    const study = await this.repo.study(id);
    if (!study) throw new NotFound('Study', id);
    return study;
  }

  /** Starts trials until `parallelism` are in flight, the budget is spent or the sampler is done; completes the study when nothing is left to run. */
  private async refill(live: Live): Promise<void> {
    const { study } = live;
    let running = live.trials.filter((t) => t.status === 'running').length;
    while (study.status === 'running' && running < study.spec.parallelism && !this.budgetSpent(live) && !live.exhausted) {
      const fromPending = study.pending.length > 0;
      let params: Assignment | null;
      try {
        params = fromPending ? study.pending[0] : live.sampler.propose(live.trials);
      } catch (err) {
        await this.fail(live.study.id, `its ${study.spec.sampler.type} sampler failed: ${messageOf(err)}`);
        return;
      }
      if (params === null) {
        live.exhausted = true;
        break;
      }
      if (!(await this.startTrial(live, params, fromPending))) return;
      running++;
    }
    if (study.status === 'running' && running === 0 && (this.budgetSpent(live) || live.exhausted)) {
      const reason = noTrialCompleted(live.trials);
      if (reason) await this.fail(live.study.id, reason);
      else await this.finishStudy(live, 'completed');
    }
  }

  private budgetSpent(live: Live): boolean {
    const { budget } = live.study.spec;
    if (budget.trials !== undefined && live.trials.length >= budget.trials) return true;
    return budget.seconds !== undefined && Date.now() - live.study.createdAt >= budget.seconds * 1000;
  }

  /** Writes the trial, then submits its job and links it. False when the job could not be queued (the study stops). */
  private async startTrial(live: Live, params: Assignment, fromPending: boolean): Promise<boolean> {
    const { study } = live;
    const trial: StoredTrial = {
      id: newId(),
      studyId: study.id,
      number: live.trials.length,
      status: 'running',
      params,
      value: null,
      intermediate: [],
      jobId: null,
      runId: null,
      error: null,
      startedAt: Date.now(),
      finishedAt: null,
    };
    const pending = fromPending ? study.pending.slice(1) : study.pending;
    await this.deps.store.db.transaction().execute(async (trx) => {
      const repo = new StudyRepository(trx);
      await repo.insertTrial(trial);
      if (fromPending) await repo.updateStudy(study.id, { pending });
    });
    study.pending = pending;
    live.trials.push(trial);
    return this.submitJob(live, trial);
  }

  private async submitJob(live: Live, trial: StoredTrial): Promise<boolean> {
    const { study } = live;
    let job: Job;
    try {
      job = await this.deps.queue.submit({
        spec: {
          ...study.train,
          params: { ...study.train.params, ...trial.params },
          trial: { studyId: study.id, study: study.spec.name, number: trial.number },
        },
        priority: study.priority,
        ...(study.cluster ? { cluster: study.cluster } : {}),
        ...(study.spec.resources ? { resources: study.spec.resources } : {}),
      });
    } catch (err) {
      // It would fail the same way for every trial (the dataset was deleted...): stop here rather than spin.
      const message = messageOf(err);
      await this.settle(live, trial, { status: 'failed', error: `its job could not be queued: ${message}` }, false);
      await this.fail(live.study.id, `trial #${trial.number}'s job could not be queued: ${message}`);
      return false;
    }
    await this.repo.updateTrial(trial.id, { jobId: job.id });
    trial.jobId = job.id;
    this.byJob.set(job.id, { studyId: study.id, trialId: trial.id });
    await this.emitTrial(trial.id);
    return true;
  }

  private async finishStudy(live: Live, status: 'completed'): Promise<void> {
    this.live.delete(live.study.id);
    live.study.status = status;
    await this.repo.updateStudy(live.study.id, { status, finishedAt: Date.now() }, 'running');
    await this.updateImportance(live, true);
  }

  /** Ends a running trial (compare-and-set on its status), updates the cache, importance and events. */
  private async settle(live: Live, trial: StoredTrial, end: { status: Exclude<TrialStatus, 'running'>; value?: number; error?: string }, refill = true): Promise<void> {
    const now = Date.now();
    const done = await this.repo.updateTrial(trial.id, { status: end.status, value: end.value ?? null, error: end.error ?? null, finishedAt: now }, 'running');
    if (trial.jobId) this.byJob.delete(trial.jobId);
    if (!done) return;
    Object.assign(trial, { status: end.status, value: end.value ?? null, error: end.error ?? null, finishedAt: now });
    this.deps.bus.emit('trial.updated', done);
    // Without a refill the caller announces the study once it has decided what comes next.
    if (refill) await this.refill(live);
    // After the refill, so the next trials are queued first; a study that just ended has done it already.
    if (end.status === 'completed' && live.study.status === 'running') await this.updateImportance(live, false);
    if (refill) await this.announce(live.study.id);
  }

  /**
   * Recomputes the cached importance. A forest over thousands of trials costs a few hundred
   * milliseconds, so past 100 completed trials it is redone when their number has grown by 5%
   * (and always when the study ends): the ranking moves little between.
   */
  private async updateImportance(live: Live, force: boolean): Promise<void> {
    const completed = live.trials.filter((t) => t.status === 'completed').length;
    if (!force && completed > 100 && completed < live.importanceAt * 1.05) return;
    const rows = computeImportance(live.space, live.study.spec.seed, live.trials);
    live.importanceAt = completed;
    if (rows.length === 0) return;
    live.study.importance = rows;
    await this.repo.updateStudy(live.study.id, { importance: rows });
  }

  private async onJob(job: Job): Promise<void> {
    const ref = this.byJob.get(job.id);
    if (!ref) return;
    const live = this.live.get(ref.studyId);
    const trial = live?.trials.find((t) => t.id === ref.trialId);
    if (!live || !trial || trial.status !== 'running') {
      this.byJob.delete(job.id);
      return;
    }
    if (job.runId && trial.runId !== job.runId) {
      trial.runId = job.runId;
      await this.repo.updateTrial(trial.id, { runId: job.runId });
      await this.emitTrial(trial.id);
    }
    if (!LIVE_JOB.has(job.status)) await this.settleFromJob(live, trial, job.status, job.runId, job.error);
  }

  /** A trial's job ended: its value is the run's objective metric when it completed. */
  private async settleFromJob(live: Live, trial: StoredTrial, status: string, runId: string | null, error: string | null, refill = true): Promise<void> {
    if (status === 'completed') {
      const metric = live.study.spec.objective.metric;
      const summary = await this.runSummary(runId);
      const value = summary?.[metric];
      if (value !== undefined && Number.isFinite(value)) {
        await this.settle(live, trial, { status: 'completed', value }, refill);
        return;
      }
      const error = unscored(metric, value, summary, trainModel(live.study.train));
      // Runs of one study record the same keys: when the first lacks the objective, every run will.
      const structural = summary !== null && value === undefined && !live.trials.some((t) => t.status === 'completed');
      await this.settle(live, trial, { status: 'failed', error }, refill && !structural);
      if (structural && live.study.status === 'running') {
        await this.fail(live.study.id, `trial #${trial.number} could not be scored: ${error}; choose an objective the ${trainModel(live.study.train)} runs record`);
        if (refill) await this.announce(live.study.id);
      }
    } else if (status === 'failed') {
      await this.settle(live, trial, { status: 'failed', error: error ? `its job failed: ${error}` : 'its job failed' }, refill);
    } else {
      await this.settle(live, trial, { status: 'failed', error: 'its job was cancelled' }, refill);
    }
  }

  /** The finished run's summary metrics; null (logged as the last error) when the run cannot be read. */
  private async runSummary(runId: string | null): Promise<Record<string, number> | null> {
    if (!runId) return null;
    try {
      return (await this.deps.tracking.get(runId)).summary;
    } catch (err) {
      this.report(err, "A trial's run could not be read", { runId });
      return null;
    }
  }

  /** A per-epoch point of a trial's run: the trial's intermediate value at that step, then the pruner's say. */
  private async onMetric(jobId: string, key: string, step: number, value: number): Promise<void> {
    const ref = this.byJob.get(jobId);
    if (!ref || !Number.isFinite(value)) return;
    const live = this.live.get(ref.studyId);
    const trial = live?.trials.find((t) => t.id === ref.trialId);
    if (!live || !trial || trial.status !== 'running' || key !== live.intermediateKey) return;
    // A job resumed from a checkpoint reports some steps again: the newer point replaces the older.
    const intermediate = [...trial.intermediate.filter((p) => p.step !== step), { step, value }].sort((a, b) => a.step - b.step);
    trial.intermediate = intermediate;
    const row = await this.repo.updateTrial(trial.id, { intermediate }, 'running');
    if (live.pruner.shouldPrune(trial, live.trials)) {
      await this.settle(live, trial, { status: 'pruned' }, false);
      await this.cancelJob(jobId, PRUNED_BY);
      await this.refill(live);
      await this.announce(live.study.id);
    } else {
      await this.emitTrial(trial.id, row);
    }
  }

  private async cancelJob(jobId: string, why: string): Promise<void> {
    // A job that ended meanwhile cannot be cancelled, and need not be.
    await this.deps.queue.cancel(jobId, 'the study', why).catch((err: unknown) => {
      if (!(err instanceof Conflict || err instanceof NotFound)) this.report(err, "A trial's job could not be cancelled", { jobId, why });
    });
  }

  /**
   * After a restart: trials whose jobs the queue re-queued keep them (the job id is the link), trials
   * whose job ended while the app was down are settled from its final status, a trial whose job was
   * never submitted gets it now, and a finished trial's job that crash recovery re-queued is cancelled.
   */
  private async resume(): Promise<void> {
    // Whatever the study's status: a cancelled study's jobs must not run on either.
    for (const { jobId, status } of await this.repo.endedTrialsWithLiveJobs()) await this.cancelJob(jobId, status === 'pruned' ? PRUNED_BY : CANCELLED_BY);
    for (const study of await this.repo.studies('running')) {
      await this.resumeStudy(study).catch(async (err: unknown) => {
        this.report(err, 'A study could not be resumed; it ends failed', { studyId: study.id, study: study.name });
        // Left running, it would show trials in flight that nothing drives: it ends failed, saying why.
        await this.fail(study.id, `it could not be resumed: ${messageOf(err)}`);
      });
    }
  }

  private async resumeStudy(study: StoredStudy): Promise<void> {
    const live: Live = { ...studyParts(study.spec, trainModel(study.train)), study, trials: await this.repo.trials(study.id), exhausted: false, importanceAt: 0 };
    this.live.set(study.id, live);
    for (const trial of live.trials) if (trial.status === 'running') await this.reattach(live, trial);
    if (this.live.has(study.id)) {
      await this.refill(live);
      await this.announce(study.id);
    }
  }

  private async reattach(live: Live, trial: StoredTrial): Promise<void> {
    if (!trial.jobId) {
      const found = await this.findSubmittedJob(live, trial);
      if (!found) {
        await this.submitJob(live, trial);
        return;
      }
      await this.repo.updateTrial(trial.id, { jobId: found });
      trial.jobId = found;
    }
    const job = await this.deps.queue.get(trial.jobId).catch((err: unknown) => {
      if (!(err instanceof NotFound)) this.report(err, "A trial's job could not be read", { studyId: live.study.id, trialId: trial.id, jobId: trial.jobId });
      return null;
    });
    if (!job) {
      await this.settle(live, trial, { status: 'failed', error: 'its job no longer exists' }, false);
      return;
    }
    this.byJob.set(job.id, { studyId: live.study.id, trialId: trial.id });
    if (job.runId && job.runId !== trial.runId) {
      trial.runId = job.runId;
      await this.repo.updateTrial(trial.id, { runId: job.runId });
    }
    // Settled without refilling: the study's other trials are not all reattached yet.
    if (!LIVE_JOB.has(job.status)) await this.settleFromJob(live, trial, job.status, job.runId, job.error, false);
  }

  /** The job submitted for a trial whose link was not written before the app died: same experiment and params, created after the trial, linked to no trial. */
  private async findSubmittedJob(live: Live, trial: StoredTrial): Promise<string | null> {
    const { train } = live.study;
    const candidates = await this.repo.trainJobsSince(trial.startedAt, train.kind);
    const linked = await this.repo.linkedJobs(candidates.map((c) => c.id));
    const want = { ...live.study.train.params, ...trial.params };
    for (const c of candidates) {
      if (linked.has(c.id)) continue;
      const spec = JSON.parse(c.spec) as StudyTrainSpec;
      if (spec.experiment !== train.experiment) continue;
      if (spec.kind === 'train' && train.kind === 'train' && spec.datasetId !== train.datasetId) continue;
      const keys = new Set([...Object.keys(want), ...Object.keys(spec.params)]);
      if ([...keys].every((k) => spec.params[k] === want[k])) return c.id;
    }
    return null;
  }

  // ---- what the faces see ----

  private async summary(study: StoredStudy): Promise<StudySummary> {
    const [counts, best] = await Promise.all([this.repo.counts(study.id), this.repo.best(study.id, study.spec.objective.direction)]);
    return {
      id: study.id,
      name: study.name,
      status: study.status,
      spec: study.spec,
      train: study.train,
      priority: study.priority,
      counts,
      best: best && best.value !== null ? { number: best.number, value: best.value, params: best.params } : null,
      createdAt: study.createdAt,
      finishedAt: study.finishedAt,
      failureReason: study.failureReason,
      intermediateKey: shownIntermediateKey(study),
      cluster: study.cluster ?? null,
    };
  }

  private async announce(id: string): Promise<StudySummary> {
    const summary = await this.summary(await this.study(id));
    this.deps.bus.emit('study.updated', summary);
    return summary;
  }

  /** Announces a trial as stored: `row` when the caller just wrote it, else read back. */
  private async emitTrial(id: string, row?: StoredTrial): Promise<void> {
    const t = row ?? (await this.repo.trial(id));
    if (t) this.deps.bus.emit('trial.updated', t);
  }
}

/** The series a study's curves plot, for the faces; a study stored for a family this version does not know shows none rather than failing the list. */
function shownIntermediateKey(study: StoredStudy): string | null {
  try {
    return intermediateKeyOf(study.spec, trainModel(study.train));
  } catch (err) {
    if (err instanceof InvalidInput) return null;
    throw err;
  }
}

/** Why a trial whose job completed has no value: no run, the objective absent (listing what the run did record), or not a number. */
function unscored(metric: string, value: number | undefined, summary: Record<string, number> | null, model: string): string {
  if (summary === null) return `it has no run to read ${JSON.stringify(metric)} from`;
  if (value !== undefined) return `its run recorded ${JSON.stringify(metric)} = ${value}, not a finite number`;
  if (model === COMMAND_MODEL) {
    const keys = Object.keys(summary);
    return `its command reported no ${JSON.stringify(metric)} metric (it reported ${keys.length ? keys.join(', ') : 'no metrics'})`;
  }
  const declared = new Set(modelFamily(model).metricKeys.map((k) => k.key));
  const recorded = Object.keys(summary).filter((k) => declared.has(k));
  return `its run recorded no ${JSON.stringify(metric)} metric (it recorded ${recorded.length ? recorded.join(', ') : 'none of the keys a study can optimise'})`;
}

/** A command reports what it likes: its study must name the metric to optimise. */
function defaultObjectiveOf(train: StudyTrainSpec): StudySpec['objective'] {
  if (train.kind === 'train') return defaultObjective(modelFamily(train.model).task);
  throw new InvalidInput('A study over a command needs spec.objective: the metric the command reports and its direction, e.g. { "metric": "val_loss", "direction": "minimize" }', 'spec.objective');
}

/** Why a study whose trials all ended without a value has failed; null when at least one completed. */
function noTrialCompleted(trials: readonly StoredTrial[]): string | null {
  if (trials.length === 0 || trials.some((t) => t.status === 'completed')) return null;
  const failed = trials.filter((t) => t.status === 'failed');
  const first = failed[0];
  const pruned = trials.length - failed.length;
  return (
    `no trial completed: ${failed.length} of ${trials.length} failed${pruned ? `, ${pruned} pruned` : ''}` +
    (first ? `; trial #${first.number}: ${first.error ?? 'no reason recorded'}` : '')
  );
}

function computeImportance(space: ValidSpace, seed: number, trials: readonly StoredTrial[]): { param: string; importance: number }[] {
  if (trials.filter((t) => t.status === 'completed').length < 2) return [];
  return parameterImportance(space, trials, { seed })
    .map((r) => ({ param: r.param, importance: r.importance }))
    .sort((a, b) => b.importance - a.importance);
}

