/**
 * End to end, the Jobs view under a real load: `trainyard serve` with a temp data dir, the queue
 * paused, 10,000 no-op jobs submitted through the API; then Debian's Chromium, driven by Playwright,
 * opens the Jobs view. The table must hold only a window of rows in the DOM (it is virtualised),
 * reach the oldest job when scrolled to the end, filter by priority, change a job's priority, and
 * show jobs completing once the queue is resumed. Screenshots go to test/e2e/artifacts/, and one to
 * docs/screenshot-jobs.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Priority } from '../../src/shared/contract';
import type { Client } from '../../src/shared/rpc/client';
import { e2eForSuite, keepInDocs, pageForSuite, shot, type ShotOptions } from './harness';

const JOB_COUNT = 10_000;
/** Creates in flight at once: enough to keep the socket busy without one giant burst. */
const SUBMIT_BATCH = 250;
/** The priorities the jobs are submitted with, in turn. None is urgent: the test makes one so. */
const SUBMITTED_PRIORITIES: Priority[] = ['low', 'normal', 'high'];
/** Far fewer row elements than jobs: a window of the table, not all of it. */
const MAX_ROWS_IN_DOM = 200;
const UI_TIMEOUT_MS = 60_000;
const DRAIN_TIMEOUT_MS = 180_000;
/** The Jobs view scrolls inside its table: its screenshots are of the viewport, as a person sees it. */
const VIEWPORT: ShotOptions = { fullPage: false };

const e2e = e2eForSuite({ name: 'jobs' });
let client: Client;

/** Submits the jobs in batches of concurrent calls; returns them in submission order. */
async function submitNoops(count: number): Promise<Job[]> {
  const jobs: Job[] = [];
  for (let start = 0; start < count; start += SUBMIT_BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + SUBMIT_BATCH); i++) {
      batch.push(
        client.api.jobs.create({
          spec: { kind: 'noop', sleepMs: 0, label: `job ${i}` },
          priority: SUBMITTED_PRIORITIES[i % SUBMITTED_PRIORITIES.length],
        }),
      );
    }
    jobs.push(...(await Promise.all(batch)));
  }
  return jobs;
}

beforeAll(async () => {
  client = await e2e.connect();
});

afterAll(() => {
  client?.close();
});

