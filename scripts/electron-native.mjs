#!/usr/bin/env node
// `npm run native`: builds better-sqlite3 for Electron's ABI into its own folder (see native-build.ts).
import { register } from 'tsx/esm/api';

register();
const { runNativeCli } = await import('./native-build.ts');
try {
  runNativeCli(process.argv.slice(2));
} catch (err) {
  console.error(`trainyard: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
