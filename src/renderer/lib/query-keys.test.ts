import { describe, expect, it } from 'vitest';
import { queryFields, unknownQueryKeys } from './query-keys';

const keys = { params: ['epochs', 'lr'], metrics: ['test.rmse', 'val.rmse'], tags: ['stage'] };

describe('unknown query keys', () => {
  it('reads the prefixed fields outside strings', () => {
    expect(queryFields('metrics.test.rmse < 0.5 and tags.stage = "params.fake" or params.lr>0')).toEqual(['metrics.test.rmse', 'tags.stage', 'params.lr']);
  });

  it('names a key no run has, and the run field it probably meant', () => {
    expect(unknownQueryKeys('params.model = "mlp"', keys)).toEqual([{ field: 'params.model', suggestion: 'model' }]);
    expect(unknownQueryKeys('tags.epochs > 3', keys)).toEqual([{ field: 'tags.epochs', suggestion: 'params.epochs' }]);
    expect(unknownQueryKeys('metrics.test.mae < 1', keys)).toEqual([{ field: 'metrics.test.mae', suggestion: null }]);
  });

  it('is quiet about keys runs have and about unprefixed fields', () => {
    expect(unknownQueryKeys('model = "mlp" and metrics.test.rmse < 0.5 and params.epochs = 3', keys)).toEqual([]);
  });
});
