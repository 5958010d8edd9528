/**
 * End to end, as a person would: `trainyard serve` with a temp data dir, Debian's Chromium driven by
 * Playwright. Import the bundled CO2 sample, train a small forecaster, watch it finish, read its
 * metrics, loss chart and log. Screenshots go to test/e2e/artifacts/ (and the final one to
 * docs/screenshot-job.png, which the README shows).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = path.join(ROOT, 'test', 'e2e', 'artifacts');
const CHROMIUM = process.env.TRAINYARD_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+\/\S*token=[0-9a-f]+)/;
const TRAIN_TIMEOUT_MS = 240_000;

let tmp: string;
let server: ChildProcess | null = null;
let serverOutput = '';
let url: string;
let origin: string;
let browser: Browser;

/** Starts `trainyard serve` and resolves with the URL it prints (it may build the UI first). */
function startServe(dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'trainyard.mjs'), 'serve', '--data-dir', dataDir, '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    let pending = '';
    const timer = setTimeout(() => reject(new Error(`trainyard serve printed no URL in time:\n${serverOutput}`)), 170_000);
    child.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      serverOutput += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = URL_LINE.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      serverOutput += d.toString();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`trainyard serve exited (${code ?? signal}) before printing its URL:\n${serverOutput}`));
    });
  });
}

async function stopServe(): Promise<void> {
  const child = server;
  server = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Collects what the page reports going wrong: uncaught errors and CSP or console errors. */
function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return problems;
}

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

async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does) to run the end-to-end tests`);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-e2e-'));
  url = await startServe(path.join(tmp, 'data'));
  origin = new URL(url).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stopServe();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('trainyard serve in a browser', () => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    problems = watchPage(page);
  });
  afterAll(async () => {
    await context?.close();
  });

  it('trains a forecaster on the CO2 sample and shows its results', async () => {
    await page.goto(url);
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

    const final = await shot(page, '04-job-completed');
    fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
    fs.copyFileSync(final, path.join(ROOT, 'docs', 'screenshot-job.png'));

    // The strict CSP did not block anything the renderer needs, and nothing threw.
    expect(problems).toEqual([]);
  });
});

describe('a page opened with a wrong token', () => {
  it('shows a connection error, not data', async () => {
    // A fresh context: no token remembered from the page above.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/?token=${'0'.repeat(64)}`);
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
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/healthz`);
      const outcome = await page.evaluate(
        (wsUrl) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(wsUrl);
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('refused');
          }),
        `${origin.replace('http', 'ws')}/rpc?token=wrong`,
      );
      expect(outcome).toBe('refused');
    } finally {
      await context.close();
    }
  });
});
