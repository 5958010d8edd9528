/**
 * The Monitor's cluster section against the real Slurm on this machine: with no cluster target it
 * says how to add one; with one, it shows the partition, the node and its state, and the job
 * Trainyard submitted there, linked to the job, whose page says where it runs. Screenshots go to test/e2e/artifacts/.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/shared/rpc/client';
import { e2eForSuite, pageForSuite, shot } from './harness';

const UI_TIMEOUT_MS = 60_000;
const HAS_SLURM = spawnSync('sbatch', ['--version']).status === 0;

const e2e = e2eForSuite({ name: 'clusters', buildUi: true });
const view = pageForSuite(e2e, { width: 1280, height: 900 });
let client: Client | undefined;
afterAll(() => client?.close());

describe.skipIf(!HAS_SLURM)(HAS_SLURM ? 'the Monitor shows the cluster' : 'the Monitor shows the cluster (skipped: sbatch is not installed on this machine)', () => {
  it('says how to add a cluster, then shows its node and the job running there', async () => {
    const { page } = view;
    client = await e2e.connect();
    await page.goto(e2e.url);
    await page.getByTestId('nav-monitor').click();
    await page.getByTestId('no-clusters').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('no-clusters').textContent()).toContain('trainyard clusters add NAME --slurm');

    await client.api.clusters.add({ name: 'local' });
    const job = await client.api.jobs.create({ spec: { kind: 'noop', sleepMs: 120_000, label: 'on Slurm' }, cluster: 'local', resources: { gpus: 0, cpuSlots: 1, memoryMB: 64 } });
    const cluster = page.locator('[data-testid="cluster"][data-name="local"]');
    await cluster.waitFor({ timeout: UI_TIMEOUT_MS });
    const node = cluster.getByTestId('cluster-node').first();
    await node.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await node.locator('td').first().textContent()).toBe('localhost');
    const row = cluster.locator('[data-testid="cluster-job"]', { hasText: job.id });
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    await expect.poll(() => row.getAttribute('data-state'), { timeout: UI_TIMEOUT_MS }).toBe('RUNNING');
    expect(await node.getAttribute('data-state')).toMatch(/^(mixed|allocated)/);
    await shot(page, '70-monitor-cluster');

    // Its row links to the job, whose page says where it runs.
    const slurmId = (await row.locator('td').first().textContent())!;
    await row.getByRole('link', { name: job.id }).click();
    const fact = page.getByTestId('job-cluster');
    await fact.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await fact.textContent()).toContain(`local · Slurm job ${slurmId}`);
    await shot(page, '71-job-on-cluster');

    await client.api.jobs.cancel({ id: job.id });
    await expect.poll(async () => (await client!.api.jobs.get({ id: job.id })).status, { timeout: UI_TIMEOUT_MS }).toBe('cancelled');
  }, 240_000);

  it('runs a command job on the cluster chosen in the New job form', async () => {
    const { page } = view;
    client ??= await e2e.connect();
    const [target] = await client.api.clusters.list({});
    expect(target?.name).toBe('local'); // added by the test before
    await page.goto(e2e.url);
    await page.getByTestId('nav-jobs').click();
    await page.getByTestId('new-job-button').click();
    await page.getByTestId('new-job-tab-command').click();
    const where = page.getByTestId('command-run-where-select');
    await expect.poll(() => where.isEnabled(), { timeout: UI_TIMEOUT_MS }).toBe(true);
    expect(await where.locator('option').allTextContents()).toEqual(['This machine', 'Slurm: local']);
    await where.selectOption('local');
    await page.getByTestId('command-line-input').fill(`/usr/bin/python3 -c "print('TRAINYARD_METRIC {\\"step\\": 0, \\"score\\": 0.25}')"`);
    await page.getByTestId('command-cwd-input').fill('/tmp');
    await page.getByTestId('submit-command').click();

    const row = page.getByTestId('jobs-table').getByTestId('job-row').first();
    await expect.poll(async () => row.getAttribute('data-status'), { timeout: UI_TIMEOUT_MS * 2 }).toBe('completed');
    const jobs = await client.api.jobs.list({ kind: 'command' });
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job).toMatchObject({ status: 'completed', cluster: 'local' });
    expect(job.clusterJobId).toMatch(/^\d+$/);
    expect((await client.api.runs.get({ id: job.runId! })).summary.score).toBe(0.25);
  }, 240_000);
});
