/**
 * Fresh screenshots of every view for the README, at 1440 px: `trainyard serve` over a temp data
 * dir seeded through the API as a person would use it (the CO2 sample imported, a ridge and a small
 * MLP trained, a six-trial study over the ridge's window and penalty, the ridge registered as a
 * model), then every view the navigation offers, and the detail pages of a job, a run, a
 * comparison, the study and the model. Each is saved to docs/screenshots/<name>.png.
 *
 * Views are found from the navigation itself, so a view added later is shot too. A page is shot
 * once it has stopped saying "Loading" (or after a while if it never does, so one slow view cannot
 * cost the others their picture).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/shared/rpc/client';
import { e2eForSuite, pageForSuite, waitForJobEnd } from './harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1440, height: 900 };
const TRAIN_TIMEOUT_MS = 240_000;
const SETTLE_TIMEOUT_MS = 20_000;
const MODEL = 'co2-forecaster';

const e2e = e2eForSuite({ name: 'screenshots', buildUi: true });
let client: Client;

beforeAll(async () => {
  client = await e2e.connect();
  fs.mkdirSync(OUT, { recursive: true });
});

afterAll(() => {
  client?.close();
});

/** Waits until the page stops saying it is loading, then a moment for charts to draw; never fails. */
async function settle(page: Page): Promise<void> {
  await page
    .waitForFunction(() => !/Loading/.test(document.querySelector('main')?.textContent ?? 'Loading'), undefined, { timeout: SETTLE_TIMEOUT_MS })
    .catch(() => undefined);
  await page.waitForTimeout(600);
}

/** The whole page: views scroll inside their content box, so the viewport is made as tall as it. */
async function save(page: Page, name: string): Promise<string> {
  await settle(page);
  const height = await page.evaluate(() => {
    const content = document.querySelector('.content');
    const inner = content ? Math.max(content.scrollHeight, ...[...content.querySelectorAll('*')].map((e) => (e as HTMLElement).scrollHeight)) : 0;
    return Math.min(4000, Math.max(window.innerHeight, inner));
  });
  const file = path.join(OUT, `${name}.png`);
  await page.setViewportSize({ width: VIEWPORT.width, height: Math.max(VIEWPORT.height, height) });
  await page.screenshot({ path: file, fullPage: false });
  await page.setViewportSize(VIEWPORT);
  return file;
}

describe('screenshots of every view', () => {
  const view = pageForSuite(e2e, VIEWPORT);
  let runIds: string[] = [];
  let jobId = '';
  let studyId = '';

  it('seeds the data dir as a person would: a dataset, two trained jobs, a study, a model', async () => {
    const dataset = await client.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    const ridge = await client.api.jobs.create({ spec: { kind: 'train', datasetId: dataset.id, target: 'CO2', model: 'linear', experiment: 'co2', params: {} } });
    const mlp = await client.api.jobs.create({
      spec: { kind: 'train', datasetId: dataset.id, target: 'CO2', model: 'mlp', experiment: 'co2', params: { epochs: 8, window: 12, patience: 0, hiddenUnits: 16, layers: 1 } },
    });
    const done = [await waitForJobEnd(client, ridge.id, TRAIN_TIMEOUT_MS), await waitForJobEnd(client, mlp.id, TRAIN_TIMEOUT_MS)];
    for (const job of done) expect(job.status, job.error ?? '').toBe('completed');
    runIds = done.map((j) => j.runId!);
    jobId = mlp.id;
    await client.api.runs.update({ id: runIds[0], tags: { stage: 'candidate' } });
    await client.api.models.register({ name: MODEL, runId: runIds[0], description: '**CO2** forecaster: ridge over the last 12 months', tags: { team: 'climate' } });

    const study = await client.api.studies.create({
      spec: {
        name: 'co2-ridge-window',
        objective: { metric: 'val.rmse', direction: 'minimize' },
        space: { window: { type: 'int', low: 4, high: 36 }, l2: { type: 'float', low: 1e-6, high: 1, log: true } },
        sampler: { type: 'random' },
        budget: { trials: 6 },
      },
      train: { kind: 'train', datasetId: dataset.id, target: 'CO2', model: 'linear', params: {} },
    });
    studyId = study.id;
    const deadline = Date.now() + TRAIN_TIMEOUT_MS;
    while ((await client.api.studies.get({ id: study.id })).status === 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
    expect((await client.api.studies.get({ id: study.id })).status).toBe('completed');
  });

  it('shoots every view in the navigation, and the detail pages', async () => {
    const { page } = view;
    await page.goto(e2e.url);
    await page.waitForFunction(() => !location.search.includes('token='));
    const views = await page.locator('[data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('nav-'.length)));
    expect(views.length).toBeGreaterThan(3);
    const saved: string[] = [];
    for (const name of views) {
      await page.getByTestId(`nav-${name}`).click();
      saved.push(await save(page, name));
    }

    const details: [string, string][] = [
      ['job-detail', `#/jobs/${jobId}`],
      ['run-detail', `#/runs/${runIds[1]}`],
      ['compare', `#/compare/${runIds.join(',')}`],
      ['study-detail', `#/studies/${studyId}`],
      ['model-detail', `#/models/${MODEL}`],
    ];
    for (const [name, hash] of details) {
      await page.goto(`${e2e.origin}/${hash}`);
      saved.push(await save(page, name));
    }
    for (const file of saved) expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    expect(view.problems).toEqual([]);
  });
});
