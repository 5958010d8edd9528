/**
 * End to end, the Studies views: `trainyard serve` with a temp data dir, Debian's Chromium driven by
 * Playwright.
 *
 * - A study through the form, as a person would: import the CO2 sample, keep the model's default
 *   space but make one range impossible (the core's refusal must appear beside that parameter),
 *   fix it, start a 3-trial study of short trainings, and watch it complete. The history chart must
 *   hold and draw every finished trial (points in the completed colour, the best-so-far line in
 *   green on its canvas), and the trials table must list them. The screenshot is kept in
 *   docs/screenshot-study.png.
 * - Warm start and cancel: a running study takes an enqueued trial (a value outside the space is
 *   refused beside its parameter), then is cancelled from its page after the confirmation dialog.
 * - Honest studies: a study that failed shows its reason in the list and on its page, and one that
 *   selects on the test split carries its warning in both; the form refuses a test objective
 *   beside the objective field. A trial's run page shows MAPE with its unit and the seasonal-naive
 *   baseline in the metrics table, validation beside test.
 * - A study at scale: 5,000 finished trials written into the store before the server starts. The
 *   page must load them all, keep the trials table virtual (a few dozen rows in the DOM), cap the
 *   learning curves and parallel-coordinates lines, draw every trial in the history and the
 *   slices, and sort and scroll the table to its last trial.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/core/paths';
import { openStore } from '../../src/core/store';
import { StudyRepository, type StoredTrial } from '../../src/core/studies/repository';
import { StudySpec, TrainSpec, type ParamValue, type TrialStatus } from '../../src/shared/contract';
import { prng } from '../helpers/rng';
import { e2eForSuite, keepInDocs, pageForSuite, shot } from './harness';

const STUDY_TIMEOUT_MS = 420_000;
const STUDY_TRIALS = 4;
const BIG_TRIALS = 5000;
// The cancel test's budget: far more trials than any machine runs before the test cancels the study.
const UNREACHABLE_BUDGET = 100_000;
const BIG_STUDY_ID = '01JBIGSTUDY0000000000000000';
const FAILED_STUDY_ID = '01JFAILEDSTUDY000000000000';
const TEST_OBJECTIVE_STUDY_ID = '01JTESTOBJSTUDY00000000000';
const FAILURE_REASON = 'its tpe sampler failed: Cannot convert undefined or null to object';
/** The caps the study page draws at (StudyCharts.tsx). */
const MAX_CURVES = 200;
const MAX_PARALLEL = 300;

interface BigStudy {
  trials: StoredTrial[];
  /** Trials the history draws: completed or pruned, with a value. */
  withValue: number;
  completed: number;
}

/**
 * Writes a finished study of BIG_TRIALS trials straight into a fresh data dir's store (no server
 * holds it yet): an MLP-like space with a conditional parameter, a smooth objective with noise,
 * curves of 8 to 30 epochs, some trials pruned and a few failed.
 */
