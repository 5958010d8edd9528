/**
 * The Monitor view, live, as a person sees it: on this machine without a GPU (one line says why),
 * and with the stand-in nvidia-smi first on the served process's PATH, replaying the H200's real
 * outputs, with a running job's worker listed on the GPU. Samples arrive as events; the page is
 * never reloaded. Screenshots: docs/screenshots/monitor-no-gpu.png and monitor-h200.png (1440 px).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Client } from '../../src/shared/rpc/client';
import { pathWithStandin, pathWithoutNvidiaSmi } from '../helpers/nvidia-smi';
import { e2eForSuite, keepInDocs, pageForSuite, shot } from './harness';

const UI_TIMEOUT_MS = 60_000;
const VIEWPORT = { width: 1440, height: 900 };

async function openMonitor(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('nav-monitor').click();
  await page.getByTestId('monitor-updated').waitFor({ timeout: UI_TIMEOUT_MS });
}

/** The page's sample time moves on by itself: live events, not a reload. */
async function expectLive(page: Page): Promise<void> {
  const first = Number(await page.getByTestId('monitor-updated').getAttribute('data-at'));
  await page.evaluate(() => ((window as unknown as { monitorMark: number }).monitorMark = 7));
  await expect.poll(async () => Number(await page.getByTestId('monitor-updated').getAttribute('data-at')), { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(first);
  expect(await page.evaluate(() => (window as unknown as { monitorMark?: number }).monitorMark)).toBe(7);
}

describe('Monitor view without a GPU', () => {
  const e2e = e2eForSuite({ name: 'monitor-no-gpu', buildUi: true, env: { PATH: pathWithoutNvidiaSmi() } });
  const view = pageForSuite(e2e, VIEWPORT);

  it('says in one line that there is no GPU, and shows the machine live, with history charts', async () => {
    const { page, problems } = view;
    await openMonitor(page, e2e.url);
    const none = page.getByTestId('gpu-none');
    expect((await none.textContent())?.trim()).toBe('No GPU: nvidia-smi is not installed (no NVIDIA driver on this machine)');
    expect(await page.getByTestId('gpu-card').count()).toBe(0);
    expect(await page.getByTestId('cpu-core').count()).toBe(os.cpus().length);
    expect(await page.getByTestId('memory-used').textContent()).toMatch(/\d(?:\.\d+)? (?:KiB|MiB|GiB) \/ .*GiB/);
    expect(await page.getByTestId('disk-used').textContent()).toMatch(/B \/ .*B/);
    expect(await page.getByTestId('workers-none').isVisible()).toBe(true);
    await expectLive(page);

    const chart = page.getByTestId('monitor-chart-machine');
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(1);
    expect(Number(await chart.getAttribute('data-series'))).toBe(3);
    expect(await page.getByTestId('monitor-chart-gpu').count()).toBe(0);

    // Another range is read from the core's history; the live samples go on being added to it.
    await page.locator('[data-testid="monitor-range"][data-range="24h"]').click();
    await expect.poll(() => page.locator('[data-testid="monitor-range"][data-range="24h"]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-testid="monitor-range"][data-range="1h"]').click();
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(1);

    keepInDocs(await shot(page, '70-monitor-no-gpu', { height: 1300 }), 'screenshots/monitor-no-gpu');
    expect(problems).toEqual([]);
  });
});

describe('Monitor view with an H200 (stand-in nvidia-smi replaying its outputs)', () => {
  const appsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-e2e-gpu-apps-')), 'apps.csv');
  const e2e = e2eForSuite({
    name: 'monitor-h200',
    env: { PATH: pathWithStandin(), NVIDIA_SMI_STANDIN_APPS: appsFile },
  });
  const view = pageForSuite(e2e, VIEWPORT);
  let client: Client | undefined;
  afterAll(() => {
    client?.close();
    fs.rmSync(path.dirname(appsFile), { recursive: true, force: true });
  });

  it('shows the GPU, its process and the job that owns it, the worker, and the job’s own usage', async () => {
    const { page, problems } = view;
    client = await e2e.connect();
    const job = await client.api.jobs.create({ spec: { kind: 'noop', sleepMs: 600_000, label: 'holds a worker on the GPU' }, priority: 'normal' });
    let pid = 0;
    await expect
      .poll(
        async () => {
          const s = await client!.api.monitor.snapshot({});
          pid = s.workers.find((w) => w.jobId === job.id)?.pid ?? 0;
          return pid;
        },
        { timeout: UI_TIMEOUT_MS },
      )
      .toBeGreaterThan(0);
    // As nvidia-smi lists a process using the GPU: the worker, and a program that is not Trainyard's.
    fs.writeFileSync(appsFile, `${pid}, node, 20480\n4242, python3, 1024\n`);

    await openMonitor(page, e2e.url);
    const card = page.locator('[data-testid="gpu-card"][data-index="0"]');
    await card.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await card.textContent()).toContain('NVIDIA H200');
    expect(await card.textContent()).toContain('GPU-9ebf79ba-450d-61e3-5577-7016886f3add');
    expect(await card.getByTestId('gpu-util').textContent()).toBe('0%');
    expect(await card.getByTestId('gpu-memory').textContent()).toBe(`0 / ${(143771).toLocaleString('en-US')} MiB`);
    expect(await card.getByTestId('gpu-temperature').textContent()).toBe('34 °C');
    expect(await card.getByTestId('gpu-power').textContent()).toBe('98.1 W / 700 W');
    expect(await page.getByTestId('gpu-none').count()).toBe(0);

    const proc = page.locator(`[data-testid="gpu-process"][data-pid="${pid}"]`);
    await proc.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await proc.getAttribute('data-job-id')).toBe(job.id);
    expect(await page.locator('[data-testid="gpu-process"][data-pid="4242"]').getAttribute('data-job-id')).toBe('');
    const worker = page.locator(`[data-testid="worker-row"][data-pid="${pid}"]`);
    expect(await worker.getAttribute('data-job-id')).toBe(job.id);
    expect(await worker.textContent()).toMatch(/MiB/);
    await expectLive(page);

    const gpuChart = page.getByTestId('monitor-chart-gpu');
    await expect.poll(async () => Number(await gpuChart.getAttribute('data-points')), { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(1);
    expect(Number(await gpuChart.getAttribute('data-series'))).toBe(2);
    keepInDocs(await shot(page, '71-monitor-h200', { height: 1500 }), 'screenshots/monitor-h200');

    // The job's page: what its worker uses, live.
    await proc.locator('a').click();
    const usage = page.getByTestId('job-usage');
    await usage.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await usage.getAttribute('data-running')).toBe('true');
    await expect.poll(() => page.getByTestId('job-usage-gpu').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('20,480 MiB');
    expect(await page.getByTestId('job-usage-rss').textContent()).toMatch(/MiB$/);
    await page.getByTestId('job-usage-chart').waitFor({ timeout: UI_TIMEOUT_MS });
    await shot(page, '72-job-usage');

    await client.api.jobs.cancel({ id: job.id });
    expect(problems).toEqual([]);
  });
});
