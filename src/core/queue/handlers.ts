/** The `jobs` and `queue` groups of the API, over the job queue. */
import type { ApiHandlers } from '../../shared/contract';
import type { JobQueue } from './queue';

export function jobsHandlers(queue: JobQueue): ApiHandlers['jobs'] {
  return {
    create: (input) => queue.submit(input),
    list: (input) => queue.list(input),
    get: ({ id }) => queue.get(id),
    cancel: ({ id }) => queue.cancel(id),
    retry: ({ id }) => queue.retry(id),
    setPriority: ({ id, priority }) => queue.setPriority(id, priority),
    transitions: ({ id }) => queue.transitions(id),
    logs: ({ id, afterId, limit }) => queue.logs(id, afterId, limit),
  };
}

export function queueHandlers(queue: JobQueue): ApiHandlers['queue'] {
  return {
    state: () => queue.currentState(),
    pause: () => queue.pause(),
    resume: () => queue.resume(),
    stats: () => queue.stats(),
    configure: (limits) => queue.configure(limits),
  };
}
