/**
 * End to end, the Runs and Compare views: `trainyard serve` with a temp data dir.
 *
 * - Compare: two small forecasters trained through the API (the same WebSocket contract the UI
 *   uses) with different learning rates, then as a person would: Runs, tick both, Compare. The
 *   overlay must draw both runs (named in the legend, each run's colour present on the chart's
 *   canvas), the param diff must mark the learning rate as differing, and the parallel coordinates
 *   draw a line per run. The screenshot is kept in docs/screenshot-compare.png.
 * - The Runs table at scale: 10,000 runs written into the store before the server starts; the
 *   table stays virtual (a few dozen rows in the DOM), fetches the page under the viewport when
 *   scrolled to the end, sorts by a clicked column, filters with the query language and shows a
 *   refused query's error with its column.
 * - A run's detail: tags and note saved through runs.update, the job's log, artifacts with sha256;
 *   archive hides, delete asks first and then removes.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/core/paths';
import { openStore } from '../../src/core/store';
import { Tracking } from '../../src/core/tracking';
import type { Job } from '../../src/shared/contract';
import type { Client } from '../../src/shared/rpc/client';
import { prng } from '../helpers/rng';
import { e2eForSuite, keepInDocs, shot, waitForJobEnd } from './harness';

const TRAIN_TIMEOUT_MS = 240_000;
const LEARNING_RATES = [0.003, 0.02];
const BULK_RUNS = 10_000;
const BULK_EXPERIMENT = 'bulk';

interface BulkRun {
  id: string;
  rmse: number;
  model: string;
  learningRate: number;
}

const PREDICTION_ROWS = 120;
const SYSTEM_SAMPLES = 24;

/**
 * One run with what the detail view charts beyond the loss: system samples (`sys.*`) and the test
 * predictions as series (`predictions.actual`, `predictions.predicted`, step = test row).
 */
async function seedChartedRun(tracking: Tracking): Promise<string> {
  const id = await tracking.startRun({ experiment: 'charted', jobId: null, model: 'mlp', datasetId: null, datasetSha256: null, params: { epochs: 40 } });
  const t0 = Date.now() - 60_000;
  const rand = prng(11);
  const points = [];
  for (let e = 1; e <= 40; e++) {
    points.push({ runId: id, key: 'loss', step: e, ts: t0 + e * 500, value: 1 / e + rand() * 0.02 });
    points.push({ runId: id, key: 'val_loss', step: e, ts: t0 + e * 500, value: 1.2 / e + rand() * 0.04 });
  }
  for (let k = 0; k < SYSTEM_SAMPLES; k++) {
    points.push({ runId: id, key: 'sys.cpu_percent', step: k, ts: t0 + k * 1000, value: 40 + rand() * 50 });
    points.push({ runId: id, key: 'sys.process.cpu_percent', step: k, ts: t0 + k * 1000, value: 20 + rand() * 30 });
    points.push({ runId: id, key: 'sys.memory_mb', step: k, ts: t0 + k * 1000, value: 3000 + rand() * 200 });
  }
  for (let r = 0; r < PREDICTION_ROWS; r++) {
    const actual = 350 + 10 * Math.sin(r / 6);
    points.push({ runId: id, key: 'predictions.actual', step: r, ts: t0, value: actual });
    points.push({ runId: id, key: 'predictions.predicted', step: r, ts: t0, value: actual + (rand() - 0.5) * 2 });
  }
  await tracking.recordMetrics(points);
  await tracking.finishRun(id, { status: 'completed' });
  return id;
}

