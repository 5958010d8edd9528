/**
 * End to end, as a person would: `trainyard serve` with a temp data dir, Debian's Chromium driven by
 * Playwright. Import the bundled CO2 sample, train a small forecaster, watch it finish, read its
 * metrics, loss chart and log. Screenshots go to test/e2e/artifacts/ (and the final one to
 * docs/screenshot-job.png, which the README shows).
 */
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eForSuite, keepInDocs, pageForSuite, shot } from './harness';

const TRAIN_TIMEOUT_MS = 240_000;

const e2e = e2eForSuite();

/** Polls a job row until its status is final, and returns it. */
async function finalStatus(row: Locator, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await row.getAttribute('data-status');
    if (status === 'completed' || status === 'failed' || status === 'cancelled') return status;
    if (Date.now() > deadline) throw new Error(`the job was still ${status} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('trainyard serve in a browser', () => {
  const view = pageForSuite(e2e, { width: 1440, height: 900 });

  it('trains a forecaster on the CO2 sample and shows its results', async () => {
    const { page, problems } = view;
    await page.goto(e2e.url);
    await page.getByTestId('nav-jobs').click();
    // The token is taken out of the address bar once read.
    await page.waitForFunction(() => !location.search.includes('token='));
    await shot(page, '01-jobs-empty');

    // New job: import the bundled sample, forecast CO2, a short training.
    await page.getByTestId('new-job-button').click();
    await page.getByTestId('sample-select').selectOption('co2-concentration.csv');
    await page.getByTestId('import-sample-button').click();
    const datasetSelect = page.getByTestId('dataset-select');
    await expect
      .poll(async () => (await datasetSelect.locator('option').allTextContents()).join('|'), { timeout: 30_000 })
      .toMatch(/co2|CO2|Mauna/i);
    // Choose the imported dataset if the form did not already.
    if (!(await datasetSelect.inputValue())) {
      const values = await datasetSelect.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      await datasetSelect.selectOption(values[values.length - 1]);
    }
    await expect.poll(async () => page.getByTestId('target-select').locator('option').allTextContents(), { timeout: 15_000 }).toContain('CO2');
    await page.getByTestId('target-select').selectOption('CO2');
    // The MLP, trained epoch by epoch, so the run has a loss curve (the default, auto, may keep a closed-form model).
    await expect.poll(async () => page.getByTestId('model-select').locator('option[value="mlp"]').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('model-select').selectOption('mlp');
    await page.getByTestId('param-epochs').fill('15');
    await shot(page, '02-new-job');
    await page.getByTestId('submit-job').click();

    // The job appears in the table and runs to completion.
    const table = page.getByTestId('jobs-table');
    await table.waitFor();
    const row = table.getByTestId('job-row').first();
    await row.waitFor();
    await shot(page, '03-job-queued');
    const status = await finalStatus(row, TRAIN_TIMEOUT_MS);
    if (status !== 'completed') {
      await shot(page, '99-job-not-completed');
      const text = await page.locator('body').innerText();
      throw new Error(`the job ended ${status}:\n${text.slice(0, 2000)}`);
    }
    await expect.poll(async () => row.getByTestId('job-status').innerText()).toMatch(/completed/i);

    // Open it: metrics against the naive baseline, the loss chart, the log.
    await row.click();
    const metrics = page.getByTestId('metrics-table');
    await metrics.waitFor({ timeout: 30_000 });
    const number = /-?\d+(?:[.,]\d+)?/;
    await expect.poll(async () => page.getByTestId('metric-test-rmse').innerText(), { timeout: 30_000 }).toMatch(number);
    await expect.poll(async () => page.getByTestId('metric-naive-rmse').innerText(), { timeout: 30_000 }).toMatch(number);
    const testRmse = parseFloat((await page.getByTestId('metric-test-rmse').innerText()).replace(/[^\d.eE+-]/g, ''));
    const naiveRmse = parseFloat((await page.getByTestId('metric-naive-rmse').innerText()).replace(/[^\d.eE+-]/g, ''));
    expect(Number.isFinite(testRmse) && testRmse >= 0).toBe(true);
    expect(Number.isFinite(naiveRmse) && naiveRmse > 0).toBe(true);

    const chart = page.getByTestId('loss-chart');
    await chart.waitFor({ timeout: 30_000 });
    const box = await chart.boundingBox();
    expect(box && box.width > 50 && box.height > 50).toBe(true);
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(0);

    const log = page.getByTestId('job-log');
    await log.waitFor();
    await expect.poll(async () => (await log.innerText()).split('\n').filter((l) => l.trim()).length, { timeout: 30_000 }).toBeGreaterThan(2);

    keepInDocs(await shot(page, '04-job-completed'), 'screenshot-job');

    // The strict CSP did not block anything the renderer needs, and nothing threw.
    expect(problems).toEqual([]);
  });
});

describe('a page opened with a wrong token', () => {
  it('shows a connection error, not data', async () => {
    // A fresh context: no token remembered from the page above.
    const { context, page } = await e2e.newPage({ width: 1280, height: 800 });
    try {
      await page.goto(`${e2e.origin}/?token=${'0'.repeat(64)}`);
      const banner = page.getByTestId('error-banner');
      await banner.waitFor({ timeout: 30_000 });
      expect(await banner.innerText()).toMatch(/connect|token/i);
      expect(await page.getByTestId('job-row').count()).toBe(0);
      await shot(page, '05-wrong-token');
    } finally {
      await context.close();
    }
  });

  it('the server refuses the WebSocket itself, whatever the page does', async () => {
    const { context, page } = await e2e.newPage();
    try {
      await page.goto(`${e2e.origin}/healthz`);
      const outcome = await page.evaluate(
        (wsUrl) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(wsUrl);
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('refused');
          }),
        `${e2e.origin.replace('http', 'ws')}/rpc?token=wrong`,
      );
      expect(outcome).toBe('refused');
    } finally {
      await context.close();
    }
  });
});
