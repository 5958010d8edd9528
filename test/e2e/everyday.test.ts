/**
 * End to end, what a new user hit in the browser (issue: a UI a researcher would use every day):
 * `trainyard serve` over a temp data dir seeded with four runs, Debian's Chromium driven by
 * Playwright. Each check fails on the UI as it was before its fix:
 *
 * - the Runs search box's own example finds runs, a key no run has is named, and a refused query
 *   does not also say "0 runs" and "No run matches";
 * - a selection hidden by a search or an archive no longer drives Compare, Archive and Delete;
 * - a dependent job's timeline shows every step the core recorded (queued → running included), and
 *   its badge agrees with the timeline's last step;
 * - a cancelled job that was retried offers no second Retry;
 * - the Jobs view's search, `/`, arrow keys and Escape; the tab title; a page without the token
 *   says so instead of "Loading jobs…"; cancelling a job that has run over a minute asks first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/core/paths';
import { openStore } from '../../src/core/store';
import { Tracking } from '../../src/core/tracking';
import type { Client } from '../../src/shared/rpc/client';
import { e2eForSuite, pageForSuite, shot, waitForJobEnd } from './harness';

const UI_TIMEOUT_MS = 60_000;
const JOB_TIMEOUT_MS = 120_000;
/** CONFIRM_CANCEL_AFTER_MS in JobControls.tsx: past this, Cancel asks first. */
const CONFIRM_CANCEL_AFTER_MS = 60_000;

/** Four finished runs: two mlp, two linear, one of the mlp tagged as the candidate. */
const SEEDED: { model: string; rmse: number; tags: Record<string, string> }[] = [
  { model: 'mlp', rmse: 0.3, tags: { stage: 'candidate' } },
  { model: 'mlp', rmse: 0.4, tags: {} },
  { model: 'linear', rmse: 0.2, tags: {} },
  { model: 'linear', rmse: 0.9, tags: {} },
];

async function seedRuns(dataDir: string): Promise<void> {
  const store = openStore(dataPaths(dataDir).db);
  const tracking = new Tracking(store, { dataDir });
  try {
    for (const [i, r] of SEEDED.entries()) {
      const id = await tracking.startRun({ experiment: 'everyday', jobId: null, model: r.model, datasetId: null, datasetSha256: null, params: { epochs: 10 + i } });
      await tracking.recordMetrics([{ runId: id, key: 'test.rmse', step: 0, ts: Date.now(), value: r.rmse }]);
      await tracking.finishRun(id, { status: 'completed' });
      if (Object.keys(r.tags).length > 0) await tracking.update(id, { tags: r.tags });
    }
  } finally {
    await store.close();
  }
}

const e2e = e2eForSuite({ name: 'everyday', buildUi: true, seed: seedRuns });
let client: Client;

beforeAll(async () => {
  client = await e2e.connect();
});

afterAll(() => {
  client?.close();
});