async function seedBigStudy(dataDir: string): Promise<BigStudy> {
  const store = openStore(dataPaths(dataDir).db);
  const rand = prng(42);
  const spec = StudySpec.parse({
    name: 'big-seeded-study',
    objective: { metric: 'val_loss', direction: 'minimize' },
    space: {
      learningRate: { type: 'float', low: 1e-4, high: 3e-2, log: true },
      window: { type: 'int', low: 6, high: 48 },
      batchSize: { type: 'categorical', choices: [16, 32, 64] },
      scaler: { type: 'categorical', choices: ['standard', 'robust', 'minmax'] },
      layers: { type: 'int', low: 1, high: 3 },
      dropout: { type: 'float', low: 0, high: 0.5, when: { param: 'layers', equals: [2, 3] } },
    },
    sampler: { type: 'tpe' },
    pruner: { type: 'median' },
    budget: { trials: BIG_TRIALS },
    parallelism: 4,
    seed: 7,
  });
  const trials: StoredTrial[] = [];
  const t0 = Date.now() - BIG_TRIALS * 1000;
  for (let i = 0; i < BIG_TRIALS; i++) {
    const layers = 1 + Math.floor(rand() * 3);
    const params: Record<string, ParamValue> = {
      learningRate: Math.pow(10, -4 + rand() * Math.log10(300)),
      window: 6 + Math.floor(rand() * 43),
      batchSize: [16, 32, 64][Math.floor(rand() * 3)],
      scaler: ['standard', 'robust', 'minmax'][Math.floor(rand() * 3)],
      layers,
    };
    if (layers > 1) params.dropout = rand() * 0.5;
    const r = rand();
    const state: TrialStatus = r < 0.8 ? 'completed' : r < 0.96 ? 'pruned' : 'failed';
    const lrTerm = (Math.log10(params.learningRate as number) + 2.5) ** 2;
    const target = 0.05 + 0.1 * lrTerm + 0.002 * Math.abs((params.window as number) - 24) + (params.scaler === 'robust' ? 0.02 : 0) + rand() * 0.03;
    const epochs = state === 'failed' ? 0 : state === 'pruned' ? 2 + Math.floor(rand() * 6) : 8 + Math.floor(rand() * 23);
    const intermediate = Array.from({ length: epochs }, (_, e) => ({ step: e + 1, value: target * (1 + 3 / (e + 1)) + rand() * 0.01 }));
    const value = state === 'failed' ? null : intermediate[intermediate.length - 1].value;
    trials.push({
      id: `01JBIGTRIAL${String(i).padStart(15, '0')}`,
      studyId: BIG_STUDY_ID,
      number: i,
      status: state,
      params,
      value,
      intermediate,
      jobId: null,
      runId: null,
      error: state === 'failed' ? 'seeded failure' : null,
      startedAt: t0 + i * 1000,
      finishedAt: t0 + i * 1000 + 900,
    });
  }
  try {
    const repo = new StudyRepository(store.db);
    store.raw.exec('BEGIN');
    await repo.insertStudy({
      id: BIG_STUDY_ID,
      name: spec.name,
      status: 'completed',
      spec,
      train: TrainSpec.parse({ kind: 'train', datasetId: '01JNODATASET00000000000000', target: 'y', model: 'mlp', params: { epochs: 30 } }),
      priority: 'normal',
      pending: [],
      importance: null,
      createdAt: t0 - 1000,
      finishedAt: Date.now(),
      failureReason: null,
    });
    for (const t of trials) await repo.insertTrial(t);
    // Two small finished studies: one that failed, one that selected on the test split.
    const small = (id: string, name: string, extra: Record<string, unknown>) => ({
      id,
      name,
      spec: StudySpec.parse({ name, objective: { metric: 'val.rmse', direction: 'minimize' }, space: { learningRate: { type: 'float', low: 1e-4, high: 3e-2, log: true } }, budget: { trials: 4 }, ...extra }),
      train: TrainSpec.parse({ kind: 'train', datasetId: '01JNODATASET00000000000000', target: 'y', model: 'mlp', params: { epochs: 3 } }),
      priority: 'normal' as const,
      pending: [],
      importance: null,
      createdAt: t0 - 500,
      finishedAt: Date.now(),
    });
    await repo.insertStudy({ ...small(FAILED_STUDY_ID, 'failed-seeded-study', {}), status: 'failed', failureReason: FAILURE_REASON });
    await repo.insertStudy({
      ...small(TEST_OBJECTIVE_STUDY_ID, 'test-objective-study', { objective: { metric: 'test.rmse', direction: 'minimize' }, allowTestObjective: true }),
      status: 'completed',
      failureReason: null,
    });
    store.raw.exec('COMMIT');
  } finally {
    await store.close();
  }
  return {
    trials,
    withValue: trials.filter((t) => t.value !== null).length,
    completed: trials.filter((t) => t.status === 'completed').length,
  };
}

let big: BigStudy;
const e2e = e2eForSuite({
  name: 'studies',
  buildUi: true,
  seed: async (dataDir) => {
    big = await seedBigStudy(dataDir);
  },
});

/** How many pixels of the first canvas under `selector` are close to each colour (uPlot draws on a transparent canvas). */
async function pixelsByColour(page: Page, selector: string, colours: [number, number, number][]): Promise<number[]> {
  return page.evaluate(
    ({ selector, colours }) => {
      const canvas = document.querySelector(`${selector} canvas`) as HTMLCanvasElement | null;
      if (!canvas) return colours.map(() => -1);
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const counts = colours.map(() => 0);
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] < 200) continue;
        colours.forEach(([r, g, b], k) => {
          if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) counts[k]++;
        });
      }
      return counts;
    },
    { selector, colours },
  );
}

const BLUE: [number, number, number] = [0x4c, 0x9a, 0xff];
const GREEN: [number, number, number] = [0x3f, 0xb9, 0x7a];

