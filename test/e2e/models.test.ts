/**
 * End to end, the model registry through the Models view: `trainyard serve` with a temp data dir,
 * Debian's Chromium driven by Playwright.
 *
 * - Before any model: the Models view shows its empty state, the Pull dialog opens and checks a
 *   reference before sending it, a seeded completed run offers Register (the dialog suggests a
 *   name), and the run's artifact downloads from the server's authenticated route.
 * - The registry at work: a good (ridge) and a poor (an MLP trained one epoch) forecaster trained
 *   through the API, both registered from their run pages as v1 and v2; the gate set to "no worse
 *   than the champion by 1%"; v1 becomes champion (the gate passes), v2 is refused (the report
 *   shows the failed check and Force is offered); predict with an uploaded CSV draws forecast
 *   against actual; publish to a folder fills the byte bar and writes the version document; the
 *   champion is pushed to a real OCI registry and pulled back under another name through the
 *   dialogs, and the pulled version's downloaded predictions equal the champion's to 1e-9.
 * Screenshots go to test/e2e/artifacts/ (models-*).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths, resourcesDir } from '../../src/core/paths';
import { openStore } from '../../src/core/store';
import { Tracking } from '../../src/core/tracking';
import type { Job } from '../../src/shared/contract';
import type { Client } from '../../src/shared/rpc/client';
import { registryMissing, startRegistry, type TestRegistry } from '../helpers/oci-registry';
import { e2eForSuite, pageForSuite, shot, waitForJobEnd } from './harness';

const TRAIN_TIMEOUT_MS = 240_000;
const MODEL = 'co2-e2e';
const PULLED = 'co2-pulled';
const ARTIFACT_TEXT = '{"family":"linear","note":"seeded for the download check"}';

let seededRunId = '';

const e2e = e2eForSuite({
  name: 'models',
  buildUi: true,
  // A completed run with one artifact file, written before the server opens the database.
  seed: async (dataDir) => {
    const store = openStore(dataPaths(dataDir).db);
    try {
      const tracking = new Tracking(store, { dataDir });
      seededRunId = await tracking.startRun({ experiment: 'CO2 forecast', jobId: null, model: 'linear', datasetId: null, datasetSha256: null, params: {} });
      const folder = path.join(dataPaths(dataDir).models, seededRunId);
      fs.mkdirSync(folder, { recursive: true });
      const card = path.join(folder, 'card.json');
      fs.writeFileSync(card, ARTIFACT_TEXT);
      await tracking.addArtifacts(seededRunId, [{ kind: 'card', path: card, sizeBytes: ARTIFACT_TEXT.length, sha256: '0'.repeat(64) }]);
      await tracking.finishRun(seededRunId, { status: 'completed' });
    } finally {
      await store.close();
    }
  },
});

let client: Client;

beforeAll(async () => {
  client = await e2e.connect();
});

afterAll(() => {
  client?.close();
});

function waitForEnd(id: string): Promise<Job> {
  return waitForJobEnd(client, id, TRAIN_TIMEOUT_MS);
}

/** Waits for an action's success mark or its error, and fails with the error's words when that came instead. */
async function outcome(scope: Locator, okId: string, errorId: string, timeout: number): Promise<Locator> {
  await scope.locator(`[data-testid="${okId}"], [data-testid="${errorId}"]`).first().waitFor({ timeout });
  const error = scope.getByTestId(errorId);
  if ((await error.count()) > 0) throw new Error(`${okId} did not come: ${await error.innerText()}`);
  return scope.getByTestId(okId);
}

/** Downloads the Predict panel's CSV and reads its time and predicted columns. */
async function downloadPrediction(page: Page, panel: Locator): Promise<{ time: string; predicted: number }[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('predict-download').click()]);
  const [header, ...lines] = fs.readFileSync((await download.path())!, 'utf8').trim().split('\n');
  const columns = header.split(',');
  const [time, predicted] = [columns.indexOf('time'), columns.indexOf('predicted')];
  expect(time).toBeGreaterThanOrEqual(0);
  return lines.map((l) => l.split(',')).map((c) => ({ time: c[time], predicted: Number(c[predicted]) }));
}

async function openModels(page: Page): Promise<void> {
  await page.getByTestId('nav-models').click();
  await page.getByTestId('models-view').waitFor();
}

