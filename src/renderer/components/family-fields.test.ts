import { describe, expect, it } from 'vitest';
import type { ModelFamilyInfo } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { columnFieldsFor, initialFamily, parseFamilyParams } from './family-fields';

const forest: ModelFamilyInfo = {
  name: 'isolation_forest',
  task: 'anomaly',
  isDefault: false,
  defaults: { window: 12, threshold: 'auto', trees: 100 },
  uses: { labelColumn: true, exogenous: false },
};
const mlp: ModelFamilyInfo = {
  name: 'mlp',
  task: 'forecast',
  isDefault: true,
  defaults: { window: 12, epochs: 60, calendar: false },
  uses: { labelColumn: false, exogenous: true },
};

describe('family fields', () => {
  it('send only the column fields the family reads, whatever the hidden ones hold', () => {
    const chosen = { labelColumn: 'anomaly', exogenous: ['pressure'] };
    expect(columnFieldsFor(forest, chosen)).toEqual({ labelColumn: 'anomaly', exogenous: [] });
    expect(columnFieldsFor(mlp, chosen)).toEqual({ exogenous: ['pressure'] });
    expect(columnFieldsFor(forest, { labelColumn: '', exogenous: [] })).toEqual({ exogenous: [] });
  });

  it("parse typed params as their defaults' types, leave empty ones out and name a bad one", () => {
    expect(parseFamilyParams(forest, { trees: ' 50 ', threshold: 'quantile', window: '', epochs: '3' })).toEqual({ trees: 50, threshold: 'quantile' });
    expect(parseFamilyParams(mlp, { calendar: 'true' })).toEqual({ calendar: true });
    let err: unknown;
    try {
      parseFamilyParams(forest, { trees: 'many' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).field).toBe('params.trees');
  });

  it("start with the core's default family", () => {
    expect(initialFamily([forest, mlp])).toBe('mlp');
    expect(initialFamily([forest])).toBe('isolation_forest');
    expect(initialFamily([])).toBe('');
  });
});
