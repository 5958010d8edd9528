import { runTrainTask } from './src/core/pipeline';
import { sampleTask } from './src/core/pipeline/testing';
for (const params of [{ learningRate: 0.1, l2: 0, maxDepth: 0, rounds: 100, patience: 0 }, { learningRate: 0.1, l2: 0, maxDepth: 0, rounds: 500, patience: 30 }]) {
  const r = await runTrainTask(sampleTask('/tmp/gt', 'global-temp.csv', 'temp', params, {}, { model: 'gbdt' }), { emit: () => {} });
  console.log(JSON.stringify(params), 'val', r.metrics['val.mae'].toFixed(4), 'test', r.metrics['test.mae'].toFixed(4), r.params.trees_kept);
}
