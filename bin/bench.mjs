#!/usr/bin/env node
// `npm run bench [-- NAME]`: runs Trainyard's benchmarks against their peers (see bench/README.md).
import { register } from 'tsx/esm/api';

register();
await import('../bench/index.ts');
