/** The gbdt family's forecaster: boosted trees on the encoded window, saved as gbdt.json. No TensorFlow.js here. */
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFileAs } from '../json-files';
import type { ForecastPreprocessing } from './features';
import { gbdtPredict, type GbdtModel } from './gbdt';
import { encodedForecaster, type Forecaster } from './predictor';
import { flatFeatures, saveJsonForecaster } from './preprocessing-file';

export const GBDT_FILE = 'gbdt.json';

const Tree = z.object({
  feature: z.array(z.number().int().min(-1)),
  threshold: z.array(z.number()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  value: z.array(z.number()),
});
const GbdtFile = z.object({
  format: z.literal('trainyard.forecast.gbdt'),
  version: z.literal(1),
  features: z.number().int().min(1),
  base: z.number(),
  trees: z.array(Tree).min(1),
});

export function gbdtForecaster(p: ForecastPreprocessing, m: GbdtModel): Forecaster {
  return encodedForecaster(p, {
    kind: 'gbdt',
    input: 'flat',
    predictScaled: (x, count) => gbdtPredict(m, x, count),
    save: (dir, info) => saveJsonForecaster(dir, GBDT_FILE, { format: 'trainyard.forecast.gbdt', version: 1, ...m }, p, { ...info, predictor: 'gbdt' }),
    dispose: () => undefined,
  });
}

export async function loadGbdt(dir: string, p: ForecastPreprocessing): Promise<Forecaster> {
  const f = await readJsonFileAs(join(dir, GBDT_FILE), GbdtFile);
  const features = flatFeatures(p);
  const bad = f.trees.findIndex((t) => t.feature.some((j) => j >= features));
  if (f.features !== features || bad >= 0) {
    throw new Error(`${join(dir, GBDT_FILE)} reads ${f.features} inputs; the preprocessing makes ${features}`);
  }
  return gbdtForecaster(p, { features: f.features, base: f.base, trees: f.trees });
}
