/** `trainyard datasets rename` and `delete` as a script runs them: a real process, a temp data dir, --json. */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset, Job } from '../../src/shared/contract';
import { trainyardCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const SAMPLE = fileURLToPath(new URL('../../resources/datasets/us-employment.csv', import.meta.url));
const t = tempDir();
afterAll(() => t.cleanup());
const { run, json } = trainyardCli(t.dir);

describe('trainyard datasets rename and delete', () => {
  it('renames by name, refuses a taken name, and refuses to delete a dataset a queued job uses', () => {
    const a = json<Dataset>('datasets', 'import', SAMPLE, '--name', 'employment');
    json<Dataset>('datasets', 'import', SAMPLE, '--name', 'other');
    expect(json<Dataset>('datasets', 'rename', 'employment', 'US employment')).toMatchObject({ id: a.id, name: 'US employment', sha256: a.sha256 });

    const taken = run('datasets', 'rename', a.id, 'other');
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim()).toBe('trainyard: A dataset named "other" already exists; choose another name');

    // No server runs this data directory, so the job stays queued.
    const job = json<Job>('jobs', 'submit', '--dataset', 'US employment', '--target', 'nonfarm', '--model', 'linear');
    const refused = run('datasets', 'delete', 'US employment');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`trainyard: Dataset "US employment" is in use by job ${job.id} (queued or running)`);

    json<Job>('jobs', 'cancel', job.id);
    expect(json<{ id: string; freedBytes: number }>('datasets', 'delete', 'US employment')).toEqual({ id: a.id, freedBytes: a.sizeBytes });
    expect(json<Dataset[]>('datasets', 'list').map((d) => d.name)).toEqual(['other']);
  });
});
