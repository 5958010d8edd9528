/**
 * Prometheus `/metrics`: the monitor's latest sample and the queue's counts in the text exposition
 * format (version 0.0.4): a `# HELP` and a `# TYPE` line per family, then its samples, label values
 * escaped (`\\`, `\"`, `\n`). `trainyard serve` answers it behind the token; `--metrics [HOST:]PORT`
 * also serves it without a token on a loopback port of its own, for a local Prometheus to scrape.
 */
import http from 'node:http';
import type { MonitorSnapshot, QueueState } from '../shared/contract';
import { InvalidInput } from '../shared/errors';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string | number>;
interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels?: Labels; value: number | null }[];
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Families in the exposition format; samples with no value (a GPU that reports no power) are left out. */
export function exposition(families: Family[]): string {
  const out: string[] = [];
  for (const f of families) {
    const samples = f.samples.filter((s) => s.value !== null);
    if (samples.length === 0) continue;
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of samples) {
      const labels = Object.entries(s.labels ?? {});
      const l = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(String(v))}"`).join(',')}}` : '';
      out.push(`${f.name}${l} ${formatValue(s.value!)}`);
    }
  }
  return out.join('\n') + '\n';
}

const MiB = 1024 * 1024;
const bytesOfMb = (mb: number | null) => (mb === null ? null : mb * MiB);
const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

/** What Trainyard exposes: the machine, each GPU and its processes, the workers, the queue. */
export function metricsText(s: MonitorSnapshot, q: QueueState): string {
  const gpu = (g: MonitorSnapshot['gpus']['devices'][number]) => ({ gpu: g.index, uuid: g.uuid ?? '', name: g.name ?? '' });
  const gpuFamily = (name: string, help: string, value: (g: MonitorSnapshot['gpus']['devices'][number]) => number | null): Family => ({
    name,
    help,
    type: 'gauge',
    samples: s.gpus.devices.map((g) => ({ labels: gpu(g), value: value(g) })),
  });
  const workerFamily = (name: string, help: string, value: (w: MonitorSnapshot['workers'][number]) => number | null): Family => ({
    name,
    help,
    type: 'gauge',
    samples: s.workers.map((w) => ({ labels: { pid: w.pid, job: w.jobId ?? '' }, value: value(w) })),
  });
  return exposition([
    { name: 'trainyard_cpu_usage_percent', help: 'Share of all CPU cores busy over the last sample interval.', type: 'gauge', samples: [{ value: s.cpu.totalPercent }] },
    { name: 'trainyard_cpu_core_usage_percent', help: 'Share of one CPU core busy over the last sample interval.', type: 'gauge', samples: s.cpu.perCore.map((v, i) => ({ labels: { core: i }, value: v })) },
    { name: 'trainyard_memory_used_bytes', help: 'Memory in use on this machine.', type: 'gauge', samples: [{ value: s.memory.usedBytes }] },
    { name: 'trainyard_memory_total_bytes', help: 'Memory of this machine.', type: 'gauge', samples: [{ value: s.memory.totalBytes }] },
    { name: 'trainyard_disk_used_bytes', help: 'Used space on the file system of the data directory.', type: 'gauge', samples: s.disk ? [{ labels: { path: s.disk.path }, value: s.disk.usedBytes }] : [] },
    { name: 'trainyard_disk_free_bytes', help: 'Free space (for unprivileged users) on the file system of the data directory.', type: 'gauge', samples: s.disk ? [{ labels: { path: s.disk.path }, value: s.disk.freeBytes }] : [] },
    { name: 'trainyard_disk_total_bytes', help: 'Size of the file system of the data directory.', type: 'gauge', samples: s.disk ? [{ labels: { path: s.disk.path }, value: s.disk.totalBytes }] : [] },
    { name: 'trainyard_gpu_readable', help: '1 when nvidia-smi answered with GPUs, 0 when it is missing or failing.', type: 'gauge', samples: [{ value: s.gpus.available ? 1 : 0 }] },
    gpuFamily('trainyard_gpu_utilization_percent', 'GPU utilisation as nvidia-smi reports it.', (g) => g.utilPercent),
    gpuFamily('trainyard_gpu_memory_used_bytes', 'GPU memory in use.', (g) => bytesOfMb(g.memoryUsedMb)),
    gpuFamily('trainyard_gpu_memory_total_bytes', 'GPU memory in all.', (g) => bytesOfMb(g.memoryTotalMb)),
    gpuFamily('trainyard_gpu_temperature_celsius', 'GPU core temperature.', (g) => g.temperatureC),
    gpuFamily('trainyard_gpu_power_watts', 'GPU power draw.', (g) => g.powerW),
    gpuFamily('trainyard_gpu_power_limit_watts', 'GPU power limit.', (g) => g.powerLimitW),
    {
      name: 'trainyard_gpu_process_memory_bytes',
      help: 'GPU memory held by one process; job is the Trainyard job that owns it, empty for other programs.',
      type: 'gauge',
      samples: s.gpus.devices.flatMap((g) => g.processes.map((p) => ({ labels: { gpu: g.index, pid: p.pid, process: p.name ?? '', job: p.jobId ?? '' }, value: bytesOfMb(p.usedMemoryMb) }))),
    },
    { name: 'trainyard_workers', help: 'Live worker processes (running a job or waiting, warm, for the next).', type: 'gauge', samples: [{ value: s.workers.length }] },
    workerFamily('trainyard_worker_resident_memory_bytes', 'Resident memory of a worker process.', (w) => bytesOfMb(w.rssMb)),
    workerFamily('trainyard_worker_cpu_percent', 'CPU use of a worker process (100 = one core).', (w) => w.cpuPercent),
    workerFamily('trainyard_worker_uptime_seconds', 'Time since the worker process started.', (w) => seconds(w.uptimeMs)),
    workerFamily('trainyard_worker_heartbeat_age_seconds', 'Time since the worker last reported (only while it runs a job).', (w) => seconds(w.heartbeatAgeMs)),
    {
      name: 'trainyard_queue_jobs',
      help: 'Jobs in the queue by state.',
      type: 'gauge',
      samples: [
        { labels: { state: 'running' }, value: q.running },
        { labels: { state: 'queued' }, value: q.queued },
      ],
    },
    { name: 'trainyard_queue_paused', help: '1 while the queue is paused.', type: 'gauge', samples: [{ value: q.paused ? 1 : 0 }] },
  ]);
}

/** Where the unauthenticated metrics port binds: `PORT` or `HOST:PORT`, loopback only (it has no token). */
export function parseMetricsAddress(value: string): { host: string; port: number } {
  const m = /^(?:(.+):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new InvalidInput(`--metrics expects PORT or HOST:PORT, got ${JSON.stringify(value)}`, 'metrics');
  const host = (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, '');
  return { host, port };
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** A server that answers `GET /metrics` and nothing else, without a token: so it listens on loopback only. */
export async function startMetricsServer(opts: { host: string; port: number; text: () => Promise<string>; isLoopback: (host: string) => boolean; log: (message: string, err: unknown) => void }): Promise<MetricsServer> {
  if (!opts.isLoopback(opts.host)) {
    throw new InvalidInput(`--metrics serves without the token, so it listens on loopback only (127.0.0.1, ::1 or localhost), not ${opts.host}; scrape /metrics on the main port with the token instead`, 'metrics');
  }
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found: this port serves GET /metrics only\n');
      return;
    }
    opts.text().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (err: unknown) => {
        opts.log('Answering /metrics failed', err);
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Internal error\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new InvalidInput(`Port ${opts.port} on ${opts.host} is already in use; choose another with --metrics`, 'metrics') : err),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
