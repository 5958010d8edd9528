/**
 * A tab left open across a server restart: when `trainyard serve` stops, the page says it is
 * disconnected and greys what it shows; when a server starts again on the same data dir and port
 * (so with the same kept token), the page reconnects by itself, without a reload, and shows live
 * data again. Screenshots go to test/e2e/artifacts/.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/shared/rpc/client';
import { e2eForSuite, pageForSuite, shot } from './harness';

const UI_TIMEOUT_MS = 60_000;

const e2e = e2eForSuite({ name: 'reconnect', buildUi: true });
const view = pageForSuite(e2e, { width: 1280, height: 800 });
let client: Client | undefined;
afterAll(() => client?.close());

describe('a tab across a server restart', () => {
  it('shows it is disconnected, greys stale data, and reconnects on its own with live data', async () => {
    const { page } = view;
    let first: Client | undefined = await e2e.connect();
    expect((await first.api.queue.pause({})).paused).toBe(true);
    const before = await first.api.jobs.create({ spec: { kind: 'noop', sleepMs: 0, label: 'before the restart' }, priority: 'normal' });
    first.close();
    first = undefined;

    await page.goto(e2e.url);
    await page.getByTestId('nav-jobs').click();
    const row = (id: string) => page.locator(`[data-testid="job-row"][data-job-id="${id}"]`);
    await row(before.id).waitFor({ timeout: UI_TIMEOUT_MS });
    const app = page.getByTestId('app');
    expect(await app.getAttribute('data-stale')).toBe('false');
    // Marks this document: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { trainyardMark: number }).trainyardMark = 42));

    await e2e.stopServer();
    const banner = page.getByTestId('connection-banner');
    await banner.waitFor({ timeout: UI_TIMEOUT_MS });
    await expect.poll(() => banner.getAttribute('data-state'), { timeout: UI_TIMEOUT_MS }).toBe('disconnected');
    await expect.poll(() => app.getAttribute('data-stale'), { timeout: UI_TIMEOUT_MS }).toBe('true');
    expect(await app.evaluate((el) => el.classList.contains('app-stale'))).toBe(true);
    // What was shown stays, greyed.
    expect(await row(before.id).isVisible()).toBe(true);
    expect(Number(await page.locator('.content').evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(1);
    // It keeps retrying on its own while the server is down.
    await page.getByTestId('connection-retry').waitFor({ timeout: UI_TIMEOUT_MS });
    await shot(page, '60-disconnected', { fullPage: false });

    const restarted = await e2e.restartServer();
    expect(restarted.token).toBe(e2e.token);
    await expect.poll(() => app.getAttribute('data-stale'), { timeout: UI_TIMEOUT_MS }).toBe('false');
    expect(await banner.count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { trainyardMark?: number }).trainyardMark)).toBe(42);

    // Live again: a job created now shows up through the new connection's events.
    client = await e2e.connect();
    const after = await client.api.jobs.create({ spec: { kind: 'noop', sleepMs: 0, label: 'after the restart' }, priority: 'normal' });
    await row(after.id).waitFor({ timeout: UI_TIMEOUT_MS });
    await shot(page, '61-reconnected', { fullPage: false });
  });
});
