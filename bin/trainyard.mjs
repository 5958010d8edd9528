#!/usr/bin/env node
// The `trainyard` command. It runs the TypeScript sources through tsx, so `npx trainyard` works
// straight after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
// A job on a cluster node runs the node entry alone: none of the CLI's commands is loaded for it.
if (process.argv[2] === 'slurm-node') await import('../src/worker/slurm-node.ts');
else await import('../src/cli/main.ts');
