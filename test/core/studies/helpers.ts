/** What the study tests share: the CO2 sample imported, a small trial template, and waiting on a study. */
import type { Api, StudyCreateInput, StudySummary, TrainSpecInput } from '../../../src/shared/contract';

export async function importCo2(api: Api): Promise<string> {
  return (await api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } })).id;
}

/** A trial small enough for a 2-core machine: a few epochs over a short window. */
export function smallTrain(datasetId: string, epochs = 3): TrainSpecInput & { kind: 'train' } {
  return { kind: 'train', datasetId, target: 'CO2', model: 'mlp', params: { epochs, window: 6, patience: 0, hiddenUnits: 8, layers: 1, checkpointEvery: 1 } };
}

export function studyInput(datasetId: string, over: Partial<Omit<StudyCreateInput, 'spec'>> & { spec?: Partial<StudyCreateInput['spec']> } = {}): StudyCreateInput {
  return {
    train: smallTrain(datasetId),
    ...over,
    spec: {
      name: 'co2-study',
      objective: { metric: 'val_loss', direction: 'minimize' },
      space: { learningRate: { type: 'float', low: 1e-3, high: 3e-2, log: true }, hiddenUnits: { type: 'int', low: 4, high: 16 } },
      sampler: { type: 'random' },
      budget: { trials: 3 },
      ...over.spec,
    },
  };
}

/** Resolves once the study has left `running`, polling the API (events are checked separately). */
export async function waitForStudy(api: Api, id: string, until: (s: StudySummary) => boolean = (s) => s.status !== 'running'): Promise<StudySummary> {
  for (;;) {
    const s = await api.studies.get({ id });
    if (until(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}
