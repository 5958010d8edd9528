import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { prng } from '../../../test/helpers/rng';
import { StudyTrial, TrialStatus, type StudySummary } from '../../shared/contract';
import type { Client } from '../../shared/rpc/client';
import { setClient } from '../api/client';
import { STUDY_BATCH_MS, TRIALS_PAGE, mergeTrials, useStudies } from './studies';

function trial(studyId: string, number: number, state: TrialStatus = 'completed', value: number | null = number): StudyTrial {
  return StudyTrial.parse({
    id: `${studyId}-t${number}`,
    studyId,
    number,
    status: state,
    params: { x: number },
    value: state === 'running' ? null : value,
    intermediate: [],
    startedAt: 1,
    finishedAt: state === 'running' ? null : 2,
    jobId: null,
    runId: null,
  });
}

/** A connection whose studies methods serve `stored` in pages and count the calls. */
function fakeClient(stored: StudyTrial[], onPage?: (offset: number) => void) {
  const calls = { trials: 0, importance: 0, get: 0 };
  const api = {
    studies: {
      trials: async ({ offset = 0, limit = 5000 }: { id: string; offset?: number; limit?: number }) => {
        calls.trials++;
        onPage?.(offset);
        return { trials: stored.slice(offset, offset + limit), total: stored.length };
      },
      importance: async () => {
        calls.importance++;
        return [
          { param: 'a', importance: 0.2 },
          { param: 'x', importance: 0.8 },
        ];
      },
      get: async ({ id }: { id: string }) => {
        calls.get++;
        return { id } as StudySummary;
      },
      list: async () => [],
    },
  };
  setClient({ api } as unknown as Client);
  return calls;
}

afterEach(() => {
  useStudies.getState().close();
  setClient(null);
});

describe('mergeTrials', () => {
  it('replaces trials by id, appends new ones, and keeps the list sorted by number (many seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = prng(seed);
      const n = Math.floor(rand() * 50);
      const current = Array.from({ length: n }, (_, i) => trial('s', i));
      const updates: StudyTrial[] = [];
      for (let k = Math.floor(rand() * 30); k > 0; k--) updates.push(trial('s', Math.floor(rand() * (n + 20)), 'pruned', rand()));
      const { trials, added } = mergeTrials(current, updates);
      const expected = new Map(current.map((t) => [t.id, t]));
      for (const u of updates) expected.set(u.id, u);
      expect(trials.length).toBe(expected.size);
      expect(added).toBe(expected.size - current.length);
      expect(trials.map((t) => t.number)).toEqual([...expected.values()].map((t) => t.number).sort((a, b) => a - b));
      for (const t of trials) expect(t).toBe(expected.get(t.id));
      // Untouched trials keep their objects, so memoised rows skip rendering.
      const touched = new Set(updates.map((u) => u.id));
      for (const t of current) if (!touched.has(t.id)) expect(trials).toContain(t);
    }
  });
});

describe('the open study', () => {
  it('loads every page of a study larger than one answer', async () => {
    const stored = Array.from({ length: TRIALS_PAGE * 2 + 17 }, (_, i) => trial('big', i));
    const calls = fakeClient(stored);
    await useStudies.getState().open('big');
    const s = useStudies.getState();
    expect(calls.trials).toBe(3);
    expect(s.trials.length).toBe(stored.length);
    expect(s.trialsTotal).toBe(stored.length);
    expect(s.trials.map((t) => t.number)).toEqual(stored.map((t) => t.number));
    // Importance arrives sorted, most important first.
    await vi.waitFor(() => expect(useStudies.getState().importance.map((r) => r.param)).toEqual(['x', 'a']));
  });

  it('keeps an event that arrived while the pages loaded: it is newer than the page', async () => {
    const stored = [trial('s1', 0, 'running'), trial('s1', 1, 'running')];
    fakeClient(stored, () => useStudies.getState().receiveTrial(trial('s1', 1, 'completed', 0.5)));
    await useStudies.getState().open('s1');
    const t1 = useStudies.getState().trials.find((t) => t.number === 1)!;
    expect(t1.status).toBe('completed');
    expect(t1.value).toBe(0.5);
  });

  describe('events', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('applies a flood of trial events in one update per batch window, ignoring other studies', async () => {
      const calls = fakeClient([trial('s1', 0, 'running')]);
      await useStudies.getState().open('s1');
      await vi.advanceTimersByTimeAsync(0);
      const importanceBefore = calls.importance;
      let updates = 0;
      const unsubscribe = useStudies.subscribe((s, prev) => {
        if (s.trials !== prev.trials) updates++;
      });
      for (let i = 1; i <= 500; i++) useStudies.getState().receiveTrial(trial('s1', i, i % 3 === 0 ? 'pruned' : 'completed', i / 10));
      for (let i = 0; i < 50; i++) useStudies.getState().receiveTrial(trial('other', i));
      expect(updates).toBe(0);
      await vi.advanceTimersByTimeAsync(STUDY_BATCH_MS);
      unsubscribe();
      expect(updates).toBe(1);
      const s = useStudies.getState();
      expect(s.trials.length).toBe(501);
      expect(s.trials.every((t) => t.studyId === 's1')).toBe(true);
      expect(s.trialsTotal).toBe(501);
      // Trials ended, so importance is read again (once, after a pause).
      await vi.advanceTimersByTimeAsync(2000);
      expect(calls.importance).toBe(importanceBefore + 1);
    });

    it('gathers study events and applies the latest of each', async () => {
      fakeClient([]);
      const base = { id: 'a', name: 'a', status: 'running', createdAt: 1 } as StudySummary;
      for (let i = 0; i < 100; i++) useStudies.getState().receiveStudy({ ...base, name: `a${i}` });
      useStudies.getState().receiveStudy({ ...base, id: 'b', name: 'b' });
      expect(useStudies.getState().byId.a).toBeUndefined();
      await vi.advanceTimersByTimeAsync(STUDY_BATCH_MS);
      expect(useStudies.getState().byId.a.name).toBe('a99');
      expect(useStudies.getState().byId.b.name).toBe('b');
    });
  });
});
