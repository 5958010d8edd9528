/**
 * The worker process: one job at a time (and, warm, one after another), driven by the core over comlink, with its running
 * commentary (progress, logs, metrics, a heartbeat every second) on the event channel of the same
 * pipe. It lives only as long as its parent: when the core goes away, so does the worker.
 */
import * as Comlink from 'comlink';
import { Conflict } from '../shared/errors';
import { detectBackends } from '../core/compute';
import { runTrainTask } from '../core/pipeline';
import { comlinkEndpoint, parentPipe, type TrainTask, type WorkerApi, type WorkerEvent } from '../core/workers';

const HEARTBEAT_MS = 1000;

// A worker writes only inside the data directory (models, checkpoints): private to the user, like the rest of it.
process.umask(0o077);

const pipe = parentPipe();
const send = (e: WorkerEvent) => pipe.send({ ch: 'evt', e });

let training = false;
let stopRequested = false;

const workerApi: WorkerApi = {
  async train(task: TrainTask) {
    if (training) throw new Conflict('This worker is already training a job');
    training = true;
    stopRequested = false;
    try {
      return await runTrainTask(task, { emit: send, shouldStop: () => stopRequested });
    } finally {
      training = false;
    }
  },
  async noop(task) {
    stopRequested = false;
    const start = Date.now();
    // Sleeps in short slices so a cancel is heard, as a training job hears it between batches.
    while (Date.now() - start < task.sleepMs) {
      if (stopRequested) throw new Error('cancelled');
      await new Promise((r) => setTimeout(r, Math.min(50, task.sleepMs - (Date.now() - start))));
    }
    return { sleptMs: Date.now() - start };
  },
  // Loaded on first use, so a training worker never loads the registry's scoring code.
  async predict(task) {
    return (await import('../core/registry')).runPredictTask(task);
  },
  async evaluate(task) {
    return (await import('../core/registry')).runEvaluateTask(task);
  },
  async cancel() {
    stopRequested = true;
  },
  async backends() {
    const backends = await detectBackends();
    return { backends, backend: backends.find((b) => b.available)?.name ?? 'cpu' };
  },
};

Comlink.expose(workerApi, comlinkEndpoint(pipe));

// The heartbeat is also what keeps this process alive between calls.
setInterval(() => send({ type: 'heartbeat', ts: Date.now() }), HEARTBEAT_MS);
send({ type: 'heartbeat', ts: Date.now() });

process.on('disconnect', () => process.exit(0));
