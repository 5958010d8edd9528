import { describe, expect, it } from 'vitest';
import type { Job, StudyTrial } from '../../shared/contract';
import { trialQueueCounts, trialTimes } from './trial-jobs';

const trial = (number: number, status: StudyTrial['status'], jobId: string | null, startedAt = 0, finishedAt: number | null = null) =>
  ({ id: `t${number}`, studyId: 's', number, status, params: {}, value: null, intermediate: [], startedAt, finishedAt, jobId, runId: null, error: null }) as StudyTrial;
const job = (id: string, status: Job['status'], startedAt: number | null = null, finishedAt: number | null = null) => ({ id, status, startedAt, finishedAt }) as Job;

describe('trial jobs', () => {
  it('counts a trial whose job waits in the queue as waiting, not running', () => {
    const jobs = { a: job('a', 'running', 10), b: job('b', 'queued') };
    expect(trialQueueCounts([trial(0, 'running', 'a'), trial(1, 'running', 'b'), trial(2, 'completed', 'c')], jobs)).toEqual({ running: 1, waiting: 1 });
  });

  it('tells a trial’s time in all from its job’s own, the difference being the queue wait', () => {
    expect(trialTimes(trial(0, 'completed', 'a', 1000, 9000), job('a', 'completed', 4000, 9000), 0)).toEqual({ total: 8000, running: 5000, waited: 3000 });
    expect(trialTimes(trial(1, 'running', 'b', 1000), job('b', 'queued'), 2500)).toEqual({ total: null, running: null, waited: 1500 });
  });
});
