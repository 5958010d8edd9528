export { JobQueue, type QueueOptions } from './queue';
export { assertTransition, canTransition, TERMINAL } from './lifecycle';
