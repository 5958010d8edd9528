import { describe, expect, it } from 'vitest';
import { Job } from '../../shared/contract';
import { boostText, fmtApprox, fmtWaited, isBoosted, jobSummary, retryPolicyText, waitReason } from './JobText';

const NOW = 1_700_000_000_000;

function job(patch: Partial<Job> = {}): Job {
  return Job.parse({
    id: '01J00000000000000000000001',
    kind: 'noop',
    status: 'queued',
    priority: 'low',
    effectivePriority: 'low',
    spec: { kind: 'noop', sleepMs: 250 },
    resources: {},
    retryPolicy: {},
    after: [],
    gpuIndices: [],
    runId: null,
    progress: { step: null, fraction: 0, etaMs: null },
    estimateMs: null,
    error: null,
    attempt: 1,
    retryOf: null,
    notBefore: null,
    createdAt: NOW,
    startedAt: null,
    finishedAt: null,
    ...patch,
  });
}

describe('job text', () => {
  it('reads durations the way a person says them', () => {
    const cases: [number, string][] = [
      [400, '<1 s'],
      [42_000, '~42 s'],
      [4 * 60_000 + 10_000, '~4 min'],
      [3 * 3600_000 + 20 * 60_000, '~3 h'],
      [5 * 24 * 3600_000, '~5 d'],
    ];
    for (const [ms, text] of cases) expect(fmtApprox(ms)).toBe(text);
    expect(fmtApprox(null)).toBe('—');
    expect(fmtWaited(3 * 3600_000 + 59 * 60_000)).toBe('3 h');
    expect(fmtWaited(59_999)).toBe('59 s');
  });

  it('says a waiting job is boosted only when aging raised it', () => {
    const boosted = job({ effectivePriority: 'normal' });
    expect(isBoosted(boosted)).toBe(true);
    expect(boostText(boosted, NOW + 3 * 3600_000 + 5 * 60_000)).toBe('waiting 3 h, boosted');
    expect(isBoosted(job())).toBe(false);
    expect(isBoosted(job({ status: 'running', effectivePriority: 'normal' }))).toBe(false);
  });

  it('says what a job does and why it waits', () => {
    expect(jobSummary(job())).toBe('noop · sleeps 250 ms');
    expect(jobSummary(job({ spec: { kind: 'noop', sleepMs: 0, label: 'bench 7' } }))).toBe('noop · bench 7');
    const train = job({ kind: 'train', spec: { kind: 'train', datasetId: 'd1', target: 'CO2', model: 'mlp', params: {}, experiment: 'e', exogenous: [] } });
    expect(jobSummary(train, 'Mauna Loa')).toBe('Mauna Loa · CO2 · mlp');

    expect(waitReason(job({ notBefore: NOW + 30_000 }), NOW, [])).toBe('retry in 30 s');
    expect(waitReason(job({ after: ['01J00000000000000000000ABC'] }), NOW, ['01J00000000000000000000ABC'])).toMatch(/^after /);
    expect(waitReason(job({ after: ['a', 'b'] }), NOW, ['a', 'b'])).toBe('after 2 jobs');
    expect(waitReason(job(), NOW, [])).toBeNull();
    expect(waitReason(job({ status: 'running' }), NOW, ['x'])).toBeNull();
  });

  it('states the retry policy', () => {
    expect(retryPolicyText(job())).toBe('no automatic retry');
    expect(retryPolicyText(job({ retryPolicy: { maxAttempts: 3, backoffMs: 5000 } }))).toBe('up to 3 attempts, backoff 5.0s doubling');
  });
});