/** Writes BULK_RUNS finished runs straight into a fresh data dir's store (no server holds it yet). */
async function seedBulkRuns(dataDir: string): Promise<BulkRun[]> {
  const store = openStore(dataPaths(dataDir).db);
  const tracking = new Tracking(store, { dataDir });
  const rand = prng(7);
  const runs: BulkRun[] = [];
  try {
    store.raw.exec('BEGIN');
    for (let i = 0; i < BULK_RUNS; i++) {
      const model = rand() < 0.5 ? 'mlp' : 'lstm';
      const learningRate = Math.round(rand() * 1000) / 100000;
      const id = await tracking.startRun({ experiment: BULK_EXPERIMENT, jobId: null, model, datasetId: null, datasetSha256: null, params: { learningRate, epochs: 10 + (i % 7) } });
      const rmse = Math.round(rand() * 1e6) / 1e6;
      await tracking.recordMetrics([{ runId: id, key: 'test.rmse', step: 0, ts: Date.now(), value: rmse }]);
      await tracking.finishRun(id, { status: 'completed' });
      runs.push({ id, rmse, model, learningRate });
    }
    store.raw.exec('COMMIT');
    chartedRunId = await seedChartedRun(tracking);
  } finally {
    await store.close();
  }
  return runs;
}

let client: Client;
let bulk: BulkRun[];
let chartedRunId: string;
/** The runs the Compare test trained; the detail test reuses them. */
let trained: string[] = [];
const e2e = e2eForSuite({
  name: 'compare',
  buildUi: true,
  seed: async (dataDir) => {
    bulk = await seedBulkRuns(dataDir);
  },
});

function waitForEnd(id: string): Promise<Job> {
  return waitForJobEnd(client, id, TRAIN_TIMEOUT_MS);
}

/**
 * How many pixels of the first canvas under `selector` are drawn in each colour (a CSS colour
 * string). uPlot draws on a transparent canvas, so a line's pixels carry its colour with the
 * antialiasing in alpha.
 */
async function pixelsByColour(page: Page, selector: string, colours: string[]): Promise<number[]> {
  return page.evaluate(
    ({ selector, colours }) => {
      const canvas = document.querySelector(`${selector} canvas`) as HTMLCanvasElement | null;
      if (!canvas) return colours.map(() => -1);
      const probe = document.createElement('span');
      document.body.appendChild(probe);
      const rgbs = colours.map((c) => {
        probe.style.color = c;
        return (getComputedStyle(probe).color.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      });
      probe.remove();
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const counts = colours.map(() => 0);
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] < 96) continue;
        rgbs.forEach(([r, g, b], k) => {
          if (Math.abs(data[i] - r) <= 24 && Math.abs(data[i + 1] - g) <= 24 && Math.abs(data[i + 2] - b) <= 24) counts[k]++;
        });
      }
      return counts;
    },
    { selector, colours },
  );
}

beforeAll(async () => {
  client = await e2e.connect();
});

afterAll(() => {
  client?.close();
});