describe('the UI a researcher uses every day', () => {
  const view = pageForSuite(e2e, { width: 1440, height: 900 });

  it('Runs: the search example finds runs, unknown keys are named, a refused query says only that', async () => {
    const { page } = view;
    await page.goto(e2e.url);
    await page.getByTestId('nav-runs').click();
    const count = page.getByTestId('runs-count');
    await expect.poll(() => count.innerText(), { timeout: UI_TIMEOUT_MS }).toBe('4 runs');

    // The placeholder's example, typed as is: two mlp runs under 0.5 (the candidate among them).
    const search = page.getByTestId('runs-search');
    const example = (await search.getAttribute('placeholder'))!;
    await search.fill(example);
    await page.getByTestId('runs-search-submit').click();
    await expect.poll(() => count.innerText(), { timeout: UI_TIMEOUT_MS }).toBe('2 runs');
    expect(await page.getByTestId('runs-unknown-keys').count()).toBe(0);

    // `model` is a run's field, not a param: the search says so instead of a silent 0.
    await search.fill('params.model = "mlp"');
    await page.getByTestId('runs-search-submit').click();
    const unknown = page.getByTestId('runs-unknown-keys');
    await expect.poll(() => unknown.getAttribute('data-fields'), { timeout: UI_TIMEOUT_MS }).toBe('params.model');
    expect(await unknown.innerText()).toMatch(/No run has params\.model \(did you mean model\?\)/);

    // A syntax error: the error under the box, not also "0 runs" and "No run matches".
    await search.fill('metrics.test.rmse <');
    await page.getByTestId('runs-search-submit').click();
    await page.getByTestId('runs-query-error').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await count.innerText()).not.toMatch(/0 runs/);
    expect(await page.getByTestId('runs-table').innerText()).not.toMatch(/No run matches/);
    expect(await unknown.count()).toBe(0);
    expect(await page.title()).toBe('Runs · Trainyard');
    await shot(page, '60-runs-query-error', { fullPage: false });
  });

  it('Runs: a selection hidden by a search or an archive drives nothing', async () => {
    const { page } = view;
    const count = page.getByTestId('runs-count');
    const search = page.getByTestId('runs-search');
    await search.fill('');
    await page.getByTestId('runs-search-submit').click();
    await expect.poll(() => count.innerText(), { timeout: UI_TIMEOUT_MS }).toBe('4 runs');
    // The first click on an error metric sorts best (lowest) first.
    const rmseHead = page.getByTestId('runs-col-metrics.test.rmse');
    await rmseHead.click();
    await expect.poll(() => rmseHead.getAttribute('aria-sort')).toBe('ascending');
    await expect
      .poll(() => page.getByTestId('run-cell-metrics.test.rmse').evaluateAll((els) => els.map((e) => e.textContent)), { timeout: UI_TIMEOUT_MS })
      .toEqual(['0.2', '0.3', '0.4', '0.9']);

    await page.getByTestId('runs-select-all').check();
    await expect.poll(() => count.innerText()).toBe('4 runs · 4 selected');
    expect(await page.getByTestId('runs-compare').isEnabled()).toBe(true);

    // A search that shows two of them: the four are no longer selected.
    await search.fill('model = "linear"');
    await page.getByTestId('runs-search-submit').click();
    await expect.poll(() => count.innerText(), { timeout: UI_TIMEOUT_MS }).toBe('2 runs');
    expect(await page.getByTestId('runs-compare').isEnabled()).toBe(false);
    expect(await page.getByTestId('runs-archive').isEnabled()).toBe(false);
    expect(await page.getByTestId('runs-delete').isEnabled()).toBe(false);

    // Archive both shown: they leave the table, and the selection with them.
    await page.getByTestId('runs-select-all').check();
    await expect.poll(() => count.innerText()).toBe('2 runs · 2 selected');
    await page.getByTestId('runs-archive').click();
    await expect.poll(() => page.getByTestId('runs-notice').innerText(), { timeout: UI_TIMEOUT_MS }).toBe('Archived 2 runs.');
    await expect.poll(() => count.innerText(), { timeout: UI_TIMEOUT_MS }).toBe('0 runs');
    expect(await page.getByTestId('runs-delete').isEnabled()).toBe(false);
    expect(await page.getByTestId('runs-compare').innerText()).toBe('Compare');
  });

  it('Jobs: a dependent job shows every recorded step, and its badge agrees with the timeline', async () => {
    const { page, problems } = view;
    const first = await client.api.jobs.create({ spec: { kind: 'noop', sleepMs: 3000, label: 'alpha first' } });
    const dependent = await client.api.jobs.create({ spec: { kind: 'noop', sleepMs: 0, label: 'beta after alpha' }, after: [first.id] });
    // Opened while it waits: the steps after this come while the pane is open.
    await page.goto(`${e2e.origin}/#/jobs/${dependent.id}`);
    const detail = page.getByTestId('job-detail');
    await expect.poll(() => detail.getAttribute('data-job-id'), { timeout: UI_TIMEOUT_MS }).toBe(dependent.id);
    await waitForJobEnd(client, dependent.id, JOB_TIMEOUT_MS);
    await expect.poll(() => detail.getAttribute('data-status'), { timeout: UI_TIMEOUT_MS }).toBe('completed');

    const recorded = (await client.api.jobs.transitions({ id: dependent.id })).map((t) => `${t.from ?? ''}>${t.to}`);
    expect(recorded).toEqual(['>queued', 'queued>running', 'running>completed']);
    const shown = () =>
      page.getByTestId('job-transition').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`));
    await expect.poll(shown, { timeout: UI_TIMEOUT_MS }).toEqual(recorded);
    const badge = detail.getByTestId('job-status').first();
    expect(await badge.getAttribute('data-status')).toBe('completed');
    expect(await page.title()).toBe(`Job ${dependent.id.slice(-8).toLowerCase()} · Trainyard`);
    expect(problems).toEqual([]);
  });

  it('Jobs: a cancelled job retried once offers no second Retry', async () => {
    const { page } = view;
    await client.api.queue.pause({});
    const job = await client.api.jobs.create({ spec: { kind: 'noop', sleepMs: 0, label: 'gamma cancelled' } });
    await client.api.jobs.cancel({ id: job.id });
    await page.goto(`${e2e.origin}/#/jobs/${job.id}`);
    const detail = page.getByTestId('job-detail');
    await expect.poll(() => detail.getAttribute('data-status'), { timeout: UI_TIMEOUT_MS }).toBe('cancelled');
    await detail.getByTestId('retry-job').click();
    // The retry opens; back on the original, it says where its retry is instead of offering another.
    await expect.poll(() => detail.getAttribute('data-job-id'), { timeout: UI_TIMEOUT_MS }).not.toBe(job.id);
    const retryId = (await detail.getAttribute('data-job-id'))!;
    await page.goto(`${e2e.origin}/#/jobs/${job.id}`);
    await expect.poll(() => detail.getAttribute('data-job-id'), { timeout: UI_TIMEOUT_MS }).toBe(job.id);
    await expect.poll(() => detail.getByTestId('job-retried-as').getAttribute('data-job-id'), { timeout: UI_TIMEOUT_MS }).toBe(retryId);
    expect(await detail.getByTestId('retry-job').count()).toBe(0);
    // The same after a reload, and in the table's row.
    await page.reload();
    await expect.poll(() => detail.getByTestId('job-retried-as').count(), { timeout: UI_TIMEOUT_MS }).toBe(1);
    expect(await page.locator(`[data-testid="job-row"][data-job-id="${job.id}"] [data-testid="retry-job"]`).count()).toBe(0);
    // And the core refuses a retry asked for some other way.
    await expect(client.api.jobs.retry({ id: job.id })).rejects.toMatchObject({ code: 'Conflict' });
    await client.api.jobs.cancel({ id: retryId });
    await client.api.queue.resume({});
  });

  it('Jobs: search, / focuses it, arrow keys move between rows, Escape closes panels', async () => {
    const { page } = view;
    await page.goto(`${e2e.origin}/#/jobs`);
    const shown = page.getByTestId('jobs-shown');
    await expect.poll(async () => Number(await shown.getAttribute('data-count')), { timeout: UI_TIMEOUT_MS }).toBe(4);
    await expect.poll(() => page.title()).toBe('Jobs · Trainyard');

    await page.locator('body').press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('jobs-search');
    await page.keyboard.type('alpha');
    await expect.poll(async () => Number(await shown.getAttribute('data-count'))).toBe(2); // alpha, and beta after alpha
    await page.keyboard.type(' first');
    await expect.poll(async () => Number(await shown.getAttribute('data-count'))).toBe(1);
    await page.keyboard.press('Escape'); // empties the box
    await expect.poll(async () => Number(await shown.getAttribute('data-count'))).toBe(4);
    await page.getByTestId('jobs-search').blur();

    // Arrow keys open the rows in table order.
    const rowIds = await page.getByTestId('job-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-job-id')));
    const detail = page.getByTestId('job-detail');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => detail.getAttribute('data-job-id')).toBe(rowIds[0]);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => detail.getAttribute('data-job-id')).toBe(rowIds[1]);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => detail.getAttribute('data-job-id')).toBe(rowIds[0]);
    // With the pane open the table keeps the job's age and id.
    expect(await page.getByTestId('jobs-table').locator('th.col-created').isVisible()).toBe(true);
    expect(await page.getByTestId('jobs-table').locator('th.col-id').isVisible()).toBe(true);
    await shot(page, '61-jobs-keys-detail', { fullPage: false });
    // A small window: the detail goes under the table, which keeps most of the height.
    await page.setViewportSize({ width: 1024, height: 700 });
    await shot(page, '62-jobs-detail-1024x700', { fullPage: false });
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.keyboard.press('Escape');
    await expect.poll(() => detail.count()).toBe(0);
    await page.getByTestId('new-job-button').click();
    await page.getByTestId('new-job-form').waitFor();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('new-job-form').count()).toBe(0);
  });

  it('Jobs: cancelling a job that has run over a minute asks first', async () => {
    const { page } = view;
    const job = await client.api.jobs.create({ spec: { kind: 'noop', sleepMs: 600_000, label: 'delta long' } });
    // Past the minute by the core's own clock: the confirmation is about work done, not about this test's timing.
    await expect
      .poll(async () => {
        const j = await client.api.jobs.get({ id: job.id });
        return j.startedAt !== null && Date.now() - j.startedAt > CONFIRM_CANCEL_AFTER_MS;
      }, { timeout: 180_000, interval: 2000 })
      .toBe(true);
    await page.goto(`${e2e.origin}/#/jobs/${job.id}`);
    const detail = page.getByTestId('job-detail');
    await expect.poll(() => detail.getAttribute('data-status'), { timeout: UI_TIMEOUT_MS }).toBe('running');
    await detail.getByTestId('cancel-job').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/It has run for/);
    await dialog.getByTestId('confirm-cancel').click(); // "Keep running"
    expect((await client.api.jobs.get({ id: job.id })).status).toBe('running');
    await detail.getByTestId('cancel-job').click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(async () => (await client.api.jobs.get({ id: job.id })).status, { timeout: UI_TIMEOUT_MS }).toBe('cancelled');
  });

  it('a page opened without the token says so instead of loading forever', async () => {
    const fresh = await e2e.newPage({ width: 1024, height: 700 });
    try {
      await fresh.page.goto(`${e2e.origin}/#/jobs`);
      await expect
        .poll(() => fresh.page.getByTestId('jobs-table').innerText(), { timeout: UI_TIMEOUT_MS })
        .toMatch(/The jobs cannot load: This page has no access token/);
    } finally {
      await fresh.context.close();
    }
  });
});
