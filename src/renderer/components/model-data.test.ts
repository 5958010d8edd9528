import { describe, expect, it } from 'vitest';
import {
  aliasEntries,
  base64ToBytes,
  checkOciReference,
  compareMetrics,
  formatGateRule,
  gateStatus,
  isModelName,
  lowerIsBetter,
  newTransferId,
  parseGateRules,
  parseTags,
  predictChart,
  refOptions,
  suggestModelName,
  transferFraction,
} from './model-data';

describe('which way a metric is better', () => {
  it('reads errors as lower-better and scores as higher-better', () => {
    expect(lowerIsBetter('val.rmse')).toBe(true);
    expect(lowerIsBetter('naive.val.mae')).toBe(true);
    expect(lowerIsBetter('test.skill')).toBe(false);
    expect(lowerIsBetter('test.pr_auc')).toBe(false);
  });

  it('marks the better side per metric, key metrics first', () => {
    const rows = compareMetrics({ 'val.rmse': 1, 'test.rmse': 2, 'test.skill': 0.1, extra: 5 }, { 'val.rmse': 2, 'test.rmse': 2, 'test.skill': 0.3 }, 'forecast');
    expect(rows.map((r) => r.key)).toEqual(['val.rmse', 'test.rmse', 'test.skill', 'extra']);
    expect(rows.map((r) => r.better)).toEqual(['a', null, 'b', null]);
    expect(rows[3]).toEqual({ key: 'extra', a: 5, b: null, better: null });
  });
});

describe('gate status and aliases', () => {
  it('says none, pass or fail', () => {
    expect(gateStatus(null)).toBe('none');
    const report = { id: 'r', model: 'm', version: 1, alias: 'champion', at: 1, checks: [] };
    expect(gateStatus({ ...report, passed: true })).toBe('pass');
    expect(gateStatus({ ...report, passed: false })).toBe('fail');
  });

  it('lists champion and candidate before other aliases', () => {
    expect(aliasEntries({ zeta: 1, candidate: 3, alpha: 2, champion: 4 }).map(([a]) => a)).toEqual(['champion', 'candidate', 'alpha', 'zeta']);
  });

  it('offers aliases then versions as references', () => {
    expect(refOptions('co2', { champion: 2 }, [3, 2]).map((o) => o.value)).toEqual(['co2@champion', 'co2:3', 'co2:2']);
  });
});

describe('names, tags and references typed by a person', () => {
  it('suggests a valid model name from a dataset file or an experiment', () => {
    expect(suggestModelName('co2-concentration.csv', 'Default')).toBe('co2-concentration');
    expect(suggestModelName(null, '  My Experiment #3 ')).toBe('my-experiment-3');
    expect(suggestModelName('', '---')).toBe('model');
    expect(isModelName(suggestModelName('A'.repeat(300)))).toBe(true);
  });

  it('reads key=value tags and names the entry that is not one', () => {
    expect(parseTags('team=forecast, stage = candidate\nowner=ana')).toEqual({ tags: { team: 'forecast', stage: 'candidate', owner: 'ana' } });
    expect(parseTags('')).toEqual({ tags: {} });
    expect(parseTags('team=x, oops')).toEqual({ error: 'Tag "oops" is not key=value' });
  });

  it('checks registry references before they are sent', () => {
    expect(checkOciReference('127.0.0.1:5000/forecasting/co2:v1')).toBeNull();
    expect(checkOciReference('registry.lab/co2')).toBeNull();
    expect(checkOciReference('http://registry.lab/co2:v1')).toMatch(/scheme/);
    expect(checkOciReference('co2:v1')).toMatch(/names no repository/);
    expect(checkOciReference('host/Upper:v1')).toMatch(/not a repository name/);
    expect(checkOciReference('host/co2:bad tag')).toMatch(/not a tag/);
    expect(checkOciReference('  ')).toMatch(/Enter a registry reference/);
  });
});

describe('gate rules as text', () => {
  it('round-trips metric and champion rules', () => {
    const rules = [
      { kind: 'metric' as const, expr: 'val.rmse <= 0.95 * naive.val.rmse' },
      { kind: 'champion' as const, metric: 'test.rmse', alias: 'champion', tolerance: 0.01 },
      { kind: 'champion' as const, metric: 'test.mae', alias: 'prod', tolerance: 0.05 },
    ];
    const text = rules.map(formatGateRule).join('\n');
    expect(text).toBe('val.rmse <= 0.95 * naive.val.rmse\nchampion test.rmse 0.01\nchampion test.mae 0.05 @prod');
    expect(parseGateRules(`# comment\n${text}\n\n`)).toEqual({ rules });
  });

  it('names the line of a champion rule it cannot read', () => {
    expect(parseGateRules('test.skill > 0\nchampion')).toEqual({ error: expect.stringMatching(/^Line 2:/) });
    expect(parseGateRules('champion test.rmse lots')).toEqual({ error: expect.stringMatching(/"lots"/) });
  });
});

describe('transfers', () => {
  it('chooses distinct ids that fit the contract', () => {
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const a = newTransferId(random, 1000);
    const b = newTransferId(random, 1000);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(64);
  });

  it('turns bytes into a fraction, whole when completed', () => {
    const p = { transferId: 't', direction: 'push' as const, target: 'x', bytesDone: 25, bytesTotal: 100, state: 'running' as const, error: null };
    expect(transferFraction(p)).toBe(0.25);
    expect(transferFraction({ ...p, bytesTotal: 0 })).toBe(0);
    expect(transferFraction({ ...p, state: 'completed', bytesDone: 0, bytesTotal: 0 })).toBe(1);
    expect(transferFraction(undefined)).toBe(0);
  });
});

describe('the predict chart', () => {
  it('splits fitted rows from the forecast past the end and joins the two lines', () => {
    const chart = predictChart({
      task: 'forecast',
      columns: ['time', 'actual', 'predicted', 'kind'],
      rows: [
        ['2020-01', 1, 1.1, 'fitted'],
        ['2020-02', 2, 2.1, 'fitted'],
        ['2020-03', null, 3.2, 'forecast'],
        ['2020-04', '', 4.2, 'forecast'],
      ],
    });
    expect(chart.labels).toEqual(['actual', 'fitted', 'forecast']);
    // x is time in epoch seconds, as uPlot reads it.
    expect(chart.time).toBe(true);
    expect(chart.data).toEqual([
      [0, 1, 2, 3].map((m) => Date.UTC(2020, m) / 1000),
      [1, 2, null, null],
      [1.1, 2.1, null, null],
      [null, 2.1, 3.2, 4.2],
    ]);
    expect(chart.marked).toBe(2);
  });

  it('draws flagged anomaly rows as their value and nothing elsewhere', () => {
    const chart = predictChart({
      task: 'anomaly',
      columns: ['row', 'value', 'score', 'flagged'],
      rows: [
        [0, 5, 0.1, 0],
        [1, 50, 0.9, 1],
        [2, 6, 0.2, 'false'],
      ],
    });
    // Without a time column, x is row order.
    expect(chart.time).toBe(false);
    expect(chart.data[0]).toEqual([0, 1, 2]);
    expect(chart.data.slice(1)).toEqual([
      [5, 50, 6],
      [null, 50, null],
      [0.1, 0.9, 0.2],
    ]);
    expect(chart.marked).toBe(1);
  });
});

it('decodes base64 to bytes', () => {
  expect([...base64ToBytes(Buffer.from([0, 1, 254, 255]).toString('base64'))]).toEqual([0, 1, 254, 255]);
});
