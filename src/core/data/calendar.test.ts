import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calendarCycles, calendarFeatures, inferFrequency, inferSeason, loadSeries } from './index';

const load = (file: string, target: string) =>
  loadSeries(readFileSync(new URL(`../../../resources/datasets/${file}`, import.meta.url), 'utf8'), { target });

describe('frequency and season from the time column', () => {
  it('reads the bundled datasets: CO2 and employment monthly (season 12), Seattle hourly (season 24), Seattle daily (season 7)', () => {
    const samples = JSON.parse(readFileSync(new URL('../../../resources/datasets/samples.json', import.meta.url), 'utf8')) as {
      file: string;
      target: string;
      frequency: string;
    }[];
    const seasons: Record<string, number> = { monthly: 12, hourly: 24, daily: 7 };
    for (const s of samples) {
      const ts = load(s.file, s.target).timestamps!;
      expect(inferFrequency(ts), s.file).toBe(s.frequency);
      expect(inferSeason(ts), s.file).toBe(seasons[s.frequency]);
    }
  });

  it('knows daily, weekly and quarterly steps, tolerates a gap, and gives no season without a time column', () => {
    const day = 86_400_000;
    const daily = Array.from({ length: 30 }, (_, i) => Date.UTC(2024, 0, 1) + i * day);
    expect(inferSeason(daily)).toBe(7);
    daily.splice(10, 3); // a few missing days do not change the median step
    expect(inferFrequency(daily)).toBe('daily');
    expect(inferSeason(Array.from({ length: 10 }, (_, i) => i * 7 * day))).toBe(52);
    expect(inferSeason(Array.from({ length: 10 }, (_, i) => Date.UTC(2000, 3 * i, 1)))).toBe(4);
    expect(inferFrequency([0, 5 * day, 6 * day, 17 * day])).toBe('irregular');
    expect(inferSeason(null)).toBeNull();
  });
});

describe('calendar features', () => {
  it('chooses the cycles a frequency can describe', () => {
    expect(calendarCycles('hourly')).toEqual(['hour_of_day', 'day_of_week', 'day_of_year']);
    expect(calendarCycles('daily')).toEqual(['day_of_week', 'day_of_year']);
    expect(calendarCycles('monthly')).toEqual(['month_of_year']);
    expect(calendarCycles('irregular')).toEqual([]);
  });

  it('places 23:00 next to 00:00 and each month at its angle, on the unit circle', () => {
    const hours = [Date.UTC(2024, 0, 1, 23), Date.UTC(2024, 0, 2, 0), Date.UTC(2024, 0, 2, 12)];
    const f = calendarFeatures(hours, ['hour_of_day']);
    const dist = (a: number, b: number) => Math.hypot(f[2 * a] - f[2 * b], f[2 * a + 1] - f[2 * b + 1]);
    expect(dist(0, 1)).toBeCloseTo(2 * Math.sin(Math.PI / 24), 9);
    expect(dist(1, 2)).toBeCloseTo(2, 9);
    const months = calendarFeatures([Date.UTC(2020, 0, 1), Date.UTC(2020, 3, 1), Date.UTC(2020, 6, 1)], ['month_of_year']);
    expect(Array.from(months).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 1, 1, 0, 0, -1]);
    const all = calendarFeatures(hours, ['hour_of_day', 'day_of_week', 'day_of_year']);
    for (let i = 0; i < all.length; i += 2) expect(all[i] ** 2 + all[i + 1] ** 2).toBeCloseTo(1, 12);
  });
});
