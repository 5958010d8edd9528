import { describe, expect, it } from 'vitest';
import { invalid } from '../../../test/helpers/expect-error';
import { ModelFamily, TrainSpec } from '../../shared/contract';
import { checkFamilyColumns, listModelFamilies, MODEL_FAMILIES } from './index';

describe('the family list the faces show', () => {
  it('holds every registered family with its task, defaults and the column fields it reads, the default marked', () => {
    const list = listModelFamilies();
    expect(list.map((f) => f.name).sort()).toEqual(Object.keys(MODEL_FAMILIES).sort());
    for (const f of list) expect(ModelFamily.options).toContain(f.name);
    expect(list.filter((f) => f.isDefault).map((f) => f.name)).toEqual([TrainSpec.shape.model.parse(undefined)]);
    const forest = list.find((f) => f.name === 'isolation_forest');
    expect(forest).toMatchObject({ task: 'anomaly', uses: { labelColumn: true, exogenous: false }, defaults: { trees: 100, threshold: 'auto' } });
    for (const f of list.filter((x) => x.task === 'forecast')) expect(f.uses).toEqual({ labelColumn: false, exogenous: true });
  });

  it('refuses at submit a column field the family does not read, naming it', () => {
    expect(invalid(() => checkFamilyColumns({ model: 'mlp', exogenous: [], labelColumn: 'anomaly' })).field).toBe('spec.labelColumn');
    expect(invalid(() => checkFamilyColumns({ model: 'autoencoder', exogenous: ['wind'] })).field).toBe('spec.exogenous');
    expect(() => checkFamilyColumns({ model: 'isolation_forest', exogenous: [], labelColumn: 'anomaly' })).not.toThrow();
    expect(() => checkFamilyColumns({ model: 'lstm', exogenous: ['wind'] })).not.toThrow();
  });
});
