import type { Job } from '../shared/contract';
import type { Session } from './session';

const FINAL = new Set(['completed', 'failed', 'cancelled']);

/** Resolves with the job once it ends, calling `onUpdate` on every change (events, with a slow poll as a safety net). */
export async function waitForJob(session: Session, id: string, onUpdate: (job: Job) => void): Promise<Job> {
  let current = await session.api.jobs.get({ id });
  onUpdate(current);
  if (FINAL.has(current.status)) return current;
  return new Promise<Job>((resolve, reject) => {
    const settle = (job: Job) => {
      current = job;
      onUpdate(job);
      if (FINAL.has(job.status)) {
        off();
        clearInterval(poll);
        resolve(job);
      }
    };
    const off = session.on('job.updated', (job) => {
      if (job.id === id) settle(job);
    });
    const poll = setInterval(() => {
      session.api.jobs.get({ id }).then(settle, (err: unknown) => {
        off();
        clearInterval(poll);
        reject(err);
      });
    }, 2000);
  });
}
