/**
 * Real data as it comes, in a browser: upload a copy of the bundled Seattle normals with one
 * temperature blanked (the import says so at once), train with missing values interpolated and an
 * exact split at rows 6131 and 7445, and read the boundaries, to the row and the hour, on the run
 * page. Screenshots go to test/e2e/artifacts/.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { e2eForSuite, pageForSuite, shot } from './harness';

const TRAIN_TIMEOUT_MS = 240_000;
const SEATTLE = fileURLToPath(new URL('../../resources/datasets/seattle-weather-hourly-normals.csv', import.meta.url));

const e2e = e2eForSuite({ name: 'data-handling', buildUi: true });

/** The Seattle normals with the temperature of spreadsheet row 40 (2010-01-02T14:00) blanked. */
function editedSeattle(): Buffer {
  const ls = readFileSync(SEATTLE, 'utf8').trimEnd().split('\n');
  const cells = ls[39].split(',');
  cells[2] = '';
  ls[39] = cells.join(',');
  return Buffer.from(ls.join('\n') + '\n');
}

describe('data handling in a browser', () => {
  const view = pageForSuite(e2e, { width: 1440, height: 1000 });

  it('warns about the gap at import, trains on an exact row split and shows its boundaries on the run page', async () => {
    const { page, problems } = view;
    await page.goto(e2e.url);
    await page.getByTestId('nav-jobs').click();
    await page.waitForFunction(() => !location.search.includes('token='));
    await page.getByTestId('new-job-button').click();

    await page.getByTestId('upload-csv').setInputFiles({ name: 'seattle-gap.csv', mimeType: 'text/csv', buffer: editedSeattle() });
    const warning = page.getByTestId('dataset-warning');
    await warning.first().waitFor({ timeout: 30_000 });
    expect(await warning.allInnerTexts()).toEqual([
      '⚠ Column "temperature": 1 missing value (first at row 40); training on it needs missing drop, interpolate or ffill',
    ]);
    expect(await warning.first().getAttribute('data-column')).toBe('temperature');

    await expect.poll(async () => page.getByTestId('target-select').locator('option').allTextContents(), { timeout: 15_000 }).toContain('temperature');
    await page.getByTestId('target-select').selectOption('temperature');
    await page.getByTestId('param-epochs').fill('2');
    await page.getByTestId('missing-select').selectOption('interpolate');
    await page.getByTestId('split-mode-select').selectOption('rows');
    await page.getByTestId('split-val-row').fill('6131');
    await page.getByTestId('split-test-row').fill('7445');
    await shot(page, 'data-01-new-job');
    await page.getByTestId('submit-job').click();

    const row = page.getByTestId('jobs-table').getByTestId('job-row').first();
    await row.waitFor();
    await expect.poll(async () => row.getAttribute('data-status'), { timeout: TRAIN_TIMEOUT_MS, interval: 1000 }).toMatch(/completed|failed|cancelled/);
    if ((await row.getAttribute('data-status')) !== 'completed') {
      await shot(page, 'data-99-not-completed');
      throw new Error(`the job did not complete:\n${(await page.locator('body').innerText()).slice(0, 2000)}`);
    }

    await row.click();
    expect(await page.getByTestId('job-data-handling').innerText()).toBe('time order sort · duplicates refuse · missing interpolate · split at rows 6131, 7445');
    await page.getByTestId('job-run-link').click();
    const summary = page.getByTestId('run-data-summary');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.getAttribute('data-method')).toBe('rows');
    const parts = page.getByTestId('run-split-part');
    // The row count is formatted for the browser's locale (6,131 or 6 131): compared by its digits.
    const cells = async (part: string) =>
      (await parts.and(page.locator(`[data-part="${part}"]`)).locator('th, td').allInnerTexts()).map((t, i) => (i === 3 ? t.replace(/\D/g, '') : t.trim()));
    expect(await cells('train')).toEqual(['train', '0', '6130', '6131', '2010-01-01T01:00:00Z', '2010-09-13T11:00:00Z']);
    expect(await cells('val')).toEqual(['validation', '6131', '7444', '1314', '2010-09-13T12:00:00Z', '2010-11-07T05:00:00Z']);
    expect(await cells('test')).toEqual(['test', '7445', '8758', '1314', '2010-11-07T06:00:00Z', '2010-12-31T23:00:00Z']);
    const resolutions = await page.getByTestId('run-data-resolution').allInnerTexts();
    expect(resolutions).toContain('interpolate (temperature: 1)');
    expect(resolutions).toContain('8759 read, 8759 after resolution');
    // The boundaries are shown once, in their own section, not again among the model's params.
    expect(await page.getByTestId('run-params').innerText()).not.toMatch(/split\.|data\./);
    await shot(page, 'data-02-run-split');
    expect(problems).toEqual([]);
  });
});
