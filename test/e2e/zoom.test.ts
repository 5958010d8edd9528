/**
 * End to end, zooming a long series: two runs with a 200,000-step loss each, written into the store
 * before `trainyard serve` opens it. On a run's page and in Compare, the chart first holds the
 * whole series' view (at most about a thousand points over all 200,000 steps); a drag across the
 * middle of the plot asks the core for that window, and the chart then holds that many points over
 * the window alone: finer points, not the same ones stretched. "Whole series" goes back.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/core/paths';
import { openStore } from '../../src/core/store';
import { Tracking, type MetricRow } from '../../src/core/tracking';
import { e2eForSuite, shot } from './harness';

const STEPS = 200_000;
let runIds: string[] = [];

async function seedLongRuns(dataDir: string): Promise<void> {
  const store = openStore(dataPaths(dataDir).db);
  const tracking = new Tracking(store, { dataDir });
  try {
    for (const [r, phase] of [0, 1.5].entries()) {
      const id = await tracking.startRun({ experiment: 'long', jobId: null, model: 'mlp', datasetId: null, datasetSha256: null, params: { run: r } });
      const rows: MetricRow[] = [];
      for (let step = 0; step < STEPS; step++) rows.push({ runId: id, key: 'loss', step, ts: 1_700_000_000_000 + step * 10, value: 1 + Math.sin(step / 300 + phase) / (1 + step / 50_000) });
      for (let i = 0; i < rows.length; i += 50_000) await tracking.recordMetrics(rows.slice(i, i + 50_000));
      await tracking.finishRun(id, { status: 'completed' });
      runIds.push(id);
    }
  } finally {
    await tracking.close();
    await store.close();
  }
}

const e2e = e2eForSuite({
  name: 'zoom',
  buildUi: true,
  seed: async (dataDir) => {
    runIds = [];
    await seedLongRuns(dataDir);
  },
});

interface Drawn {
  points: number;
  xMin: number;
  xMax: number;
}

async function drawn(chart: Locator): Promise<Drawn> {
  const [points, xMin, xMax] = await Promise.all(['data-points', 'data-x-min', 'data-x-max'].map(async (a) => Number(await chart.getAttribute(a))));
  return { points, xMin, xMax };
}

/** Steps per point: what a zoom must make finer. */
const spacing = (d: Drawn) => (d.xMax - d.xMin) / Math.max(1, d.points - 1);

/** Drags across the plot from 40% to 60% of its width, as a person selects a stretch to zoom into. */
async function dragAcrossMiddle(page: Page, chart: Locator): Promise<void> {
  const box = (await chart.locator('.u-over').boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.4, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
  await page.mouse.up();
}

async function zoomsIntoDetail(page: Page, testId: string, name: string): Promise<void> {
  const chart = page.getByTestId(testId).first();
  const zoom = page.getByTestId(`${testId}-zoom`).first();
  await expect.poll(async () => (await drawn(chart)).points, { timeout: 30_000 }).toBeGreaterThan(100);
  const whole = await drawn(chart);
  expect(whole.xMin).toBe(0);
  expect(whole.xMax).toBe(STEPS - 1);
  expect(whole.points).toBeLessThanOrEqual(2 * 1000);

  await dragAcrossMiddle(page, chart);
  await expect.poll(() => zoom.getAttribute('data-zoom-loaded'), { timeout: 30_000 }).toBe('true');
  const [from, to] = (await zoom.getAttribute('data-zoom'))!.split('-').map(Number);
  // The window asked for is the stretch dragged across: about 40% to 60% of the steps.
  expect(from).toBeGreaterThan(STEPS * 0.3);
  expect(to).toBeLessThan(STEPS * 0.7);
  const zoomed = await drawn(chart);
  expect(zoomed.xMin).toBeGreaterThanOrEqual(from);
  expect(zoomed.xMax).toBeLessThanOrEqual(to);
  expect(zoomed.points).toBeGreaterThan(whole.points / 2);
  // Finer points: the same chart's worth of points over a fifth of the steps.
  expect(spacing(zoomed)).toBeLessThan(spacing(whole) / 3);
  await shot(page, name);

  await page.getByTestId(`${testId}-reset-zoom`).first().click();
  await expect.poll(async () => (await drawn(chart)).xMax, { timeout: 30_000 }).toBe(STEPS - 1);
  expect(await zoom.getAttribute('data-zoom')).toBe('');
}

describe('zooming a long series in a browser', () => {
  it('a run’s chart and the Compare overlay each read the dragged window again and draw it in finer detail', async () => {
    const { context, page, problems } = await e2e.newPage({ width: 1280, height: 1000 });
    try {
      await page.goto(`${e2e.url}#/runs/${runIds[0]}`);
      await page.getByTestId('run-detail').waitFor();
      await zoomsIntoDetail(page, 'run-metric-chart', '60-run-chart-zoomed');

      await page.goto(`${e2e.url}#/compare/${runIds.join(',')}`);
      await page.getByTestId('compare-view').waitFor();
      await expect.poll(async () => Number(await page.getByTestId('compare-chart').first().getAttribute('data-series')), { timeout: 30_000 }).toBe(2);
      await zoomsIntoDetail(page, 'compare-chart', '61-compare-chart-zoomed');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