describe('the Jobs view with 10,000 jobs', () => {
  const view = pageForSuite(e2e, { width: 1440, height: 900 });

  it('stays a window of rows, filters, reprioritises, and shows the drain', async () => {
    const { page, problems } = view;
    // Paused first, so every job is still queued when the page opens.
    expect((await client.api.queue.pause({})).paused).toBe(true);
    const submitted = await submitNoops(JOB_COUNT);
    expect(submitted).toHaveLength(JOB_COUNT);
    const lowCount = submitted.filter((j) => j.priority === 'low').length;

    await page.goto(e2e.url);
    await page.getByTestId('nav-jobs').click();
    const shown = page.getByTestId('jobs-shown');
    await expect.poll(async () => Number(await shown.getAttribute('data-count')), { timeout: UI_TIMEOUT_MS }).toBe(JOB_COUNT);
    await expect.poll(async () => page.getByTestId('queue-state').getAttribute('data-paused'), { timeout: UI_TIMEOUT_MS }).toBe('true');
    await expect
      .poll(async () => Number(await page.getByTestId('stat-queued').getAttribute('data-count')), { timeout: UI_TIMEOUT_MS })
      .toBe(JOB_COUNT);

    // Virtualised: the table knows all 10,000 rows, the DOM holds a window of them.
    const table = page.getByTestId('jobs-table');
    expect(Number(await table.getAttribute('data-rows'))).toBe(JOB_COUNT);
    const rows = page.getByTestId('job-row');
    await rows.first().waitFor();
    const windowRows = await rows.count();
    expect(windowRows).toBeGreaterThan(0);
    expect(windowRows).toBeLessThan(MAX_ROWS_IN_DOM);
    await shot(page, '10-jobs-paused', VIEWPORT);

    // Scrolled to the end: the oldest job (newest first is the default order) is the last row.
    const listed = await client.api.jobs.list({ limit: 20_000 });
    const oldest = listed.reduce((a, b) => (b.createdAt < a.createdAt || (b.createdAt === a.createdAt && b.id < a.id) ? b : a));
    await page.getByTestId('jobs-scroll').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    const lastRow = page.locator(`[data-testid="job-row"][data-job-id="${oldest.id}"]`);
    await lastRow.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(Number(await lastRow.getAttribute('data-index'))).toBe(JOB_COUNT - 1);
    expect(await lastRow.isVisible()).toBe(true);
    expect(await rows.count()).toBeLessThan(MAX_ROWS_IN_DOM);
    await shot(page, '11-jobs-scrolled-to-end', VIEWPORT);

    // Filter by priority: only low jobs, as many as were submitted low.
    await page.getByTestId('filter-priority').selectOption('low');
    await expect.poll(async () => Number(await shown.getAttribute('data-count')), { timeout: UI_TIMEOUT_MS }).toBe(lowCount);
    const priorities = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-priority')));
    expect(priorities.length).toBeGreaterThan(0);
    expect(new Set(priorities)).toEqual(new Set(['low']));

    // Change one low job's priority to urgent from its row.
    const firstLow = rows.first();
    const chosenId = (await firstLow.getAttribute('data-job-id'))!;
    await firstLow.getByTestId('job-priority-select').selectOption('urgent');
    await expect.poll(async () => (await client.api.jobs.get({ id: chosenId })).priority, { timeout: UI_TIMEOUT_MS }).toBe('urgent');
    await expect.poll(async () => Number(await shown.getAttribute('data-count')), { timeout: UI_TIMEOUT_MS }).toBe(lowCount - 1);
    await page.getByTestId('filter-priority').selectOption('urgent');
    await expect.poll(async () => Number(await shown.getAttribute('data-count')), { timeout: UI_TIMEOUT_MS }).toBe(1);
    const chosenRow = page.locator(`[data-testid="job-row"][data-job-id="${chosenId}"]`);
    expect(await chosenRow.getAttribute('data-priority')).toBe('urgent');

    // Resume: the urgent job runs first and completes; others follow.
    await page.getByTestId('queue-resume').click();
    await expect.poll(async () => page.getByTestId('queue-state').getAttribute('data-paused'), { timeout: UI_TIMEOUT_MS }).toBe('false');
    await expect.poll(async () => chosenRow.getAttribute('data-status'), { timeout: DRAIN_TIMEOUT_MS }).toBe('completed');
    await page.getByTestId('filter-priority').selectOption('');
    await page.getByTestId('filter-status').selectOption('completed');
    await expect.poll(async () => Number(await shown.getAttribute('data-count')), { timeout: DRAIN_TIMEOUT_MS }).toBeGreaterThan(1);
    const statuses = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['completed']));
    // The stats header follows the drain: what the core counts, not what the page holds.
    await expect
      .poll(async () => Number(await page.getByTestId('stat-completed').getAttribute('data-count')), { timeout: DRAIN_TIMEOUT_MS })
      .toBeGreaterThan(1);
    const stats = await client.api.queue.stats({});
    expect(stats.counts.completed).toBeGreaterThan(1);
    const perPriority = page.getByTestId('stats-per-priority');
    await perPriority.locator('summary').click();
    await expect.poll(async () => perPriority.locator('tr[data-priority="urgent"]').count(), { timeout: UI_TIMEOUT_MS }).toBe(1);
    await perPriority.locator('summary').click();

    // The limits: set through the header, saved by the core, shown in the capacity line.
    await page.getByTestId('queue-limits-open').click();
    await page.getByTestId('queue-limit-max-concurrent').fill('3');
    await page.getByTestId('queue-limit-train').fill('1');
    await page.getByTestId('queue-limits-save').click();
    await expect.poll(async () => (await client.api.queue.state({})).maxPerKind, { timeout: UI_TIMEOUT_MS }).toEqual({ train: 1 });
    expect((await client.api.queue.state({})).maxConcurrent).toBe(3);
    await expect.poll(async () => page.getByTestId('queue-capacity').textContent(), { timeout: UI_TIMEOUT_MS }).toMatch(/\/3 running/);

    // Pause again: the running job finishes, nothing new starts, and the counts hold still.
    await page.getByTestId('queue-pause').click();
    await expect.poll(async () => page.getByTestId('queue-state').getAttribute('data-paused'), { timeout: UI_TIMEOUT_MS }).toBe('true');
    await expect
      .poll(async () => Number(await page.getByTestId('stat-running').getAttribute('data-count')), { timeout: DRAIN_TIMEOUT_MS })
      .toBe(0);
    const completed = (await client.api.queue.stats({})).counts.completed;
    await expect.poll(async () => Number(await shown.getAttribute('data-count')), { timeout: UI_TIMEOUT_MS }).toBe(completed);

    // The whole queue, most advanced first, scrolled to where the done jobs give way to the waiting.
    await page.getByTestId('filter-status').selectOption('');
    await page.getByTestId('sort-progress').click();
    expect(await page.getByTestId('jobs-table').locator('th[aria-sort="descending"]').count()).toBe(1);
    await expect.poll(async () => rows.first().getAttribute('data-status')).toBe('completed');
    const rowHeight = (await rows.first().boundingBox())!.height;
    await page.getByTestId('jobs-scroll').evaluate((el, top) => {
      el.scrollTop = top;
    }, Math.max(0, completed - 6) * rowHeight);
    // The first row past the done ones waits (unless a very fast machine drained everything).
    const firstWaiting = Math.min(completed, JOB_COUNT - 1);
    const boundary = page.locator(`[data-testid="job-row"][data-index="${firstWaiting}"]`);
    await boundary.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await boundary.getAttribute('data-status')).toBe(completed < JOB_COUNT ? 'queued' : 'completed');
    keepInDocs(await shot(page, '12-jobs-paused-after-drain', VIEWPORT), 'screenshot-jobs');

    // The urgent job's detail: its timeline from submit to completion, what it asked for.
    await page.getByTestId('filter-priority').selectOption('urgent');
    await chosenRow.click();
    const detail = page.getByTestId('job-detail');
    await expect.poll(async () => detail.getAttribute('data-job-id'), { timeout: UI_TIMEOUT_MS }).toBe(chosenId);
    const timeline = page.getByTestId('job-timeline');
    await expect.poll(async () => Number(await timeline.getAttribute('data-count')), { timeout: UI_TIMEOUT_MS }).toBeGreaterThanOrEqual(3);
    const transitions = await page
      .getByTestId('job-transition')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`));
    const recorded = await client.api.jobs.transitions({ id: chosenId });
    expect(transitions).toEqual(recorded.map((t) => `${t.from ?? ''}>${t.to}`));
    expect(transitions[transitions.length - 1]).toMatch(/>completed$/);
    expect(await page.getByTestId('job-resources').getAttribute('data-cpu-slots')).toBe(String(submitted[0].resources.cpuSlots));
    await shot(page, '13-job-detail', VIEWPORT);

    // The new-job form's queue fields: a job that can never fit is refused with the reason and the
    // field marked; one that waits for the urgent job is created with its policy and dependency.
    const capacity = await client.api.queue.state({});
    await page.getByTestId('close-detail').click();
    await page.getByTestId('new-job-button').click();
    await page.getByTestId('sample-select').selectOption('co2-concentration.csv');
    await page.getByTestId('import-sample-button').click();
    await expect.poll(async () => page.getByTestId('dataset-select').inputValue(), { timeout: UI_TIMEOUT_MS }).not.toBe('');
    await page.getByTestId('gpus-input').fill(String(capacity.capacity.gpus + 1));
    await page.getByTestId('submit-job').click();
    const form = page.getByTestId('new-job-form');
    await expect.poll(async () => form.getByTestId('error-banner').innerText(), { timeout: UI_TIMEOUT_MS }).toMatch(/GPU/i);
    expect(await page.getByTestId('gpus-input').getAttribute('aria-invalid')).toBe('true');

    await page.getByTestId('gpus-input').fill('0');
    await page.getByTestId('max-attempts-input').fill('3');
    // The short id the table shows is enough: the form resolves it to the full one.
    await page.getByTestId('after-input').fill(chosenId.slice(-8).toLowerCase());
    await page.getByTestId('submit-job').click();
    await expect.poll(async () => detail.getAttribute('data-job-id'), { timeout: UI_TIMEOUT_MS }).not.toBe(chosenId);
    const newId = (await detail.getAttribute('data-job-id'))!;
    const created = await client.api.jobs.get({ id: newId });
    expect(created.after).toEqual([chosenId]);
    expect(created.retryPolicy.maxAttempts).toBe(3);
    const dependency = page.getByTestId('job-dependency');
    expect(await dependency.getAttribute('data-job-id')).toBe(chosenId);
    expect(await dependency.getAttribute('data-status')).toBe('completed');
    expect(await page.getByTestId('job-retry-policy').innerText()).toMatch(/up to 3 attempts/);
    await shot(page, '14-job-with-dependency', VIEWPORT);

    expect(problems).toEqual([]);
  });
});
