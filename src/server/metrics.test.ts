/**
 * Prometheus /metrics against a real core and server, read with a strict parser of the exposition
 * format: behind the token on the main port, and without one on a loopback port of its own. The
 * stand-in nvidia-smi (first on PATH) gives this process the H200 its outputs were captured from.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathWithStandin } from '../../test/helpers/nvidia-smi';
import { parsePrometheusText } from '../../test/helpers/prometheus';
import { createApp } from '../core/app';
import { startServer, type RunningServer } from './index';
import { exposition, parseMetricsAddress } from './metrics';

type CoreApp = Awaited<ReturnType<typeof createApp>>;

let tmp: string;
let core: CoreApp;
let server: RunningServer;

beforeAll(async () => {
  process.env.PATH = pathWithStandin();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-metrics-'));
  const rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Trainyard</title>');
  core = await createApp({ dataDir: path.join(tmp, 'data "quoted"\\dir'), scheduler: false });
  server = await startServer({ core, rendererDir, metrics: { host: '127.0.0.1', port: 0 } });
});

afterAll(async () => {
  await server?.close();
  await core?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${server.port}`;

describe('/metrics', () => {
  it('requires the token, as a query parameter or a bearer header', async () => {
    expect((await fetch(`${base()}/metrics`)).status).toBe(401);
    expect((await fetch(`${base()}/metrics?token=wrong`)).status).toBe(401);
    const r = await fetch(`${base()}/metrics`, { headers: { Authorization: `Bearer ${server.token}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('is valid exposition text with the machine, the H200, the workers and the queue', async () => {
    const text = await (await fetch(`${base()}/metrics?token=${server.token}`)).text();
    const families = parsePrometheusText(text);
    for (const f of families.values()) {
      expect(f.type, f.name).toBe('gauge');
      expect(f.help, f.name).toBeTruthy();
      expect(f.name).toMatch(/^trainyard_/);
    }
    const one = (name: string) => families.get(name)!.samples;
    expect(one('trainyard_gpu_readable')[0].value).toBe(1);
    expect(one('trainyard_gpu_temperature_celsius')).toEqual([
      { name: 'trainyard_gpu_temperature_celsius', labels: { gpu: '0', uuid: 'GPU-9ebf79ba-450d-61e3-5577-7016886f3add', name: 'NVIDIA H200' }, value: 34, timestamp: null },
    ]);
    expect(one('trainyard_gpu_memory_total_bytes')[0].value).toBe(143771 * 1024 * 1024);
    expect(one('trainyard_gpu_power_limit_watts')[0].value).toBe(700);
    expect(one('trainyard_cpu_core_usage_percent').length).toBe(os.cpus().length);
    expect(one('trainyard_memory_total_bytes')[0].value).toBe(os.totalmem());
    // The data directory's path, quotes and backslash included, comes back exactly through the escapes.
    expect(one('trainyard_disk_total_bytes')[0].labels.path).toBe(core.dataDir);
    expect(core.dataDir).toContain('"quoted"\\dir');
    expect(one('trainyard_queue_jobs').map((s) => [s.labels.state, s.value])).toEqual([
      ['running', 0],
      ['queued', 0],
    ]);
    expect(one('trainyard_workers')[0].value).toBe(0);
  });

  it('is served without a token on its own loopback port, and nothing else is', async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const r = await fetch(server.metricsUrl!);
    expect(r.status).toBe(200);
    expect(parsePrometheusText(await r.text()).has('trainyard_memory_used_bytes')).toBe(true);
    expect((await fetch(server.metricsUrl!.replace('/metrics', '/rpc'))).status).toBe(404);
  });

  it('refuses a metrics address beyond loopback (it has no token), and a malformed one', async () => {
    await expect(startServer({ core, rendererDir: path.join(tmp, 'renderer'), metrics: { host: '0.0.0.0', port: 0 } })).rejects.toThrow(/loopback only .* not 0\.0\.0\.0/);
    expect(parseMetricsAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseMetricsAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(() => parseMetricsAddress('localhost:')).toThrow(/PORT or HOST:PORT/);
  });
});

describe('exposition format', () => {
  it('escapes label values and help text so a strict reader gets them back', () => {
    const text = exposition([
      { name: 'x_total', help: 'a \\ help\nwith a newline', type: 'counter', samples: [{ labels: { job: 'a"b\\c\nd' }, value: 3 }, { labels: { job: 'e' }, value: Infinity }] },
      { name: 'y', help: 'no samples with a value', type: 'gauge', samples: [{ value: null }] },
      { name: 'z', help: 'nan', type: 'gauge', samples: [{ value: NaN }] },
    ]);
    const f = parsePrometheusText(text);
    expect(f.get('x_total')).toMatchObject({ help: 'a \\ help\nwith a newline', type: 'counter', samples: [{ labels: { job: 'a"b\\c\nd' }, value: 3 }, { value: Infinity }] });
    expect(f.has('y')).toBe(false);
    expect(f.get('z')!.samples[0].value).toBeNaN();
  });

  it('the reader refuses what the spec forbids (so passing it means something)', () => {
    expect(() => parsePrometheusText('a{b="c"} 1')).toThrow(/newline/);
    expect(() => parsePrometheusText('a{b="c\\x"} 1\n')).toThrow(/bad escape/);
    expect(() => parsePrometheusText('a 1\nb 1\na 2\n')).toThrow(/split/);
    expect(() => parsePrometheusText('a 1\n# TYPE a gauge\n')).toThrow(/after its samples/);
    expect(() => parsePrometheusText('a{b="1"} 1\na{b="1"} 2\n')).toThrow(/duplicate/);
    expect(() => parsePrometheusText('a one\n')).toThrow(/bad value/);
    expect(() => parsePrometheusText('9a 1\n')).toThrow(/bad sample/);
  });
});
