export * from './protocol';
export { createClient, type Client } from './client';
export { serveConnection, zodToInvalidInput } from './dispatcher';
export { createMemoryPair } from './memory';
