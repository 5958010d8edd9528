/**
 * End to end, as a researcher's everyday work goes: the Datasets view (list, which cannot train and
 * why, profile with sparklines, first rows, rename, a delete refused while a job uses the dataset),
 * the New job form (every family, the core's defaults, backend, the default target: remembered,
 * else asked), the run page (the target in the header, actual against forecast over time, the
 * seasonal-naive baseline, artifact and log downloads), and the light theme (following the system,
 * or chosen in Settings and remembered). Real `trainyard serve`, Debian's Chromium.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/shared/contract';
import type { Client } from '../../src/shared/rpc/client';
import { e2eForSuite, keepInDocs, pageForSuite, shot, waitForJobEnd } from './harness';

const e2e = e2eForSuite({ name: 'workbench', buildUi: true });

/** Two measured columns and a column that only numbers the rows: no sensible default target. */
function indexedCsv(): string {
  const lines = ['row_id,time,load,temp'];
  for (let i = 0; i < 400; i++) {
    lines.push(`${i},${new Date(Date.UTC(2024, 0, 1, i)).toISOString()},${(50 + 10 * Math.sin(i / 4) + (i % 7)).toFixed(2)},${(10 + 5 * Math.cos(i / 12)).toFixed(2)}`);
  }
  return lines.join('\n') + '\n';
}

const WORDS_CSV = 'when,word\n2024-01-01,alpha\n2024-01-02,beta\n2024-01-03,gamma\n';

async function openDatasets(page: Page): Promise<void> {
  await page.getByTestId('nav-datasets').click();
  await page.getByTestId('datasets-view').waitFor();
}

