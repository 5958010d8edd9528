/** Queue statistics from one grouped query: counts by status, mean wait and run time, throughput, per priority. */
import { JobStatus, PRIORITY_ORDER, type Priority, type QueueStats } from '../../shared/contract';

export interface StatsRow {
  priority: string;
  status: string;
  n: number;
  /** Rows that started (the wait average's weight) and that ended after starting (the run average's). */
  nWait: number;
  nRun: number;
  wait: number | null;
  run: number | null;
  /** Jobs of this group that ended in the last hour. */
  recent: number;
}

export function summariseStats(rows: StatsRow[]): QueueStats {
  const counts = Object.fromEntries(JobStatus.options.map((s) => [s, 0])) as Record<JobStatus, number>;
  let recent = 0;
  const wait = new Mean();
  const run = new Mean();
  const perPriority = PRIORITY_ORDER.map((priority: Priority) => {
    const mine = rows.filter((r) => r.priority === priority);
    const pw = new Mean();
    const pr = new Mean();
    const byStatus = Object.fromEntries(JobStatus.options.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const r of mine) {
      byStatus[r.status as JobStatus] += r.n;
      // AVG over a group is weighted back by the group's size to merge groups correctly.
      if (r.wait !== null) pw.add(r.wait, r.nWait);
      if (r.run !== null) pr.add(r.run, r.nRun);
    }
    return { priority, ...byStatus, meanWaitMs: pw.value(), meanRunMs: pr.value() };
  });
  for (const r of rows) {
    counts[r.status as JobStatus] += r.n;
    recent += r.recent ?? 0;
    if (r.wait !== null) wait.add(r.wait, r.nWait);
    if (r.run !== null) run.add(r.run, r.nRun);
  }
  return { counts, meanWaitMs: wait.value(), meanRunMs: run.value(), throughputPerHour: recent, perPriority };
}

class Mean {
  private sum = 0;
  private n = 0;
  add(v: number, weight: number) {
    this.sum += v * weight;
    this.n += weight;
  }
  value(): number | null {
    return this.n > 0 ? this.sum / this.n : null;
  }
}
