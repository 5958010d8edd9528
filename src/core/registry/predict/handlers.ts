/** Predict and evaluate over registered versions: the `models.predict` and `models.evaluate` methods, and the gate's scorer. */
import type { ApiHandlers, EvaluateResult } from '../../../shared/contract';
import type { RegistryDeps } from '../deps';
import type { ModelOnDisk, ModelScorer, RegistryPort } from '../ports';
import { openData } from './data-file';
import { checkComparable, poolScorer, predictModel } from './scorer';

export type PredictMethods = Pick<ApiHandlers['models'], 'predict' | 'evaluate'>;

export function createScorer(deps: RegistryDeps): ModelScorer {
  return poolScorer(deps.pool);
}

export function predictHandlers(deps: RegistryDeps, registry: RegistryPort, scorer: ModelScorer): PredictMethods {
  return {
    async predict({ ref, data }) {
      const model = await registry.open(ref);
      const opened = await openData(deps.datasets, data);
      try {
        return await predictModel(deps.pool, model, opened.file);
      } finally {
        await opened.release();
      }
    },
    async evaluate({ refs, data, rows }): Promise<EvaluateResult> {
      const models: ModelOnDisk[] = [];
      for (const ref of refs) models.push(await registry.open(ref));
      checkComparable(models);
      const opened = await openData(deps.datasets, data);
      try {
        const { file } = opened;
        const scored = await scorer.evaluate(models, file, rows);
        return {
          dataset: { id: file.datasetId, name: file.name, sha256: file.sha256 },
          rows: scored.rows,
          models: models.map((m, i) => ({ ref: refs[i], model: m.version.model, version: m.version.version, metrics: scored.metrics[i] })),
        };
      } finally {
        await opened.release();
      }
    },
  };
}
