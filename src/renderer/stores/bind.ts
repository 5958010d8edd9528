/**
 * Wires one connection into the stores: live events first (so nothing is missed while the first
 * lists load), then the initial loads, then a catch-up of what no view re-reads by itself after a
 * reconnect. The views re-read what they show when the connection comes back (the runs table, an
 * open run's summary and metrics, an open study's trials), and read it again when they are next
 * shown, so it is not fetched here as well.
 */
import type { Client } from '../../shared/rpc/client';
import { isActive, onJobsBatch, useJobs } from './jobs';
import { useQueue } from './queue';
import { useDatasets } from './datasets';
import { useLogs } from './logs';
import { useMetrics } from './metrics';
import { useModels } from './models';
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
        if (useRuns.getState().byId[job.runId]) void useRuns.getState().loadRun(job.runId);
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
    client.on('model.updated', (model) => useModels.getState().receiveModel(model)),
    client.on('model.transfer', (progress) => useModels.getState().receiveTransfer(progress)),
  ];

  void useJobs.getState().load();
  void useQueue.getState().load();
  void useDatasets.getState().load();
  void useSystem.getState().load();
  // A tracked log is caught up from its last line: lines missed while offline must come before new ones.
  useLogs.getState().resyncAll();
  // Study summaries are kept live by events alone, and the open study's page shows one from the list.
  if (useStudies.getState().loaded || useStudies.getState().openId) void useStudies.getState().loadList();
  // Model summaries likewise; the open model's page re-reads its detail when the connection returns.
  if (useModels.getState().loaded) void useModels.getState().loadList();

  return () => offs.forEach((off) => off());
}
