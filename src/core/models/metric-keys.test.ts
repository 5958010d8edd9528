import { describe, expect, it } from 'vitest';
import { MODEL_FAMILIES, anomalyMetricKeys, defaultObjective, forecastMetricKeys, modelFamily } from './index';

describe('the metric keys a family declares', () => {
  it('are the shared vocabulary: validation and test on the original scale, per-epoch losses only for networks', () => {
    const keys = forecastMetricKeys({ perEpoch: true });
    const byKey = new Map(keys.map((k) => [k.key, k]));
    expect(byKey.get('val.rmse')).toEqual({ key: 'val.rmse', direction: 'minimize', split: 'validation', perEpoch: false });
    expect(byKey.get('val.skill')).toMatchObject({ direction: 'maximize', split: 'validation' });
    expect(byKey.get('naive.val.mape')).toMatchObject({ split: 'validation' });
    expect(byKey.get('seasonal_naive.val.r2')).toMatchObject({ direction: 'maximize', split: 'validation' });
    for (const k of ['test.rmse', 'test.skill', 'naive.rmse', 'seasonal_naive.mae', 'skill.naive', 'skill.seasonal_naive']) expect(byKey.get(k)?.split).toBe('test');
    expect(byKey.get('val_loss')).toMatchObject({ split: 'validation', perEpoch: true });
    expect(byKey.get('loss')).toMatchObject({ split: 'train', perEpoch: true });
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
    expect(forecastMetricKeys({ perEpoch: false }).some((k) => k.perEpoch)).toBe(false);
    const anomaly = new Map(anomalyMetricKeys({ perEpoch: false }).map((k) => [k.key, k]));
    expect(anomaly.get('val.pr_auc')).toMatchObject({ direction: 'maximize', split: 'validation' });
    expect(anomaly.get('test.detection_delay')).toMatchObject({ direction: 'minimize', split: 'test' });
    expect(anomaly.has('val_loss')).toBe(false);
  });

  it('each family reports its default objective; only networks trained epoch by epoch have a series to prune on', () => {
    for (const family of Object.values(MODEL_FAMILIES)) {
      const d = defaultObjective(family!.task);
      expect(family!.metricKeys.find((k) => k.key === d.metric)).toMatchObject({ split: 'validation', direction: d.direction });
    }
    const perEpoch = (name: string) => modelFamily(name).metricKeys.some((k) => k.perEpoch);
    expect(['mlp', 'lstm', 'gru', 'conv1d', 'autoencoder'].every(perEpoch)).toBe(true);
    expect(['linear', 'isolation_forest'].some(perEpoch)).toBe(false);
  });
});