describe('Studies in a browser', () => {
  const view = pageForSuite(e2e, { width: 1440, height: 900 });

  it('creates a small study through the form, shows a refused range beside its parameter, and watches it complete', async () => {
    const { page, problems } = view;
    await page.goto(e2e.url);
    await page.getByTestId('nav-studies').click();
    await page.getByTestId('studies-view').waitFor();
    // The seeded study is listed with its progress against the budget.
    const bigRow = page.locator(`[data-testid="study-row"][data-study-id="${BIG_STUDY_ID}"]`);
    await bigRow.waitFor({ timeout: 30_000 });
    expect(await bigRow.getByTestId('study-progress').getAttribute('data-done')).toBe(String(BIG_TRIALS));

    await page.getByTestId('new-study-button').click();
    const form = page.getByTestId('study-form');
    await form.waitFor();
    await page.getByTestId('study-sample').selectOption('co2-concentration.csv');
    await page.getByTestId('study-import-sample').click();
    await expect.poll(async () => page.getByTestId('study-dataset').inputValue(), { timeout: 30_000 }).not.toBe('');
    await expect.poll(async () => page.getByTestId('study-target').locator('option').allTextContents(), { timeout: 15_000 }).toContain('CO2');
    await page.getByTestId('study-target').selectOption('CO2');
    await page.getByTestId('study-name-input').fill('co2-mlp-e2e');
    // The default family (auto) has no epochs; this study tunes the MLP, which trains epoch by epoch.
    await expect.poll(async () => page.getByTestId('study-model').locator('option[value="mlp"]').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('study-model').selectOption('mlp');
    await page.getByTestId('study-epochs').fill('3');
    // The form offers the family's validation metrics first; val_loss is the best epoch's, the weights each run keeps.
    await expect.poll(async () => page.getByTestId('study-metric').inputValue(), { timeout: 15_000 }).toBe('val.rmse');
    await page.getByTestId('study-metric').fill('val_loss');
    expect(await page.getByTestId('study-metric-hint').innerText()).toMatch(/validation split, per epoch/);

    // The model's default space arrives in the editor.
    await expect.poll(async () => page.getByTestId('space-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
    const lrRow = page.locator('[data-testid="space-row"][data-param="learningRate"]');
    await lrRow.waitFor();
    expect(Number(await page.getByTestId('space-editor').getAttribute('data-rows'))).toBeGreaterThan(1);
    // Small networks, so each trial is quick.
    const hidden = page.locator('[data-testid="space-row"][data-param="hiddenUnits"]');
    if (await hidden.count()) await hidden.getByTestId('space-high').fill('16');

    // An impossible range: the core refuses it, and the refusal is shown beside that parameter.
    const lowBefore = await lrRow.getByTestId('space-low').inputValue();
    await lrRow.getByTestId('space-low').fill('0.5');
    await lrRow.getByTestId('space-high').fill('0.1');
    await page.getByTestId('study-budget-trials').fill(String(STUDY_TRIALS));
    await page.getByTestId('study-sampler').selectOption('random');
    await page.getByTestId('study-pruner').selectOption('none');
    await page.getByTestId('study-submit').click();
    const rowError = lrRow.getByTestId('space-error');
    await rowError.waitFor({ timeout: 30_000 });
    expect(await rowError.innerText()).toMatch(/learningRate/);
    expect(await lrRow.getAttribute('data-invalid')).toBe('true');
    await shot(page, 'study-01-refused-range');

    // Fixed, the study starts and its page opens.
    await lrRow.getByTestId('space-low').fill(lowBefore);
    await expect.poll(async () => lrRow.getAttribute('data-invalid')).toBe('false');
    await page.getByTestId('study-submit').click();
    const detail = page.getByTestId('study-detail');
    await detail.waitFor({ timeout: 30_000 });
    await shot(page, 'study-02-started');

    const deadline = Date.now() + STUDY_TIMEOUT_MS;
    while ((await detail.getAttribute('data-status')) === 'running') {
      if (Date.now() > deadline) throw new Error(`the study was still running after ${STUDY_TIMEOUT_MS / 1000} s:\n${(await page.locator('body').innerText()).slice(0, 2000)}`);
      await page.waitForTimeout(1000);
    }
    expect(await detail.getAttribute('data-status')).toBe('completed');

    // Every trial is in the table, each ended.
    const table = page.getByTestId('trials-table');
    await expect.poll(async () => Number(await table.getAttribute('data-rows')), { timeout: 30_000 }).toBe(STUDY_TRIALS);
    const states = await table.getByTestId('trial-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(states.length).toBe(STUDY_TRIALS);
    expect(states.every((s) => s === 'completed' || s === 'pruned' || s === 'failed')).toBe(true);
    const completed = states.filter((s) => s === 'completed').length;
    expect(completed).toBeGreaterThan(0);

    // The history holds every completed trial and draws them, with the best-so-far line.
    const history = page.getByTestId('study-history');
    await expect.poll(async () => Number(await history.getAttribute('data-completed')), { timeout: 30_000 }).toBe(completed);
    const [blue, green] = await pixelsByColour(page, '[data-testid="study-history"]', [BLUE, GREEN]);
    expect(blue).toBeGreaterThan(0);
    expect(green).toBeGreaterThan(0);
    // Learning curves: every trial reported per-epoch values.
    await expect.poll(async () => Number(await page.getByTestId('study-curves').getAttribute('data-curves')), { timeout: 30_000 }).toBe(STUDY_TRIALS);
    // The best trial in the header is one of the table's, and its value is the table's best.
    const bestNumber = await page.getByTestId('study-best-trial').getAttribute('data-number');
    await page.locator(`[data-testid="trial-row"][data-number="${bestNumber}"]`).waitFor();

    // The learning-curves chart says what it plots.
    expect(await page.getByTestId('study-curves').innerText()).toMatch(/val_loss per epoch \(the objective\)/);
    keepInDocs(await shot(page, 'study-03-completed', { height: 1500 }), 'screenshot-study');

    // A trial's run: MAPE with its unit, the seasonal-naive baseline, validation beside test.
    await page.locator(`[data-testid="trial-row"][data-number="${bestNumber}"] a`).click();
    await page.getByTestId('run-detail').waitFor({ timeout: 30_000 });
    const metricsTable = page.getByTestId('metrics-table');
    await metricsTable.waitFor({ timeout: 30_000 });
    expect(await metricsTable.innerText()).toMatch(/MAPE \(%\)/);
    await expect.poll(async () => page.getByTestId('metric-test-mape').innerText(), { timeout: 30_000 }).toMatch(/^\d[\d.e+-]* %$/);
    const seasonalRow = page.locator('[data-testid="metrics-row"][data-series="seasonal_naive"]');
    expect(await seasonalRow.innerText()).toMatch(/Seasonal naive/);
    expect(await page.getByTestId('metrics-verdict').innerText()).toMatch(/naive last-value forecast (by \d+(\.\d)?%|\(RMSE)/);
    await shot(page, 'study-03b-trial-run', { height: 2400 });
    await page.goBack();

    // Back in the list, the study reads completed with its budget done.
    await page.getByTestId('back-to-studies').click();
    const row = page.locator('[data-testid="study-row"]', { hasText: 'co2-mlp-e2e' });
    await row.waitFor();
    await expect.poll(async () => row.getAttribute('data-status')).toBe('completed');
    expect(await row.getByTestId('study-progress').getAttribute('data-done')).toBe(String(STUDY_TRIALS));
    expect(problems).toEqual([]);
  });

  it('enqueues a trial into a running study, then cancels it after asking', async () => {
    const { page, problems } = view;
    await page.goto(`${e2e.origin}/#/studies`);
    await page.getByTestId('new-study-button').click();
    await page.getByTestId('study-form').waitFor();
    // The dataset imported above is preselected, with its sample's target.
    await expect.poll(async () => page.getByTestId('study-dataset').inputValue(), { timeout: 30_000 }).not.toBe('');
    await expect.poll(async () => page.getByTestId('study-target').inputValue(), { timeout: 15_000 }).toBe('CO2');
    await expect.poll(async () => page.getByTestId('space-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
    await page.getByTestId('study-name-input').fill('to-cancel');
    // An MLP study: its trials train epoch by epoch, so val_loss (the best epoch's) is an objective it reports.
    await expect.poll(async () => page.getByTestId('study-model').locator('option[value="mlp"]').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('study-model').selectOption('mlp');
    await expect.poll(async () => page.getByTestId('space-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
    await page.getByTestId('study-epochs').fill('3');
    // A budget no machine finishes while the test enqueues: even on 2 cores, 50 three-epoch MLP trials
    // were all done within a few seconds, the study completed, and its enqueue form went away.
    await page.getByTestId('study-budget-trials').fill(String(UNREACHABLE_BUDGET));
    await page.getByTestId('study-sampler').selectOption('random');
    // A test-split objective: the form warns, and the core refuses it beside the field.
    await expect.poll(async () => page.getByTestId('study-metric').inputValue(), { timeout: 15_000 }).toBe('val.rmse');
    await page.getByTestId('study-metric').fill('test.rmse');
    expect(await page.getByTestId('study-metric-hint').innerText()).toMatch(/Select on validation, report on test/);
    expect(await page.getByTestId('study-allow-test').isChecked()).toBe(false);
    await page.getByTestId('study-submit').click();
    await expect.poll(async () => page.getByTestId('field-error-metric').innerText(), { timeout: 15_000 }).toMatch(/measured on the test split/);
    await page.getByTestId('study-metric').fill('val_loss');
    await page.getByTestId('study-submit').click();
    const detail = page.getByTestId('study-detail');
    await detail.waitFor({ timeout: 30_000 });
    await expect.poll(async () => Number(await detail.getAttribute('data-trials')), { timeout: 60_000 }).toBeGreaterThan(0);

    // Warm start while it runs: a value outside the space is refused beside its parameter; a valid one is enqueued.
    await page.getByTestId('study-enqueue').click();
    const lr = page.locator('[data-testid="enqueue-param"][data-param="learningRate"]');
    await lr.fill('5');
    await page.getByTestId('enqueue-submit').click();
    await expect.poll(async () => page.getByTestId('enqueue-error').innerText(), { timeout: 15_000 }).toMatch(/learningRate/);
    expect(await lr.getAttribute('aria-invalid')).toBe('true');
    await lr.fill('0.001');
    await page.getByTestId('enqueue-submit').click();
    await expect.poll(async () => page.getByTestId('enqueue-done').getAttribute('data-count'), { timeout: 15_000 }).toBe('1');
    expect(await page.getByTestId('enqueue-error').count()).toBe(0);

    await page.getByTestId('study-cancel').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(async () => detail.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
    await expect.poll(async () => page.getByTestId('confirm-dialog').count()).toBe(0);
    expect(await page.getByTestId('study-cancel').count()).toBe(0);
    // Cancelled means stopped: a few seconds later (each trial here takes well under one), the stored study has no more trials.
    const trialsAtCancel = Number(await detail.getAttribute('data-trials'));
    expect(trialsAtCancel).toBeLessThan(UNREACHABLE_BUDGET);
    await page.waitForTimeout(3000);
    await page.reload();
    await expect.poll(async () => page.getByTestId('study-detail').getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
    expect(Number(await page.getByTestId('study-detail').getAttribute('data-trials'))).toBe(trialsAtCancel);
    await page.getByTestId('back-to-studies').click();
    const row = page.locator('[data-testid="study-row"]', { hasText: 'to-cancel' });
    await expect.poll(async () => row.getAttribute('data-status')).toBe('cancelled');
    expect(problems).toEqual([]);
  });

  it('shows why a study failed and warns where a study selects on the test split, in the list and on its page', async () => {
    const { page, problems } = view;
    await page.goto(`${e2e.origin}/#/studies`);
    const failedRow = page.locator(`[data-testid="study-row"][data-study-id="${FAILED_STUDY_ID}"]`);
    await failedRow.waitFor({ timeout: 30_000 });
    expect(await failedRow.getAttribute('data-status')).toBe('failed');
    expect(await failedRow.getByTestId('study-failure').innerText()).toBe(FAILURE_REASON);
    expect(await failedRow.getByTestId('study-test-objective').count()).toBe(0);
    const testRow = page.locator(`[data-testid="study-row"][data-study-id="${TEST_OBJECTIVE_STUDY_ID}"]`);
    expect(await testRow.getByTestId('study-test-objective').innerText()).toMatch(/selects on test/);
    await shot(page, 'study-05-honest-list');

    await failedRow.click();
    const detail = page.getByTestId('study-detail');
    await expect.poll(async () => detail.getAttribute('data-study-id'), { timeout: 30_000 }).toBe(FAILED_STUDY_ID);
    expect(await page.getByTestId('study-failure').innerText()).toBe(`The study failed: ${FAILURE_REASON}`);
    expect(await page.getByTestId('study-status').innerText()).toBe('failed');
    await shot(page, 'study-06-failed');

    await page.goto(`${e2e.origin}/#/studies/${TEST_OBJECTIVE_STUDY_ID}`);
    await expect.poll(async () => page.getByTestId('study-detail').getAttribute('data-study-id'), { timeout: 30_000 }).toBe(TEST_OBJECTIVE_STUDY_ID);
    const badge = page.getByTestId('study-test-objective');
    expect(await badge.innerText()).toMatch(/selects on test/);
    expect(await badge.getAttribute('title')).toMatch(/test\.rmse, a test-split metric/);
    expect(await page.getByTestId('study-failure').count()).toBe(0);
    await shot(page, 'study-07-test-objective');
    expect(problems).toEqual([]);
  });

  it('opens a study of 5,000 trials: all loaded, the table virtual, the charts capped where they must be', async () => {
    const { page, problems } = view;
    await page.goto(`${e2e.origin}/#/studies/${BIG_STUDY_ID}`);
    const detail = page.getByTestId('study-detail');
    await detail.waitFor({ timeout: 30_000 });
    const started = Date.now();
    await expect.poll(async () => Number(await detail.getAttribute('data-trials')), { timeout: 60_000 }).toBe(BIG_TRIALS);
    const history = page.getByTestId('study-history');
    await expect.poll(async () => Number(await history.getAttribute('data-points')), { timeout: 30_000 }).toBe(big.withValue);
    console.log(`the 5,000-trial study page loaded and drew its history in ${Date.now() - started} ms (this machine; informative only)`);
    expect(Number(await history.getAttribute('data-completed'))).toBe(big.completed);

    // Curves and parallel-coordinates lines are capped; slices draw every completed trial that has their param.
    expect(Number(await page.getByTestId('study-curves').getAttribute('data-curves'))).toBe(MAX_CURVES);
    // Pruned trials keep a quarter of the curves, so pruning shows even when the best all completed.
    expect(Number(await page.getByTestId('study-curves').getAttribute('data-pruned'))).toBeGreaterThanOrEqual(MAX_CURVES / 4);
    expect(await page.getByTestId('study-curves-note').innerText()).toMatch(/of 4,?\d{3} curves/);
    expect(await page.locator('[data-testid="parallel-coords"] polyline').count()).toBeGreaterThan(0);
    const lines = new Set(await page.locator('[data-testid="parallel-coords"] polyline').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-run-id'))));
    expect(lines.size).toBe(MAX_PARALLEL);
    const slices = page.getByTestId('study-slice');
    expect(await slices.count()).toBe(6);
    const dropout = page.locator('[data-testid="study-slice"][data-param="dropout"]');
    const withDropout = big.trials.filter((t) => t.status === 'completed' && t.params.dropout !== undefined).length;
    expect(Number(await dropout.getAttribute('data-points'))).toBe(withDropout);
    // The contour over two chosen params holds every completed trial that has both.
    await page.getByTestId('contour-x').selectOption('learningRate');
    await page.getByTestId('contour-y').selectOption('window');
    await expect.poll(async () => Number(await page.getByTestId('study-contour').getAttribute('data-points'))).toBe(big.completed);

    // The table holds 5,000 rows but renders a few dozen; sorted by value it starts at the best.
    const table = page.getByTestId('trials-table');
    expect(Number(await table.getAttribute('data-rows'))).toBe(BIG_TRIALS);
    const rendered = await table.getByTestId('trial-row').count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(80);
    await page.getByTestId('trials-sort-value').click();
    const best = big.trials.filter((t) => t.value !== null).reduce((a, b) => (b.value! < a.value! ? b : a));
    await expect.poll(async () => table.getByTestId('trial-row').first().getAttribute('data-number')).toBe(String(best.number));
    // Scrolled to the end: the trials without a value (failed) come last.
    await page.getByTestId('trials-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect.poll(async () => table.getByTestId('trial-row').last().getAttribute('data-status')).toBe('failed');
    // A failed trial says why, in its row.
    expect(await table.getByTestId('trial-row').last().getByTestId('trial-error').innerText()).toBe('seeded failure');
    expect(await table.getByTestId('trial-row').count()).toBeLessThan(80);
    await shot(page, 'study-04-five-thousand', { height: 2600 });
    expect(problems).toEqual([]);
  });
});
