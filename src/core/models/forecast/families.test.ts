import { describe, expect, it } from 'vitest';
import { ParamDistribution } from '../../../shared/contract';
import { invalid } from '../../../../test/helpers/expect-error';
import { FORECAST_FAMILY_NAMES, MODEL_FAMILIES, defaultSearchSpace, resolveParams } from '../index';

describe('forecast families', () => {
  it('are all known to the core by name, each with defaults, a search space and a schema that fills them in', () => {
    expect(FORECAST_FAMILY_NAMES).toEqual(['auto', 'linear', 'gbdt', 'mlp', 'lstm', 'gru', 'conv1d']);
    for (const name of FORECAST_FAMILY_NAMES) {
      const family = MODEL_FAMILIES[name]!;
      expect(family.task).toBe('forecast');
      const resolved = resolveParams(name, {});
      expect(resolved).toEqual(family.defaults);
      // Every tuned param is a param of the family, and every distribution is one the samplers read.
      const space = defaultSearchSpace(name);
      for (const [key, dist] of Object.entries(space)) {
        expect(Object.keys(resolved), `${name}.${key}`).toContain(key);
        expect(ParamDistribution.safeParse(dist).success).toBe(true);
      }
      expect(Object.keys(space).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('take each family its own params and refuse another family’s, naming the key', () => {
    expect(resolveParams('lstm', { units: '16', layers: 2 })).toMatchObject({ units: 16, layers: 2, batchSize: 64 });
    expect(resolveParams('gru', {}).units).toBe(24);
    expect(resolveParams('conv1d', { filters: 8, kernelSize: 4 })).toMatchObject({ filters: 8, kernelSize: 4 });
    expect(resolveParams('linear', {}).l2).toBe('auto');
    expect(resolveParams('linear', { l2: '0.5' }).l2).toBe(0.5);
    expect(invalid(() => resolveParams('linear', { l2: 'big' })).message).toBe('params.l2: must be auto or a number from 0 to 1000000 (got "big")');
    expect(resolveParams('gbdt', {})).toMatchObject({ rounds: 500, learningRate: 0.05, maxLeaves: 31, bins: 255 });
    expect(invalid(() => resolveParams('gbdt', { bins: 300 })).field).toBe('params.bins');
    expect(resolveParams('auto', { candidates: 'linear, mlp' })).toMatchObject({ criterion: 'mae', candidates: 'linear, mlp', blend: true });
    expect(invalid(() => resolveParams('auto', { candidates: 'linear,forest' })).message).toBe(
      'params.candidates: must be a comma-separated list of linear, gbdt, mlp, lstm, gru, conv1d (got "linear,forest")',
    );
    const e = invalid(() => resolveParams('linear', { hiddenUnits: 8 }));
    expect(e.field).toBe('params.hiddenUnits');
    expect(e.message).toMatch(/^params\.hiddenUnits: unknown parameter for the linear model; known: window, horizon/);
    expect(invalid(() => resolveParams('gru', { units: 0 })).message).toBe('params.units: must be a whole number from 1 to 512 (got 0)');
  });

  it('check the shared preprocessing params: scaler, calendar, season, checkpoints', () => {
    expect(resolveParams('mlp', { scaler: 'robust', calendar: 'true', season: '24', checkpointEvery: '0' })).toMatchObject({
      scaler: 'robust',
      calendar: true,
      season: 24,
      checkpointEvery: 0,
    });
    expect(invalid(() => resolveParams('mlp', { scaler: 'log' })).message).toBe(
      'params.scaler: must be one of standard, minmax, robust (got "log")',
    );
    expect(invalid(() => resolveParams('mlp', { calendar: 'yes' })).field).toBe('params.calendar');
    expect(invalid(() => resolveParams('lstm', { valFraction: 0.5, testFraction: 0.4 })).field).toBe('params.testFraction');
  });

  it('refuse a convolution kernel longer than the window gives time steps', () => {
    const e = invalid(() => resolveParams('conv1d', { window: 6, kernelSize: 3, layers: 3 }));
    expect(e.field).toBe('params.kernelSize');
    expect(e.message).toMatch(/layers x \(kernelSize - 1\) must be at most window - 2/);
    expect(resolveParams('conv1d', { window: 6, kernelSize: 3, layers: 2 }).layers).toBe(2);
  });
});
