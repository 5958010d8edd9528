/**
 * Wires one connection into the stores: live events first (so nothing is missed while the first
 * lists load), then the initial loads, then a catch-up of whatever was open before a reconnect.
 */
import type { Client } from '../../shared/rpc/client';
import { isActive, onJobsBatch, useJobs } from './jobs';
import { useQueue } from './queue';
import { useDatasets } from './datasets';
import { useLogs } from './logs';
import { useMetrics } from './metrics';
import { useRuns } from './runs';
import { useStudies } from './studies';
import { useSystem } from './system';

export function bindClient(client: Client): () => void {
  const offs = [
    client.on('job.updated', (job) => {
      const before = useJobs.getState().byId[job.id];
      useJobs.getState().receive(job);
      const finished = before && isActive(before.status) && !isActive(job.status);
      // Only training jobs have runs: a drain of thousands of no-op jobs refreshes nothing here.
      if (job.runId && (finished || (!before && !isActive(job.status)))) {
        // A run's summary and artifacts are final once its job is; refresh what is on screen.
        if (job.runId && useRuns.getState().byId[job.runId]) void useRuns.getState().loadRun(job.runId);
        if (useRuns.getState().listLoaded) void useRuns.getState().loadList();
      }
    }),
    client.on('job.log', (line) => useLogs.getState().append(line)),
    client.on('job.transition', (t) => useJobs.getState().receiveTransition(t)),
    client.on('queue.updated', (state) => useQueue.getState().applyState(state)),
    onJobsBatch(() => useQueue.getState().refreshStatsSoon()),
    client.on('run.metric', (ev) => {
      useMetrics.getState().push(ev);
      useRuns.getState().applyMetric(ev);
    }),
    client.on('study.updated', (study) => useStudies.getState().receiveStudy(study)),
    client.on('trial.updated', (trial) => useStudies.getState().receiveTrial(trial)),
  ];

  void useJobs.getState().load();
  void useQueue.getState().load();
  void useDatasets.getState().load();
  void useSystem.getState().load();
  useLogs.getState().resyncAll();
  useMetrics.getState().resyncAll();
  if (useRuns.getState().listLoaded) void useRuns.getState().loadList();
  for (const id of Object.keys(useRuns.getState().byId)) void useRuns.getState().loadRun(id);
  if (useStudies.getState().loaded || useStudies.getState().openId) useStudies.getState().resync();

  return () => offs.forEach((off) => off());
}
