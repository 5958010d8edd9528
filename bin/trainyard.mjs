#!/usr/bin/env node
// The `trainyard` command. It runs the TypeScript sources through tsx, so `npx trainyard` works
// straight after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
