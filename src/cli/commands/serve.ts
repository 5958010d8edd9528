import type { Command } from 'commander';
import { resolve } from 'node:path';
import { createApp } from '../../core/app';
import { coreLog } from '../../core/log';
import { startServer } from '../../server';
import { parseMetricsAddress } from '../../server/metrics';
import { ensureRendererBuilt } from '../../server/renderer-build';
import { InvalidInput } from '../../shared/errors';
import { serveToken } from '../../server/token';
import { dataDirOf } from './context';
import { addMaxConcurrentOption, maxConcurrentOf } from './queue';

/** The default port; when it is taken, the server takes any free one and says which. */
const DEFAULT_PORT = 8642;

export function registerServeCommands(program: Command): void {
  const serve = program
    .command('serve')
    .description('serve the Trainyard UI and API to a browser (token required; loopback unless --host says otherwise)');
  addMaxConcurrentOption(serve, 'jobs running at once (saved: it holds until changed; default 1)')
    .option('--port <port>', `port to listen on (default ${DEFAULT_PORT}, or any free one if taken; 0 for any)`, (v) => Number(v))
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--metrics <[host:]port>', 'also serve Prometheus /metrics without the token on this loopback port')
    .option('--new-token', 'replace the kept access token with a new one (open tabs must use the new URL)')
    .option(
      '--allow-path-imports <dir>',
      'let API clients import and predict on files under DIR by path (repeatable; by default the server reads no path: clients send the file)',
      (v: string, prev: string[]) => [...prev, resolve(v)],
      [] as string[],
    )
    .action(async (opts: { port?: number; host: string; maxConcurrent?: number; concurrency?: number; allowPathImports: string[]; newToken?: boolean; metrics?: string }, cmd: Command) => {
      const metrics = opts.metrics === undefined ? undefined : parseMetricsAddress(opts.metrics);
      const rendererDir = await ensureRendererBuilt({ log: (line) => process.stderr.write(`${line}\n`) });
      const core = await createApp({ dataDir: dataDirOf(cmd), scheduler: true, pathImports: { roots: opts.allowPathImports } });
      const maxConcurrent = maxConcurrentOf(opts);
      if (maxConcurrent !== undefined) await core.api.queue.configure({ maxConcurrent });
      let server;
      try {
        const token = serveToken(core.dataDir, { renew: opts.newToken });
        const log = coreLog(core.dataDir, 'server');
        server = await startServer({ core, host: opts.host, port: opts.port ?? DEFAULT_PORT, rendererDir, token, log, metrics }).catch((err: unknown) => {
          if (opts.port !== undefined || (err instanceof InvalidInput && err.field === 'metrics')) throw err;
          return startServer({ core, host: opts.host, port: 0, rendererDir, token, log, metrics });
        });
      } catch (err) {
        await core.close();
        throw err;
      }
      const running = server;
      const stop = async () => {
        process.stderr.write('Stopping Trainyard...\n');
        await running.close();
        await core.close();
        process.exit(0);
      };
      // Listening for stops before the URL is printed: whoever reads the URL may stop the server at once.
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      core.lock.advertise(server.url, server.token);
      if (server.warning) process.stderr.write(`${server.warning}\n`);
      if (server.metricsUrl) process.stderr.write(`Prometheus metrics (no token, this machine only): ${server.metricsUrl}\n`);
      process.stdout.write(`Trainyard is serving ${core.dataDir}\n${server.url}\n`);
    });

  program
    .command('build-ui')
    .description('build the web UI that `trainyard serve` serves')
    .action(async () => {
      const dir = await ensureRendererBuilt({ force: true, log: (line) => process.stderr.write(`${line}\n`) });
      process.stdout.write(`Built the UI into ${dir}\n`);
    });
}