describe('Compare in a browser', () => {
  it('selects two trained runs, opens Compare and draws both series', async () => {
    const dataset = await client.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    const created: Job[] = [];
    for (const learningRate of LEARNING_RATES) {
      created.push(
        await client.api.jobs.create({
          spec: { kind: 'train', datasetId: dataset.id, target: 'CO2', model: 'mlp', experiment: 'compare-e2e', params: { epochs: 6, patience: 0, learningRate } },
        }),
      );
    }
    const finished = await Promise.all(created.map((j) => waitForEnd(j.id)));
    for (const job of finished) expect(job.status, job.error ?? '').toBe('completed');
    const runIds = finished.map((j) => j.runId!);
    expect(runIds.every(Boolean)).toBe(true);
    trained = runIds;

    // Tall enough that the whole comparison, parallel coordinates included, is in the screenshot.
    const { context, page, problems } = await e2e.newPage({ width: 1440, height: 1700 });
    try {
      await page.goto(e2e.url);
      await page.getByTestId('nav-runs').click();
      const table = page.getByTestId('runs-table');
      await table.waitFor();
      for (const id of runIds) {
        const row = table.locator(`[data-testid="run-row"][data-run-id="${id}"]`);
        await row.waitFor({ timeout: 30_000 });
        await row.getByTestId('run-select').click();
        await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
      }
      await shot(page, '10-runs-selected');
      const compareButton = page.getByTestId('runs-compare');
      expect(await compareButton.isEnabled()).toBe(true);
      await compareButton.click();

      const view = page.getByTestId('compare-view');
      await view.waitFor();
      expect(await view.getAttribute('data-runs')).toBe('2');
      // The first overlay (the training loss): both runs in the legend, both drawn.
      const chart = page.getByTestId('compare-chart').first();
      await chart.waitFor({ timeout: 30_000 });
      await expect.poll(async () => Number(await chart.getAttribute('data-series')), { timeout: 30_000 }).toBe(2);
      const legendIds = await chart.getByTestId('chart-legend-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-series-id')));
      expect([...legendIds].sort()).toEqual([...runIds].sort());
      const legendText = await chart.getByTestId('chart-legend-item').allInnerTexts();
      expect(legendText).toHaveLength(2);
      const colours = await chart.locator('.chart-legend-item .swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
      expect(new Set(colours).size).toBe(2);
      const counts = await pixelsByColour(page, '[data-testid="compare-chart"]', colours);
      for (const [i, n] of counts.entries()) expect(n, `pixels drawn in ${colours[i]} for run ${legendIds[i]}`).toBeGreaterThan(20);

      // The param diff marks what differs and only that.
      const lr = page.locator('[data-testid="compare-param-row"][data-key="learningRate"]');
      expect(await lr.getAttribute('data-differs')).toBe('true');
      const epochs = page.locator('[data-testid="compare-param-row"][data-key="epochs"]');
      expect(await epochs.getAttribute('data-differs')).toBe('false');
      // Parallel coordinates: a line per run across the params that vary and the metric.
      const pc = page.getByTestId('parallel-coords');
      await pc.waitFor();
      const lineRuns = await pc.locator('polyline').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-run-id')))]);
      expect(lineRuns.sort()).toEqual([...runIds].sort());

      keepInDocs(await shot(page, '11-compare'), 'screenshot-compare');

      // Relative time, a log scale and smoothing: both runs are still drawn, in their colours.
      await page.getByTestId('chart-x-mode').selectOption('relative');
      await page.getByTestId('chart-log').check();
      await page.getByTestId('chart-smoothing').fill('0.6');
      await expect.poll(() => page.locator('.smoothing-value').innerText()).toBe('0.60');
      await expect.poll(async () => Number(await chart.getAttribute('data-series'))).toBe(2);
      await expect.poll(async () => Math.min(...(await pixelsByColour(page, '[data-testid="compare-chart"]', colours)))).toBeGreaterThan(20);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('keeps 10,000 runs virtual, loads pages as they scroll into view, sorts, searches and points at a bad query', async () => {
    const { context, page, problems } = await e2e.newPage({ width: 1440, height: 900 });
    try {
      await page.goto(e2e.url);
      await page.getByTestId('nav-runs').click();
      const table = page.getByTestId('runs-table');
      await table.waitFor();
      await page.getByTestId('runs-experiment').selectOption(BULK_EXPERIMENT);
      await expect.poll(() => table.getAttribute('data-total'), { timeout: 30_000 }).toBe(String(BULK_RUNS));

      // Only the rows in view are in the DOM, however many runs there are.
      const inDom = async () => page.getByTestId('run-row').count();
      await expect.poll(inDom).toBeGreaterThan(5);
      expect(await inDom()).toBeLessThan(120);

      // Scrolled to the end, the last page is fetched and drawn.
      const scroller = page.getByTestId('runs-scroll');
      await scroller.evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      const lastRow = page.locator(`[data-testid="run-row"][data-index="${BULK_RUNS - 1}"]`);
      await lastRow.waitFor({ timeout: 30_000 });
      const bulkIds = new Set(bulk.map((r) => r.id));
      expect(bulkIds.has((await lastRow.getAttribute('data-run-id'))!)).toBe(true);
      expect(await inDom()).toBeLessThan(120);
      await scroller.evaluate((el) => {
        el.scrollTop = 0;
      });

      // The column picker offers the params the runs have; a picked one becomes a column.
      await page.getByTestId('column-picker-button').click();
      await page.getByTestId('column-option-params.learningRate').check();
      await page.getByTestId('runs-col-params.learningRate').waitFor();
      await page.getByTestId('runs-count').click();
      expect(await page.getByTestId('column-picker').count()).toBe(0);
      const firstLr = await page.locator('[data-testid="run-row"][data-index="0"] [data-testid="run-cell-params.learningRate"]').innerText();
      const firstId = (await page.locator('[data-testid="run-row"][data-index="0"]').getAttribute('data-run-id'))!;
      expect(Number(firstLr)).toBe(bulk.find((r) => r.id === firstId)!.learningRate);

      // Sort by the metric: a click sorts best first (an error: ascending), a second flips it.
      const rmses = bulk.map((r) => r.rmse);
      const firstRmse = async () =>
        Number(await page.locator('[data-testid="run-row"][data-index="0"] [data-testid="run-cell-metrics.test.rmse"]').innerText());
      const header = page.getByTestId('runs-col-metrics.test.rmse');
      await header.click();
      await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
      await expect.poll(firstRmse, { timeout: 30_000 }).toBeCloseTo(Math.min(...rmses), 3);
      await header.click();
      await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
      await expect.poll(firstRmse, { timeout: 30_000 }).toBeCloseTo(Math.max(...rmses), 3);

      // The query language, with OR and parentheses: the count the core finds is the count seeded.
      const search = page.getByTestId('runs-search');
      await search.fill('metrics.test.rmse < 0.1 and (model = "lstm" or params.learningRate >= 0.009)');
      await page.getByTestId('runs-search-submit').click();
      const expected = bulk.filter((r) => r.rmse < 0.1 && (r.model === 'lstm' || r.learningRate >= 0.009)).length;
      expect(expected).toBeGreaterThan(0);
      await expect.poll(() => table.getAttribute('data-total'), { timeout: 30_000 }).toBe(String(expected));
      await shot(page, '12-runs-query', { fullPage: false });

      // Export saves what the search finds, as a file.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('runs-export-json').click()]);
      expect(download.suggestedFilename()).toMatch(/\.json$/);
      const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { id: string; experiment: string }[];
      expect(exported).toHaveLength(expected);
      expect(exported.every((r) => bulkIds.has(r.id))).toBe(true);
      await expect.poll(() => page.getByTestId('runs-notice').innerText()).toMatch(new RegExp(`Exported ${expected} run`));

      // A query the core cannot parse: the error under the box names the column and the caret points at it.
      await search.fill('metrics.test.rmse < and model = "mlp"');
      await page.getByTestId('runs-search-submit').click();
      const err = page.getByTestId('runs-query-error');
      await err.waitFor({ timeout: 30_000 });
      const column = Number(await err.getAttribute('data-column'));
      expect(column).toBeGreaterThan(1);
      expect(await err.innerText()).toMatch(new RegExp(`column ${column}`));
      expect(await search.getAttribute('aria-invalid')).toBe('true');
      await shot(page, '13-runs-query-error', { fullPage: false });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("edits a run's tags and note, shows its log and artifacts; archive hides, delete asks and then removes", async () => {
    expect(trained).toHaveLength(2);
    const [runId] = trained;
    const before = await client.api.runs.get({ id: runId });
    expect(before.artifacts.length).toBeGreaterThan(0);
    const { context, page, problems } = await e2e.newPage({ width: 1440, height: 1400 });
    try {
      await page.goto(e2e.url);
      await page.evaluate((id) => {
        location.hash = `#/runs/${id}`;
      }, runId);
      const detail = page.getByTestId('run-detail');
      await detail.waitFor();
      expect(await detail.getAttribute('data-run-id')).toBe(runId);

      await page.getByTestId('run-tag-key').fill('stage');
      await page.getByTestId('run-tag-value').fill('candidate');
      await page.getByTestId('run-tag-add').click();
      await page.locator('[data-testid="run-tag"][data-key="stage"]').waitFor();
      await expect.poll(async () => (await client.api.runs.get({ id: runId })).tags.stage).toBe('candidate');
      await page.getByTestId('run-note').fill('Steadier than lr 0.02.');
      await page.getByTestId('run-note-save').click();
      await expect.poll(async () => (await client.api.runs.get({ id: runId })).note).toBe('Steadier than lr 0.02.');

      const chart = page.getByTestId('run-metric-chart').first();
      await expect.poll(async () => Number(await chart.getAttribute('data-series')), { timeout: 30_000 }).toBeGreaterThan(0);
      await expect.poll(async () => Number(await page.getByTestId('job-log').getAttribute('data-lines')), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await page.getByTestId('run-artifact').count()).toBe(before.artifacts.length);
      const shas = await page.locator('[data-testid="run-artifact"] .sha').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
      expect(shas.sort()).toEqual(before.artifacts.map((a) => a.sha256).sort());
      await shot(page, '14-run-detail');

      // Archive hides the run from the list without deleting it.
      await page.getByTestId('run-archive').click();
      await expect.poll(async () => (await client.api.runs.get({ id: runId })).archived).toBe(true);
      await page.getByTestId('back-to-runs').click();
      const table = page.getByTestId('runs-table');
      await table.waitFor();
      await page.getByTestId('runs-search-submit').click();
      const row = table.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
      const other = table.locator(`[data-testid="run-row"][data-run-id="${trained[1]}"]`);
      await other.waitFor({ timeout: 30_000 });
      expect(await row.count()).toBe(0);
      await page.getByTestId('runs-show-archived').check();
      await row.waitFor({ timeout: 30_000 });

      // Delete asks first; Cancel keeps the run.
      await row.getByTestId('run-select').click();
      await page.getByTestId('runs-delete').click();
      await page.getByTestId('confirm-dialog').waitFor();
      await page.getByTestId('confirm-cancel').click();
      expect(await page.getByTestId('confirm-dialog').count()).toBe(0);
      expect((await client.api.runs.get({ id: runId })).id).toBe(runId);
      // Confirmed, the run and its artifact files are gone.
      await page.getByTestId('runs-delete').click();
      await page.getByTestId('confirm-ok').click();
      await page.getByTestId('runs-notice').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('runs-notice').innerText()).toMatch(/Deleted 1 run/);
      await expect.poll(() => row.count()).toBe(0);
      await expect(client.api.runs.get({ id: runId })).rejects.toMatchObject({ code: 'NotFound' });
      for (const a of before.artifacts) expect(fs.existsSync(a.path), a.path).toBe(false);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('charts system samples and the test predictions a run recorded as series', async () => {
    const { context, page, problems } = await e2e.newPage({ width: 1440, height: 1800 });
    try {
      await page.goto(e2e.url);
      await page.evaluate((id) => {
        location.hash = `#/runs/${id}`;
      }, chartedRunId);
      await page.getByTestId('run-detail').waitFor();
      const scatter = page.getByTestId('prediction-scatter');
      await scatter.waitFor({ timeout: 30_000 });
      expect(Number(await scatter.getAttribute('data-points'))).toBe(PREDICTION_ROWS);
      expect(Number(await page.getByTestId('residual-plot').getAttribute('data-points'))).toBe(PREDICTION_ROWS);
      expect(await page.getByTestId('run-predictions-missing').count()).toBe(0);
      // Percentages share one chart, megabytes another.
      const system = page.getByTestId('run-system-chart');
      await expect.poll(() => system.count()).toBe(2);
      expect(await system.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-series'))))).toEqual([2, 1]);
      expect(Number(await system.first().getAttribute('data-points'))).toBe(SYSTEM_SAMPLES);
      // Each canvas has something drawn on it.
      const inked = await page.evaluate(() =>
        ['prediction-scatter', 'residual-plot', 'run-system-chart'].map((id) => {
          const canvas = document.querySelector(`[data-testid="${id}"] canvas`) as HTMLCanvasElement;
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
          let n = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 128) n++;
          return n;
        }),
      );
      for (const n of inked) expect(n).toBeGreaterThan(200);
      await shot(page, '15-run-charts');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
