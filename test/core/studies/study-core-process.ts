/**
 * A Trainyard core in its own process running a study, for the crash test: it starts on DATA_DIR
 * with the product's workers (two at once), imports the CO2 sample, creates a study of TRIALS
 * trials of EPOCHS epochs, prints one JSON line once two trials are training (each has reported an
 * intermediate value), and runs until it is killed.
 */
import { createApp } from '../../../src/core/app';
import { createClient, createMemoryPair, serveConnection } from '../../../src/shared/rpc';
import { importCo2, smallTrain, studyInput } from './helpers';

const core = await createApp({ dataDir: process.env.DATA_DIR!, maxConcurrent: 2 });
const [a, b] = createMemoryPair();
serveConnection({ handlers: core.api, events: core.events, transport: a });
const { api } = createClient(b);
const datasetId = await importCo2(api);
const study = await api.studies.create(
  studyInput(datasetId, {
    train: smallTrain(datasetId, Number(process.env.EPOCHS ?? 40)),
    spec: { sampler: { type: 'tpe', nStartupTrials: 2 }, parallelism: 2, budget: { trials: Number(process.env.TRIALS ?? 5) } },
  }),
);
const announce = setInterval(async () => {
  const { trials } = await api.studies.trials({ id: study.id });
  const training = trials.filter((t) => t.status === 'running' && t.intermediate.length > 0);
  if (training.length >= 2) {
    clearInterval(announce);
    process.stdout.write(`${JSON.stringify({ studyId: study.id, running: training.map((t) => ({ number: t.number, jobId: t.jobId })) })}\n`);
  }
}, 50);
