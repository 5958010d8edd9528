/**
 * Runs before anything builds a schema. zod probes `new Function` when an object schema is created;
 * under the renderer's CSP (no 'unsafe-eval') that probe is reported as a violation even though zod
 * catches it. The renderer never parses with zod (the core validates), so the compiled fast path
 * has nothing to offer here: turn it off.
 */
import { config } from 'zod';

config({ jitless: true });
