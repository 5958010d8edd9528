/** What the New job form sends as the spec's `data`: nothing at the defaults, only what the user changed, and the contract accepts it. */
import { describe, expect, it } from 'vitest';
import { TrainSpec } from '../../shared/contract';
import { DEFAULT_DATA_HANDLING, dataHandlingSpec } from './DataHandlingFields';

const accepted = (data: unknown) => TrainSpec.parse({ kind: 'train', datasetId: 'd', target: 't', data }).data;

describe('the data handling fields as a spec', () => {
  it('sends nothing at the defaults, so a plain job is unchanged', () => {
    expect(dataHandlingSpec(DEFAULT_DATA_HANDLING)).toBeUndefined();
  });

  it('sends the policies changed and the split asked for, in the shape the contract takes', () => {
    const rows = dataHandlingSpec({ ...DEFAULT_DATA_HANDLING, missing: 'interpolate', splitMode: 'rows', valStart: ' 6131', testStart: '7445 ' });
    expect(rows).toEqual({ missing: 'interpolate', split: { rows: [6131, 7445] } });
    expect(accepted(rows)).toEqual({ timeOrder: 'sort', duplicates: 'refuse', missing: 'interpolate', split: { rows: [6131, 7445] } });
    const dates = dataHandlingSpec({ ...DEFAULT_DATA_HANDLING, timeOrder: 'file', splitMode: 'dates', valFrom: '2010-11-01', testFrom: '2010-12-01' });
    expect(accepted(dates)).toMatchObject({ timeOrder: 'file', split: { valFrom: '2010-11-01', testFrom: '2010-12-01' } });
  });

  it('says which split field is not filled in', () => {
    expect(() => dataHandlingSpec({ ...DEFAULT_DATA_HANDLING, splitMode: 'rows', valStart: '6131', testStart: '' })).toThrow(/^First test row must be a row index/);
    expect(() => dataHandlingSpec({ ...DEFAULT_DATA_HANDLING, splitMode: 'rows', valStart: '61.5', testStart: '7445' })).toThrow(/^First validation row/);
    expect(() => dataHandlingSpec({ ...DEFAULT_DATA_HANDLING, splitMode: 'dates', valFrom: '2010-11-01' })).toThrow('Test from needs a date, such as 2010-11-01');
  });
});
