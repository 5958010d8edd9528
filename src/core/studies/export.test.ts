import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { StudySpec } from '../../shared/contract';
import { exportTrials } from './export';
import type { StoredTrial } from './repository';

const spec = StudySpec.parse({
  name: 'co2 / mlp, "tuned"',
  objective: { metric: 'val.rmse', direction: 'minimize' },
  space: {
    model: { type: 'categorical', choices: ['small', 'big'] },
    units: { type: 'int', low: 8, high: 64, when: { param: 'model', equals: ['big'] } },
    note: { type: 'categorical', choices: ['=SUM(A1)', 'a,b'] },
  },
  budget: { trials: 3 },
});

const trial = (number: number, params: StoredTrial['params'], over: Partial<StoredTrial> = {}): StoredTrial => ({
  id: `t${number}`,
  studyId: 's',
  number,
  status: 'completed',
  params,
  value: 1 / (number + 1),
  intermediate: [
    { step: 1, value: 2 },
    { step: 2, value: 1.5 },
  ],
  jobId: `j${number}`,
  runId: `r${number}`,
  error: null,
  startedAt: 1_700_000_000_000,
  finishedAt: 1_700_000_002_500,
  ...over,
});

const trials = [
  trial(0, { model: 'small', note: '=SUM(A1)' }),
  trial(1, { model: 'big', units: 32, note: 'a,b' }),
  trial(2, { model: 'big', units: 8, note: 'a,b' }, { status: 'failed', value: null, error: 'its job failed: "boom"', finishedAt: null }),
];

describe('trial export', () => {
  it('writes CSV a CSV reader reads back: one column per parameter, empty where inactive, quoting and formulas made safe', () => {
    const out = exportTrials(spec, trials, 'csv');
    expect(out).toMatchObject({ mime: 'text/csv', count: 3, filename: 'co2-mlp-tuned-trials.csv' });
    const parsed = Papa.parse<Record<string, string>>(out.text.trim(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(expect.arrayContaining(['params.model', 'params.units', 'params.note']));
    const rows = parsed.data;
    expect(rows.map((r) => r['params.units'])).toEqual(['', '32', '8']);
    expect(rows[0]['params.note']).toBe("'=SUM(A1)");
    expect(rows[1]['params.note']).toBe('a,b');
    expect(rows.map((r) => r.value)).toEqual(['1', '0.5', '']);
    expect(rows[0]).toMatchObject({ steps: '2', last_intermediate: '1.5', duration_s: '2.5', status: 'completed' });
    expect(rows[2]).toMatchObject({ status: 'failed', error: 'its job failed: "boom"', finished_at: '' });
  });

  it('writes JSON with types kept and every parameter of the space a key (null where inactive)', () => {
    const out = exportTrials(spec, trials, 'json');
    const data = JSON.parse(out.text) as { study: string; trials: { params: Record<string, unknown>; value: number | null; intermediate: unknown[] }[] };
    expect(data.study).toBe(spec.name);
    expect(data.trials.map((t) => t.params)).toEqual([
      { model: 'small', units: null, note: '=SUM(A1)' },
      { model: 'big', units: 32, note: 'a,b' },
      { model: 'big', units: 8, note: 'a,b' },
    ]);
    expect(data.trials.map((t) => t.value)).toEqual([1, 0.5, null]);
    expect(data.trials[0].intermediate).toEqual(trials[0].intermediate);
  });
});