describe('datasets, the new job form, the run page and the light theme', () => {
  const view = pageForSuite(e2e, { width: 1440, height: 900 });
  let client: Client;
  let co2: Dataset;
  let indexed: Dataset;
  let words: Dataset;
  let runJobId: string;

  it('lists datasets, marks the one that cannot train with why, and profiles a dataset', async () => {
    const { page } = view;
    client = await e2e.connect();
    co2 = await client.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    indexed = await client.api.datasets.import({ source: { kind: 'content', filename: 'indexed.csv', text: indexedCsv() } });
    words = await client.api.datasets.import({ source: { kind: 'content', filename: 'words.csv', text: WORDS_CSV } });

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(e2e.url);
    await page.waitForFunction(() => !location.search.includes('token='));
    await openDatasets(page);
    expect(await page.title()).toBe('Datasets · Trainyard');
    const table = page.getByTestId('datasets-table');
    await expect.poll(async () => table.getAttribute('data-rows'), { timeout: 30_000 }).toBe('3');
    const row = (d: Dataset) => page.locator(`[data-testid="dataset-row"][data-dataset-id="${d.id}"]`);
    expect(await row(words).getAttribute('data-trainable')).toBe('false');
    expect(await row(words).getByTestId('dataset-cannot-train').innerText()).toMatch(/cannot train: .*no numeric column/i);
    expect(await row(co2).getAttribute('data-trainable')).toBe('true');
    expect(await row(co2).getByTestId('dataset-cannot-train').count()).toBe(0);
    await shot(page, 'workbench-01-datasets');

    await row(co2).click();
    const detail = page.getByTestId('dataset-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-dataset-id')).toBe(co2.id);
    const co2Column = page.locator('[data-testid="profile-row"][data-column="CO2"]');
    await co2Column.waitFor();
    const stats = co2.columns.find((c) => c.name === 'CO2')!;
    expect(await co2Column.getAttribute('data-type')).toBe('number');
    expect(await co2Column.getByTestId('profile-missing').innerText()).toBe(String(stats.missing));
    expect(parseFloat(await co2Column.getByTestId('profile-min').innerText())).toBeCloseTo(stats.min!, 0);
    expect(parseFloat(await co2Column.getByTestId('profile-max').innerText())).toBeCloseTo(stats.max!, 0);
    const spark = co2Column.getByTestId('sparkline');
    await expect.poll(async () => Number(await spark.getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(30);
    expect(await spark.locator('polyline').count()).toBeGreaterThan(0);
    const preview = page.getByTestId('dataset-preview');
    await preview.waitFor({ timeout: 30_000 });
    expect(await preview.getAttribute('data-rows')).toBe('20');
    expect(await preview.locator('thead th').allTextContents()).toEqual(co2.columns.map((c) => c.name));
    expect(await page.title()).toBe(`Dataset ${co2.id.slice(-8).toLowerCase()} · Trainyard`);
    keepInDocs(await shot(page, 'workbench-02-dataset-detail'), 'screenshot-dataset');
  });

  it('renames a dataset, and the core refuses a name another dataset has', async () => {
    const { page } = view;
    const input = page.getByTestId('dataset-rename-input');
    await input.fill('Mauna Loa CO2');
    await page.getByTestId('dataset-rename-save').click();
    await expect.poll(async () => page.locator('.dataset-detail h1').innerText(), { timeout: 15_000 }).toBe('Mauna Loa CO2');
    expect((await client.api.datasets.get({ id: co2.id })).name).toBe('Mauna Loa CO2');

    await input.fill('indexed');
    await page.getByTestId('dataset-rename-save').click();
    await expect.poll(async () => page.getByTestId('dataset-error').innerText(), { timeout: 15_000 }).toMatch(/already exists/);
    expect((await client.api.datasets.get({ id: co2.id })).name).toBe('Mauna Loa CO2');
  });

  it('refuses to delete a dataset a running job uses, and deletes it once the job ended', async () => {
    const { page } = view;
    // A long MLP keeps the job queued or running while the delete is tried.
    const busy = await client.api.jobs.create({ spec: { kind: 'train', datasetId: indexed.id, target: 'load', model: 'mlp', params: { epochs: 300 } } });
    await page.goto(`${e2e.origin}/#/datasets/${indexed.id}`);
    await page.getByTestId('dataset-detail').waitFor();
    await page.getByTestId('dataset-delete').click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(async () => page.getByTestId('dataset-error').innerText(), { timeout: 15_000 }).toContain(busy.id);
    expect(await page.getByTestId('dataset-error').innerText()).toMatch(/in use by job/);
    expect((await client.api.datasets.list({})).map((d) => d.id)).toContain(indexed.id);
    await shot(page, 'workbench-03-delete-refused');

    await client.api.jobs.cancel({ id: busy.id });
    expect((await waitForJobEnd(client, busy.id, 60_000)).status).toBe('cancelled');
    // Deleting the dataset with no rows: the words file goes through the same button.
    await page.goto(`${e2e.origin}/#/datasets/${words.id}`);
    await page.getByTestId('dataset-delete').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('datasets-table').waitFor({ timeout: 15_000 });
    await expect.poll(async () => page.getByTestId('datasets-table').getAttribute('data-rows'), { timeout: 15_000 }).toBe('2');
    expect((await client.api.datasets.list({})).map((d) => d.id)).not.toContain(words.id);
  });

  it('the new job form lists every family with the core defaults, a backend, and asks for the target', async () => {
    const { page } = view;
    await page.getByTestId('nav-jobs').click();
    await page.getByTestId('new-job-button').click();
    const form = page.getByTestId('new-job-form');
    await form.waitFor();
    const families = await client.api.system.families({});
    const modelSelect = page.getByTestId('model-select');
    await expect.poll(async () => modelSelect.locator('option').count(), { timeout: 15_000 }).toBe(families.length);
    expect(await modelSelect.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(families.map((f) => f.name));

    // The indexed file: several measured columns and a row number, so the form asks.
    await page.getByTestId('dataset-select').selectOption(indexed.id);
    const target = page.getByTestId('target-select');
    expect(await target.inputValue()).toBe('');
    expect(await target.locator('option').allTextContents()).toEqual(['Choose the column to forecast…', 'row_id (numbers the rows)', 'load', 'temp']);
    await target.selectOption('temp');

    // The CO2 sample: its suggested column.
    await page.getByTestId('dataset-select').selectOption(co2.id);
    expect(await target.inputValue()).toBe('CO2');

    await modelSelect.selectOption('linear');
    const linear = families.find((f) => f.name === 'linear')!;
    for (const key of ['horizon', 'window', 'learningRate', 'valFraction', 'testFraction']) {
      expect(await page.getByTestId(`param-${key}-default`).innerText()).toBe(`= ${String(linear.defaults[key])}`);
      expect(await page.getByTestId(`param-${key}`).getAttribute('placeholder')).toBe(String(linear.defaults[key]));
    }
    await modelSelect.selectOption('mlp');
    const mlp = families.find((f) => f.name === 'mlp')!;
    expect(await page.getByTestId('param-hiddenUnits-default').innerText()).toBe(`= ${String(mlp.defaults.hiddenUnits)}`);
    expect(await page.getByTestId('exogenous-field').count()).toBe(1);
    await modelSelect.selectOption('isolation_forest');
    expect(await page.getByTestId('label-select').count()).toBe(1);
    expect(await page.getByTestId('exogenous-field').count()).toBe(0);

    const info = await client.api.system.info({});
    const backends = page.getByTestId('backend-select');
    expect(await backends.locator('option').allTextContents()).toEqual([`Best found (${info.backend})`, ...info.backends.filter((b) => b.available).map((b) => b.name)]);
    await shot(page, 'workbench-04-new-job');

    await modelSelect.selectOption('linear');
    await backends.selectOption('cpu');
    await page.getByTestId('submit-job').click();
    const row = page.getByTestId('job-row').first();
    await row.waitFor({ timeout: 15_000 });
    const jobs = await client.api.jobs.list({});
    const job = jobs.find((j) => j.spec.kind === 'train' && j.spec.datasetId === co2.id)!;
    expect(job.spec).toMatchObject({ target: 'CO2', model: 'linear', backend: 'cpu' });
    runJobId = job.id;

    // The choice made for the indexed file is remembered after a reload.
    await page.reload();
    await page.getByTestId('new-job-button').click();
    await page.getByTestId('dataset-select').selectOption(indexed.id);
    expect(await page.getByTestId('target-select').inputValue()).toBe('temp');
  });

  it('the run page shows the target, actual against forecast over time, the seasonal naive and downloads', async () => {
    const { page, problems } = view;
    const job = await waitForJobEnd(client, runJobId, 240_000);
    expect(job.status).toBe('completed');
    const run = await client.api.runs.get({ id: job.runId! });
    expect(run.summary['seasonal_naive.rmse']).toBeGreaterThan(0);
    await page.goto(`${e2e.origin}/#/runs/${run.id}`);
    await page.getByTestId('run-detail').waitFor();
    await expect.poll(async () => page.getByTestId('run-target').innerText(), { timeout: 30_000 }).toMatch(/forecasts\s+CO2/);

    const chart = page.getByTestId('forecast-time-chart');
    await chart.waitFor({ timeout: 30_000 });
    expect(await chart.getAttribute('data-series')).toBe('actual,predicted,seasonal_naive');
    expect(await chart.getAttribute('data-time')).toBe('true');
    const box = await chart.locator('canvas').boundingBox();
    expect(box && box.width > 300 && box.height > 100).toBe(true);

    const seasonal = page.getByTestId('metric-seasonal_naive-rmse');
    await seasonal.waitFor();
    expect(parseFloat((await seasonal.innerText()).replace(/[^\d.eE+-]/g, ''))).toBeCloseTo(run.summary['seasonal_naive.rmse'], 2);

    // Downloads: the predictions artifact and the whole log, through the server's routes.
    const predictions = run.artifacts.find((a) => a.kind === 'predictions')!;
    const artifactRow = page.getByTestId('run-artifact').filter({ hasText: predictions.path });
    const artifactHref = await artifactRow.getByTestId('artifact-download').getAttribute('href');
    const csv = await page.request.get(new URL(artifactHref!, e2e.origin).href);
    expect(csv.status()).toBe(200);
    const csvLines = (await csv.text()).trimEnd().split('\n');
    expect(csvLines[0]).toBe('time,actual,predicted,naive,residual,seasonal_naive');
    // The chart draws one point per test target in the file.
    expect(csvLines.length - 1).toBeGreaterThan(10);
    expect(Number(await chart.getAttribute('data-points'))).toBe(csvLines.length - 1);
    const logLink = page.getByTestId('log-download');
    expect(await logLink.getAttribute('data-mode')).toBe('link');
    const logRes = await page.request.get(new URL((await logLink.getAttribute('href'))!, e2e.origin).href);
    expect(logRes.status()).toBe(200);
    const logLines = (await logRes.text()).trimEnd().split('\n');
    const apiLines = await client.api.jobs.logs({ id: job.id, limit: 10000 });
    expect(logLines).toHaveLength(apiLines.length);
    expect(logLines[logLines.length - 1]).toContain(apiLines[apiLines.length - 1].message);
    await shot(page, 'workbench-05-run-dark', { height: 2400 });
    expect(problems).toEqual([]);
  });

  it('follows the system to the light theme, and a choice in Settings overrides it and is remembered', async () => {
    const { page, problems } = view;
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await theme()).toBe('dark');
    const darkBackground = await background();
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');
    expect(await background()).not.toBe(darkBackground);
    await page.getByTestId('forecast-time-chart').locator('canvas').waitFor();
    keepInDocs(await shot(page, 'workbench-06-run-light', { height: 2400 }), 'screenshot-run-light');

    await page.getByTestId('nav-settings').click();
    const choice = page.getByTestId('theme-choice');
    await choice.waitFor();
    expect(await page.getByTestId('theme-system').isChecked()).toBe(true);
    await page.getByTestId('theme-dark').check();
    await expect.poll(theme).toBe('dark');
    expect(await background()).toBe(darkBackground);
    await page.reload();
    await page.getByTestId('theme-choice').waitFor();
    expect(await theme()).toBe('dark');
    expect(await page.getByTestId('theme-dark').isChecked()).toBe(true);
    await page.getByTestId('theme-light').check();
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await theme()).toBe('light');
    await openDatasets(page);
    await shot(page, 'workbench-07-datasets-light');
    for (const v of ['jobs', 'runs', 'studies', 'models', 'monitor'] as const) {
      await page.getByTestId(`nav-${v}`).click();
      await page.locator(`[data-view="${v}"]`).waitFor();
      await shot(page, `workbench-08-${v}-light`);
    }
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('theme-system').check();
    await expect.poll(theme).toBe('dark');
    expect(problems).toEqual([]);
  });
});
