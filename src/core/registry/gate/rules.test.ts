import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../../shared/errors';
import { betterDirection, championDecision, checkMetricRule, parseMetricRule } from './rules';

describe('gate metric rules', () => {
  it('parses a number, a key, and NUMBER * key on the right', () => {
    expect(parseMetricRule('test.skill > 0')).toMatchObject({ left: 'test.skill', op: '>', right: { kind: 'number', value: 0 } });
    expect(parseMetricRule('val.rmse<=naive.val.rmse')).toMatchObject({ left: 'val.rmse', op: '<=', right: { kind: 'key', factor: 1, key: 'naive.val.rmse' } });
    expect(parseMetricRule(' val.rmse <= 0.95 * naive.val.rmse ')).toMatchObject({ text: 'val.rmse <= 0.95 * naive.val.rmse', right: { kind: 'key', factor: 0.95, key: 'naive.val.rmse' } });
    expect(parseMetricRule('test.r2 >= -1.5e-2')).toMatchObject({ op: '>=', right: { kind: 'number', value: -0.015 } });
  });

  it('refuses anything else, naming the rule', () => {
    for (const bad of ['val.rmse', 'val.rmse = 1', 'val.rmse <== 1', '1 < val.rmse', 'val.rmse < 1 + 2', 'val.rmse < naive.val.rmse * 0.9', 'val.rmse < process.exit()', 'a < b < c']) {
      let err: unknown;
      try {
        parseMetricRule(bad, 'gate.rules.0.expr');
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(InvalidInput);
      expect((err as InvalidInput).message).toContain(`The gate rule ${JSON.stringify(bad)} is not valid`);
      expect((err as InvalidInput).field).toBe('gate.rules.0.expr');
    }
  });

  it('checks against metrics: value, threshold and pass; a missing key fails and says which', () => {
    const metrics = { 'val.rmse': 0.9, 'naive.val.rmse': 1, 'test.skill': -0.1 };
    expect(checkMetricRule(parseMetricRule('val.rmse <= 0.95 * naive.val.rmse'), metrics)).toMatchObject({ value: 0.9, threshold: 0.95, passed: true });
    expect(checkMetricRule(parseMetricRule('val.rmse < 0.9'), metrics)).toMatchObject({ value: 0.9, threshold: 0.9, passed: false });
    expect(checkMetricRule(parseMetricRule('test.skill > 0'), metrics)).toMatchObject({ value: -0.1, threshold: 0, passed: false });
    const missing = checkMetricRule(parseMetricRule('val.rmse <= seasonal_naive.val.rmse'), metrics);
    expect(missing).toMatchObject({ value: 0.9, threshold: null, passed: false, detail: "the version's metrics have no seasonal_naive.val.rmse, so the rule cannot be checked" });
  });

  it('the champion decision follows the metric direction with a relative tolerance', () => {
    expect(betterDirection('test.rmse')).toBe('lower');
    expect(betterDirection('test.pr_auc')).toBe('higher');
    expect(betterDirection('skill.naive')).toBe('higher');
    expect(betterDirection('test.wobble')).toBeNull();
    // RMSE 1.00 now: up to 1.01 passes at 1%.
    expect(championDecision('test.rmse', 0.01, 1.009, 1)).toMatchObject({ passed: true, threshold: 1.01 });
    expect(championDecision('test.rmse', 0.01, 1.02, 1)).toMatchObject({ passed: false, threshold: 1.01 });
    // F1 0.80 now: down to 0.792 passes at 1%.
    expect(championDecision('test.f1', 0.01, 0.795, 0.8).passed).toBe(true);
    expect(championDecision('test.f1', 0.01, 0.79, 0.8).passed).toBe(false);
    // A negative skill: the slack is on its size, still in the better direction.
    expect(championDecision('test.skill', 0.1, -0.21, -0.2)).toMatchObject({ passed: true });
    expect(championDecision('test.skill', 0.1, -0.23, -0.2).passed).toBe(false);
  });
});