describe('the Models view before any model', () => {
  const view = pageForSuite(e2e, { width: 1440, height: 900 });

  it('shows the empty state and a Pull dialog that checks the reference', async () => {
    const { page } = view;
    await page.goto(e2e.url);
    await page.waitForFunction(() => !location.search.includes('token='));
    await openModels(page);
    await page.getByTestId('models-empty').waitFor();
    expect(await page.getByTestId('models-table').getAttribute('data-rows')).toBe('0');
    await shot(page, 'models-01-empty');

    await page.getByTestId('models-pull').click();
    const dialog = page.getByTestId('pull-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('pull-reference').fill('http://127.0.0.1:5000/co2:v1');
    await dialog.getByTestId('pull-name').fill('pulled');
    await dialog.getByTestId('pull-submit').click();
    await expect.poll(() => dialog.getByTestId('transfer-error').innerText()).toMatch(/scheme/);
    await dialog.getByTestId('pull-kind').selectOption('folder');
    await dialog.getByTestId('pull-dir').waitFor();
    await shot(page, 'models-02-pull-dialog');
    await dialog.getByTestId('transfer-close').click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('offers Register on a completed run with a suggested name, and downloads its artifact', async () => {
    const { page } = view;
    await page.goto(`${e2e.origin}/#/runs/${seededRunId}`);
    await page.getByTestId('run-detail').waitFor();
    await page.getByTestId('run-register').click();
    const dialog = page.getByTestId('register-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('register-name').inputValue()).toBe('co2-forecast');
    await shot(page, 'models-03-register-dialog');
    await dialog.getByTestId('register-cancel').click();
    await dialog.waitFor({ state: 'detached' });

    const link = page.getByTestId('run-artifact').first().getByTestId('artifact-download');
    expect(await link.getAttribute('data-mode')).toBe('link');
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^\/api\/artifacts\/[^?]+\?token=[0-9a-f]+$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('card.json');
    expect(fs.readFileSync((await download.path())!, 'utf8')).toBe(ARTIFACT_TEXT);
    // Without the token the server refuses.
    const refused = await page.request.get(`${e2e.origin}${href.replace(/\?token=.*$/, '')}`);
    expect(refused.status()).toBe(401);
  });
});

describe('the registry through the Models view', () => {
  const view = pageForSuite(e2e, { width: 1440, height: 1000 });
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-e2e-models-export-'));
  afterAll(() => fs.rmSync(exportDir, { recursive: true, force: true }));
  // A real registry (Debian's docker-registry) for the push and pull; skipped, saying so, only where it is missing.
  let registry: TestRegistry | null = null;
  beforeAll(async () => {
    if (registryMissing) console.warn(`push and pull through the UI skipped: ${registryMissing}`);
    else registry = await startRegistry();
  }, 60_000);
  afterAll(() => registry?.stop());

  it('registers two versions, gates the champion, predicts and publishes', async () => {
    const { page, problems } = view;
    const dataset = await client.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    const good = await client.api.jobs.create({ spec: { kind: 'train', datasetId: dataset.id, target: 'CO2', model: 'linear', experiment: 'models-e2e', params: {} } });
    const poor = await client.api.jobs.create({
      spec: { kind: 'train', datasetId: dataset.id, target: 'CO2', model: 'mlp', experiment: 'models-e2e', params: { epochs: 1, patience: 0, learningRate: 0.00001 } },
    });
    const finished = [await waitForEnd(good.id), await waitForEnd(poor.id)];
    for (const job of finished) expect(job.status, job.error ?? '').toBe('completed');
    const [goodRun, poorRun] = finished.map((j) => j.runId!);

    // Register both from their run pages: v1 the ridge, v2 the barely trained MLP.
    await page.goto(e2e.url);
    await page.waitForFunction(() => !location.search.includes('token='));
    for (const [runId, version] of [
      [goodRun, 1],
      [poorRun, 2],
    ] as const) {
      await page.goto(`${e2e.origin}/#/runs/${runId}`);
      await page.locator(`[data-testid="run-detail"][data-status="completed"]`).waitFor({ timeout: 30_000 });
      await page.getByTestId('run-register').click();
      const dialog = page.getByTestId('register-dialog');
      await dialog.getByTestId('register-name').fill(MODEL);
      await dialog.getByTestId('register-description').fill(`**CO2** forecaster, run ${runId}`);
      await dialog.getByTestId('register-tags').fill('team=e2e');
      await dialog.getByTestId('register-submit').click();
      const done = await outcome(dialog, 'register-done', 'register-error', 60_000);
      expect(await done.getAttribute('data-version')).toBe(String(version));
      if (version === 1) await shot(page, 'models-04-registered');
      await dialog.getByTestId(version === 2 ? 'register-open-model' : 'register-cancel').click();
    }

    // The model page, opened from the dialog's link.
    const detail = page.locator(`[data-testid="model-detail"][data-model="${MODEL}"]`);
    await expect.poll(() => detail.getAttribute('data-versions'), { timeout: 30_000 }).toBe('2');
    expect(await detail.getByTestId('version-run-link').count()).toBe(2);
    expect(await detail.getByTestId('model-description').innerText()).toContain('CO2');

    // The list shows it too, with its latest version.
    await openModels(page);
    const row = page.locator(`[data-testid="model-row"][data-model="${MODEL}"]`);
    await row.waitFor();
    expect(await row.getByTestId('model-latest').innerText()).toBe('2');
    await row.click();
    await detail.waitFor();

    // The gate: no worse than the champion by more than 1% on the same rows.
    await detail.getByTestId('gate-edit').click();
    await detail.getByTestId('gate-rules-input').fill('champion test.rmse 0.01');
    await detail.getByTestId('gate-protected-input').fill('champion');
    await detail.getByTestId('gate-save').click();
    const rules = await outcome(detail, 'gate-rules', 'gate-error', 30_000);
    expect(await rules.getAttribute('data-rules')).toBe('1');

    // v1 becomes champion: the gate passes.
    const form = detail.getByTestId('alias-form');
    await form.getByTestId('alias-name').fill('champion');
    await form.getByTestId('alias-version').selectOption('1');
    await form.getByTestId('alias-reason').fill('first good model');
    await form.getByTestId('alias-set').click();
    await outcome(form, 'alias-done', 'alias-error', 60_000);
    expect(await form.getByTestId('alias-report').getAttribute('data-passed')).toBe('true');
    await expect.poll(() => detail.getByTestId('alias-history').getAttribute('data-events')).toBe('1');

    // v2 is worse: the gate refuses, the report says which check failed, Force is offered.
    await form.getByTestId('alias-version').selectOption('2');
    await form.getByTestId('alias-set').click();
    await form.getByTestId('alias-error').waitFor({ timeout: 60_000 });
    const report = form.getByTestId('alias-report');
    await expect.poll(() => report.getAttribute('data-passed'), { timeout: 30_000 }).toBe('false');
    expect(await report.locator('[data-testid="gate-check"][data-passed="false"][data-kind="champion"]').count()).toBe(1);
    await form.getByTestId('alias-force').waitFor();
    expect(await detail.locator('[data-testid="version-row"][data-version="1"]').getByTestId('version-aliases').innerText()).toContain('champion');
    await shot(page, 'models-05-gate-refused', { height: 1800 });

    // Compare the two: the ridge's test.rmse is the better.
    await detail.locator('[data-testid="version-row"][data-version="1"]').getByTestId('version-compare').check();
    await detail.locator('[data-testid="version-row"][data-version="2"]').getByTestId('version-compare').check();
    const compare = detail.getByTestId('version-compare-panel');
    await compare.waitFor();
    const rmseRow = compare.locator('[data-testid="compare-row"][data-key="test.rmse"]');
    const better = await rmseRow.getAttribute('data-better');
    // v2 was ticked last, so it sits on side b (the panel lists the two in tick order).
    expect(better).toBe('a');

    // Predict with the champion on an uploaded CSV: forecast against actual.
    const predict = detail.getByTestId('predict-panel');
    await predict.getByTestId('predict-ref').selectOption(`${MODEL}@champion`);
    await predict.getByTestId('predict-data-file').setInputFiles(path.join(resourcesDir(), 'datasets', 'co2-concentration.csv'));
    await expect.poll(() => predict.getByTestId('predict-run').isEnabled()).toBe(true);
    await predict.getByTestId('predict-run').click();
    await outcome(predict, 'predict-result', 'predict-error', 120_000);
    const chart = predict.getByTestId('predict-chart');
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(100);
    expect(Number(await chart.getAttribute('data-marked'))).toBeGreaterThan(0);
    expect(Number(await predict.getByTestId('predict-table').getAttribute('data-rows'))).toBeGreaterThan(0);
    const championCsv = await downloadPrediction(page, predict);
    await predict.scrollIntoViewIfNeeded();
    await shot(page, 'models-06-predict', { height: 2400 });

    // Publish v1 to a folder: the byte bar fills and the version document is written.
    await detail.getByTestId('model-publish').click();
    const publish = page.getByTestId('publish-dialog');
    await publish.getByTestId('publish-version').selectOption('1');
    await publish.getByTestId('publish-kind').selectOption('folder');
    // The folder is where the export goes: the version lands in its own NAME-vN folder inside.
    await publish.getByTestId('publish-dir').fill(exportDir);
    const target = path.join(exportDir, `${MODEL}-v1`);
    await publish.getByTestId('publish-submit').click();
    await outcome(publish, 'publish-done', 'transfer-error', 120_000);
    const bar = publish.getByTestId('transfer-progress');
    await expect.poll(() => bar.getAttribute('data-state'), { timeout: 30_000 }).toBe('completed');
    expect(Number(await bar.getAttribute('data-bytes-done'))).toBeGreaterThan(0);
    expect(await bar.getAttribute('data-bytes-done')).toBe(await bar.getAttribute('data-bytes-total'));
    await shot(page, 'models-07-published');
    expect(fs.existsSync(path.join(target, 'trainyard-model.json'))).toBe(true);
    await publish.getByTestId('transfer-close').click();

    // Push the champion to a real OCI registry and pull it back under another name: the pulled
    // version predicts the same numbers as the champion, to 1e-9.
    if (registry) {
      const reference = `${registry.host}/e2e/co2:v1`;
      await detail.getByTestId('model-publish').click();
      await publish.getByTestId('publish-version').selectOption('1');
      await publish.getByTestId('publish-kind').selectOption('registry');
      await publish.getByTestId('publish-reference').fill(reference);
      await publish.getByTestId('publish-plain-http').check();
      await publish.getByTestId('publish-submit').click();
      await outcome(publish, 'publish-done', 'transfer-error', 120_000);
      await expect.poll(() => publish.getByTestId('transfer-progress').getAttribute('data-state'), { timeout: 30_000 }).toBe('completed');
      await shot(page, 'models-08-pushed');
      await publish.getByTestId('transfer-close').click();

      await openModels(page);
      await page.getByTestId('models-pull').click();
      const pull = page.getByTestId('pull-dialog');
      await pull.getByTestId('pull-reference').fill(reference);
      await pull.getByTestId('pull-plain-http').check();
      await pull.getByTestId('pull-name').fill(PULLED);
      await pull.getByTestId('pull-submit').click();
      const pulled = await outcome(pull, 'pull-done', 'transfer-error', 120_000);
      expect(await pulled.getAttribute('data-version')).toBe('1');
      await shot(page, 'models-09-pulled');
      await pull.getByTestId('transfer-close').click();

      await openModels(page);
      await page.locator(`[data-testid="model-row"][data-model="${PULLED}"]`).click();
      const pulledDetail = page.locator(`[data-testid="model-detail"][data-model="${PULLED}"]`);
      await pulledDetail.waitFor();
      const pulledPredict = pulledDetail.getByTestId('predict-panel');
      await pulledPredict.getByTestId('predict-ref').selectOption(`${PULLED}:1`);
      await pulledPredict.getByTestId('predict-data-file').setInputFiles(path.join(resourcesDir(), 'datasets', 'co2-concentration.csv'));
      await expect.poll(() => pulledPredict.getByTestId('predict-run').isEnabled()).toBe(true);
      await pulledPredict.getByTestId('predict-run').click();
      await outcome(pulledPredict, 'predict-result', 'predict-error', 120_000);
      const pulledCsv = await downloadPrediction(page, pulledPredict);
      expect(pulledCsv.length).toBe(championCsv.length);
      for (let i = 0; i < championCsv.length; i++) {
        expect(pulledCsv[i].time).toBe(championCsv[i].time);
        expect(Math.abs(pulledCsv[i].predicted - championCsv[i].predicted)).toBeLessThanOrEqual(1e-9);
      }
    }

    expect(problems).toEqual([]);
  });
});
