// The entry of the dataset import thread: a worker thread does not inherit the main thread's
// TypeScript loader, so it registers tsx itself before loading the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
