// The entry of the series read thread: a worker thread does not inherit the main thread's
// TypeScript loader, so it registers tsx itself before loading the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./series-worker.ts');
