/**
 * End to end: the New job panel's Command tab queues the user's own program. `trainyard serve` with a
 * temp data dir and Debian's Chromium: type a command line with a {param}, set the param, submit,
 * and read the job's end and its output in the job's log. Screenshots go to test/e2e/artifacts/.
 */
import { describe, expect, it } from 'vitest';
import { e2eForSuite, pageForSuite, shot } from './harness';

const e2e = e2eForSuite({ name: 'command', buildUi: true });

describe('the Command tab of the New job panel', () => {
  const view = pageForSuite(e2e, { width: 1440, height: 900 });

  it('queues a command with a param, and shows its end and its output', async () => {
    const { page, problems } = view;
    await page.goto(e2e.url);
    await page.getByTestId('nav-jobs').click();
    await page.getByTestId('new-job-button').click();
    await page.getByTestId('new-job-tab-command').click();
    await page.getByTestId('command-line-input').fill(`/usr/bin/python3 -c "import sys; print('hello from', sys.argv[1]); print('TRAINYARD_METRIC {\\"step\\": 0, \\"score\\": 0.5}')" {who}`);
    await page.getByTestId('command-cwd-input').fill('/tmp');
    await page.getByTestId('command-params-input').fill('who=the browser');
    await shot(page, 'command-01-form');
    await page.getByTestId('submit-command').click();

    const row = page.getByTestId('jobs-table').getByTestId('job-row').first();
    await expect.poll(async () => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    await expect.poll(async () => row.innerText()).toMatch(/command · python3 -c/);
    await row.click();
    await expect.poll(async () => page.getByTestId('job-log').innerText(), { timeout: 30_000 }).toContain('hello from the browser');
    await shot(page, 'command-02-done');

    // The core refuses a placeholder no param sets, and the form marks the command line.
    await page.getByTestId('new-job-button').click();
    await page.getByTestId('new-job-tab-command').click();
    await page.getByTestId('command-line-input').fill('echo {missing}');
    await page.getByTestId('submit-command').click();
    await expect.poll(async () => page.getByTestId('error-banner').innerText()).toMatch(/names the param \{missing\}, which is not set/);
    await expect.poll(async () => page.getByTestId('command-line-input').getAttribute('aria-invalid')).toBe('true');
    expect(problems).toEqual([]);
  });
});
