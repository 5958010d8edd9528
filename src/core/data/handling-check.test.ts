/** What a job's `data` options are refused for at submit, before anything is queued: each with the field named. */
import { describe, expect, it } from 'vitest';
import { invalid } from '../../../test/helpers/expect-error';
import { TrainSpec } from '../../shared/contract';
import { zodToInvalidInput } from '../../shared/rpc/dispatcher';
import { checkDataHandling } from './index';

const seattle = { name: 'seattle', rows: 8759, timeColumn: 'date' };
const spec = (data: unknown) => ({ kind: 'train', datasetId: 'd', target: 'temperature', data });

/** The InvalidInput the API boundary gives for a spec the contract refuses. */
function refused(data: unknown) {
  const r = TrainSpec.safeParse(spec(data));
  if (r.success) throw new Error('expected the contract to refuse it');
  return zodToInvalidInput(r.error, 'spec');
}

describe('data options at submit', () => {
  it('the contract: defaults filled in, policies and split shapes checked', () => {
    expect(TrainSpec.parse(spec({ missing: 'ffill' })).data).toEqual({ timeOrder: 'sort', duplicates: 'refuse', missing: 'ffill' });
    expect(TrainSpec.parse(spec(undefined)).data).toBeUndefined();
    expect(refused({ split: { rows: [7445, 6131] } })).toMatchObject({
      field: 'spec.data.split.rows',
      message: 'spec.data.split.rows: the first test row must come after the first validation row',
    });
    expect(refused({ split: { rows: [0, 10] } }).field).toBe('spec.data.split.rows.0');
    expect(refused({ split: { valFrom: 'yesterday', testFrom: '2010-12-01' } }).message).toBe(
      'spec.data.split.valFrom: must be an ISO date such as 2010-11-01 or 2010-11-01T00:00:00Z',
    );
    expect(refused({ missing: 'zero' }).field).toBe('spec.data.missing');
  });

  it('against the dataset: rows past its end, a date split without a time column, dates not increasing', () => {
    const data = (split: NonNullable<TrainSpec['data']>['split']) => TrainSpec.parse(spec({ split })).data;
    expect(() => checkDataHandling(data({ rows: [6131, 7445] }), seattle, 'spec.data')).not.toThrow();
    expect(invalid(() => checkDataHandling(data({ rows: [6131, 8759] }), seattle, 'spec.data'))).toMatchObject({
      field: 'spec.data.split.rows',
      message: 'spec.data.split.rows: the first test row 8759 is past the last row of dataset seattle (8759 rows, indices 0-8758)',
    });
    expect(invalid(() => checkDataHandling(data({ valFrom: '2010-11-01', testFrom: '2010-12-01' }), { ...seattle, timeColumn: null }, 'spec.data')).field).toBe(
      'spec.data.split',
    );
    expect(invalid(() => checkDataHandling(data({ valFrom: '2010-12-01', testFrom: '2010-11-01' }), seattle, 'spec.data')).message).toBe(
      'spec.data.split: testFrom (2010-11-01) must come after valFrom (2010-12-01)',
    );
    expect(invalid(() => checkDataHandling(data({ valFrom: '2010-02-30', testFrom: '2010-12-01' }), seattle, 'spec.data')).field).toBe('spec.data.split.valFrom');
  });
});
