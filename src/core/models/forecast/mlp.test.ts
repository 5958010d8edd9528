import { describe, expect, it } from 'vitest';
import { MLP_DEFAULTS, resolveParams } from '../index';
import { resolveMlpParams } from './mlp';
import { invalid } from '../../../../test/helpers/expect-error';

describe('mlp params', () => {
  it('fills in the defaults', () => {
    expect(resolveMlpParams({})).toEqual({
      window: 12,
      horizon: 1,
      hiddenUnits: 32,
      layers: 2,
      epochs: 60,
      batchSize: 32,
      learningRate: 0.003,
      seed: 42,
      valFraction: 0.15,
      testFraction: 0.15,
      patience: 10,
      scaler: 'standard',
      levels: false,
      calendar: false,
      season: 0,
      checkpointEvery: 5,
    });
    expect(MLP_DEFAULTS.window).toBe(12);
  });

  it('takes numbers typed as text, as a command line passes them', () => {
    const p = resolveMlpParams({ epochs: '30', learningRate: ' 0.01 ', valFraction: '2e-1' });
    expect(p).toMatchObject({ epochs: 30, learningRate: 0.01, valFraction: 0.2 });
  });

  it('names an unknown key as params.<key>', () => {
    const e = invalid(() => resolveMlpParams({ epoch: 5 }));
    expect(e.field).toBe('params.epoch');
    expect(e.message).toMatch(/^params\.epoch: unknown parameter for the mlp model; known: window, horizon/);
  });

  it('names the field that is out of range or not a number', () => {
    expect(invalid(() => resolveMlpParams({ epochs: 0 })).field).toBe('params.epochs');
    expect(invalid(() => resolveMlpParams({ epochs: '0' })).message).toBe(
      'params.epochs: must be a whole number from 1 to 10000 (got "0")',
    );
    expect(invalid(() => resolveMlpParams({ window: 2.5 })).message).toMatch(/^params\.window: must be a whole number/);
    expect(invalid(() => resolveMlpParams({ learningRate: 0 })).message).toBe(
      'params.learningRate: must be a number above 0 and at most 1 (got 0)',
    );
    expect(invalid(() => resolveMlpParams({ hiddenUnits: 'many' })).field).toBe('params.hiddenUnits');
    expect(invalid(() => resolveMlpParams({ layers: true })).field).toBe('params.layers');
    expect(invalid(() => resolveMlpParams({ valFraction: 0.5, testFraction: 0.5 })).field).toBe('params.testFraction');
  });

  it('is reachable by model name for the core, which refuses unknown families', () => {
    expect(resolveParams('mlp', { epochs: '5' }).epochs).toBe(5);
    expect(invalid(() => resolveParams('transformer', {})).field).toBe('model');
  });
});
