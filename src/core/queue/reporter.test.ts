/** A batch the reporter cannot write is not dropped in silence: the core log says what was lost and why. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import { EventBus } from '../events';
import { CORE_LOG_FILE, coreLog } from '../log';
import { openStore } from '../store';
import { JobReporter } from './reporter';

describe('JobReporter', () => {
  it('logs a failed batch with its job, run, counts and cause', async () => {
    const t = tempDir();
    try {
      const store = openStore(join(t.dir, 'trainyard.db'));
      const reporter = new JobReporter('job-1', 'run-1', { store, bus: new EventBus(), log: coreLog(t.dir, 'queue.reporter') });
      reporter.log('info', 'epoch 1');
      reporter.onWorkerEvent({ type: 'metric', key: 'loss', step: 1, ts: Date.now(), value: 0.5 });
      // The write fails for real: the database is closed under it.
      await store.close();
      await reporter.flush();
      const lines = readFileSync(join(t.dir, 'logs', CORE_LOG_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'error', scope: 'queue.reporter', jobId: 'job-1', runId: 'run-1', logLines: 1, metricPoints: 1 });
      expect(String(lines[0].message)).toMatch(/not written/);
      expect(JSON.stringify(lines[0].error)).toMatch(/\w/);
    } finally {
      t.cleanup();
    }
  });
});
