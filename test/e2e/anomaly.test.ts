/**
 * Anomaly detection end to end, as a person would: `trainyard serve` with a temp data dir,
 * Debian's Chromium driven by Playwright. Import the daily Seattle sample with injected anomalies,
 * pick the isolation forest and the label column in the New job form (the forecast-only fields
 * hidden), train, and read the run page: the threshold and how it was chosen, the anomaly metrics
 * table (no forecast table), and the series chart with flagged rows and labelled windows.
 */
import { describe, expect, it } from 'vitest';
import { e2eForSuite, pageForSuite, shot } from './harness';

const TRAIN_TIMEOUT_MS = 240_000;
const SAMPLE = 'seattle-daily-temperature-anomalies.csv';

const e2e = e2eForSuite({ name: 'anomaly', buildUi: true });

describe('an anomaly job from the New job form', () => {
  const view = pageForSuite(e2e, { width: 1440, height: 1000 });

  it('trains an isolation forest with its label column and shows the anomaly results', async () => {
    const { page, problems } = view;
    await page.goto(e2e.url);
    await page.getByTestId('nav-jobs').click();
    await page.getByTestId('new-job-button').click();

    await page.getByTestId('sample-select').selectOption(SAMPLE);
    await page.getByTestId('import-sample-button').click();
    await expect.poll(async () => page.getByTestId('target-select').locator('option').allTextContents(), { timeout: 30_000 }).toContain('temp_max');
    await page.getByTestId('target-select').selectOption('temp_max');

    // Every family the core lists is offered; each shows only the fields it reads.
    const model = page.getByTestId('model-select');
    await expect.poll(async () => (await model.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).join(' ')).toMatch(
      /mlp.*autoencoder.*isolation_forest|isolation_forest/,
    );
    await model.selectOption('mlp');
    expect(await page.getByTestId('label-select').count()).toBe(0);
    await page.getByTestId('exogenous-field').waitFor();
    await model.selectOption('isolation_forest');
    expect(await page.getByTestId('exogenous-field').count()).toBe(0);
    expect(await page.getByTestId('param-epochs').count()).toBe(0);
    const label = page.getByTestId('label-select');
    await label.waitFor();
    // The bundled sample names its label column, so the form has picked it.
    expect(await label.inputValue()).toBe('anomaly');
    await page.getByTestId('param-trees').fill('40');
    await shot(page, 'anomaly-01-new-job');
    await page.getByTestId('submit-job').click();

    const row = page.getByTestId('jobs-table').getByTestId('job-row').first();
    await row.waitFor();
    await expect.poll(async () => row.getAttribute('data-status'), { timeout: TRAIN_TIMEOUT_MS, interval: 1000 }).toMatch(/completed|failed|cancelled/);
    expect(await row.getAttribute('data-status')).toBe('completed');

    // The job's page links to its run: the anomaly results, not the forecast table.
    await row.click();
    await page.getByTestId('job-run-link').click();
    const results = page.getByTestId('anomaly-run-view');
    await results.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('metrics-table').count()).toBe(0);
    const threshold = page.getByTestId('anomaly-threshold');
    expect(await threshold.getAttribute('data-method')).toBe('best_f1');
    expect(await threshold.innerText()).toMatch(/best F1 on the validation rows’ labels/);

    const table = page.getByTestId('anomaly-metrics-table');
    await table.waitFor();
    const number = (text: string) => parseFloat(text.replace(/[^\d.eE+-]/g, ''));
    for (const id of ['anomaly-metric-test-f1', 'anomaly-metric-test-roc_auc', 'anomaly-metric-val-f1', 'anomaly-metric-test-event_recall']) {
      expect(Number.isFinite(number(await page.getByTestId(id).innerText())), id).toBe(true);
    }
    // Better than a scorer that knows nothing, on the same test rows.
    expect(number(await page.getByTestId('anomaly-metric-test-pr_auc').innerText())).toBeGreaterThan(
      number(await page.getByTestId('anomaly-metric-random-pr_auc').innerText()),
    );

    // The chart draws the test rows, flagged rows marked and labelled windows shaded.
    const chart = page.getByTestId('anomaly-series-plot');
    await chart.waitFor({ timeout: 30_000 });
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(100);
    expect(Number(await chart.getAttribute('data-flagged'))).toBeGreaterThan(0);
    expect(Number(await chart.getAttribute('data-windows'))).toBeGreaterThan(0);
    const canvas = chart.locator('canvas');
    const box = await canvas.first().boundingBox();
    expect(box && box.width > 200 && box.height > 100).toBe(true);
    await page.getByTestId('anomaly-score-plot').waitFor();
    await shot(page, 'anomaly-02-run', { height: 2000 });

    expect(problems).toEqual([]);
  });
});
