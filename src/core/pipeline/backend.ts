/** The TensorFlow.js backend a job trains on, chosen as the task asks and logged with what was skipped. */
import { forcedBackend, selectBackend } from '../compute';
import type { TrainTask } from '../workers';
import type { StepContext } from './report';

export async function selectTaskBackend(task: TrainTask, ctx: StepContext): Promise<{ name: string; device: string }> {
  const backend = await selectBackend(forcedBackend(task.backend));
  for (const s of backend.skipped) ctx.report.info(`Backend ${s.name} skipped: ${s.reason}`);
  ctx.report.info(`Backend ${backend.name} on ${backend.device}`);
  return { name: backend.name, device: backend.device };
}
