/**
 * The pieces of the Monitor view: GPU cards (or one line saying why there are none), the CPU's
 * cores, memory and disk cards, the worker pool's table, and the history charts over 1 h, 6 h, 24 h.
 *
 * Test ids: `gpu-none`, `gpu-card` (data-index), `gpu-util`, `gpu-memory`, `gpu-temperature`,
 * `gpu-power`, `gpu-process` (data-pid, data-job-id), `cpu-total`, `cpu-core` (data-core),
 * `memory-used`, `disk-used`, `workers-table`, `worker-row` (data-pid, data-job-id), `workers-none`,
 * `monitor-range` (data-range, aria-pressed), `monitor-chart-machine`, `monitor-chart-gpu`.
 */
import { useMemo } from 'react';
import type { GpuInfo, MetricPoint, MonitorHistory, MonitorRange, MonitorSnapshot, WorkerInfo } from '../../shared/contract';
import { fmtBytes, fmtDuration, fmtInt, fmtNum, shortId } from '../lib/format';
import { routeHref } from '../stores/ui';
import { seriesColor, type LineSeries } from './chart-data';
import { SeriesChart } from './SeriesChart';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v)}%`);
const share = (used: number | null, total: number | null) => (used !== null && total ? (100 * used) / total : null);

function Meter({ percent }: { percent: number | null }) {
  const p = Math.max(0, Math.min(100, percent ?? 0));
  return (
    <div className="meter" aria-hidden="true">
      <div className={`meter-fill${p >= 90 ? ' meter-hot' : ''}`} style={{ width: `${p}%` }} />
    </div>
  );
}

function JobLink({ jobId }: { jobId: string | null }) {
  if (!jobId) return <span className="muted">—</span>;
  return (
    <a href={routeHref('jobs', jobId)} className="mono" title={jobId}>
      {shortId(jobId)}
    </a>
  );
}

export function GpuCards({ gpus }: { gpus: MonitorSnapshot['gpus'] }) {
  if (!gpus.available) {
    return (
      <p className="gpu-none" data-testid="gpu-none">
        No GPU: {gpus.reason ?? 'nvidia-smi gave no reading'}
      </p>
    );
  }
  return (
    <div className="gpu-cards">
      {gpus.devices.map((g) => (
        <GpuCard key={g.index} gpu={g} />
      ))}
    </div>
  );
}

function GpuCard({ gpu: g }: { gpu: GpuInfo }) {
  const memPct = share(g.memoryUsedMb, g.memoryTotalMb);
  return (
    <div className="card gpu-card" data-testid="gpu-card" data-index={g.index}>
      <div className="gpu-card-head">
        <span className="card-label">GPU {g.index}</span>
        <span className="gpu-name">{g.name ?? 'NVIDIA GPU'}</span>
        <span className="muted mono gpu-uuid">{g.uuid ?? ''}</span>
      </div>
      <div className="gpu-stats">
        <div>
          <div className="card-label">Utilisation</div>
          <div className="card-value num" data-testid="gpu-util">
            {pct(g.utilPercent)}
          </div>
          <Meter percent={g.utilPercent} />
        </div>
        <div>
          <div className="card-label">Memory</div>
          <div className="card-value num" data-testid="gpu-memory">
            {fmtInt(g.memoryUsedMb)} / {fmtInt(g.memoryTotalMb)} MiB
          </div>
          <Meter percent={memPct} />
        </div>
        <div>
          <div className="card-label">Temperature</div>
          <div className="card-value num" data-testid="gpu-temperature">
            {g.temperatureC === null ? '—' : `${g.temperatureC} °C`}
          </div>
        </div>
        <div>
          <div className="card-label">Power</div>
          <div className="card-value num" data-testid="gpu-power">
            {g.powerW === null ? '—' : `${fmtNum(g.powerW)} W`}
            {g.powerLimitW !== null && <span className="muted"> / {fmtNum(g.powerLimitW)} W</span>}
          </div>
          <Meter percent={share(g.powerW, g.powerLimitW)} />
        </div>
      </div>
      <table className="table gpu-processes">
        <thead>
          <tr>
            <th>PID</th>
            <th>Process</th>
            <th>GPU memory</th>
            <th>Job</th>
          </tr>
        </thead>
        <tbody>
          {g.processes.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No process on this GPU
              </td>
            </tr>
          )}
          {g.processes.map((p) => (
            <tr key={p.pid} data-testid="gpu-process" data-pid={p.pid} data-job-id={p.jobId ?? ''}>
              <td className="mono">{p.pid}</td>
              <td>{p.name ?? '—'}</td>
              <td className="num">{p.usedMemoryMb === null ? '—' : `${fmtInt(p.usedMemoryMb)} MiB`}</td>
              <td>
                <JobLink jobId={p.jobId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MachineCards({ snapshot: s }: { snapshot: MonitorSnapshot }) {
  return (
    <div className="cards">
      <div className="card cpu-card">
        <div className="card-label">CPU · {s.cpu.perCore.length} cores</div>
        <div className="card-value num" data-testid="cpu-total">
          {pct(s.cpu.totalPercent)}
        </div>
        <div className="core-grid">
          {s.cpu.perCore.map((c, i) => (
            <div key={i} className="core" data-testid="cpu-core" data-core={i} title={`core ${i}: ${pct(c)}`}>
              <div className="core-fill" style={{ height: `${Math.max(0, Math.min(100, c ?? 0))}%` }} />
            </div>
          ))}
        </div>
      </div>
      <div className="card">
        <div className="card-label">Memory</div>
        <div className="card-value num" data-testid="memory-used">
          {fmtBytes(s.memory.usedBytes)} / {fmtBytes(s.memory.totalBytes)}
        </div>
        <Meter percent={share(s.memory.usedBytes, s.memory.totalBytes)} />
      </div>
      <div className="card">
        <div className="card-label">Disk of the data directory</div>
        <div className="card-value num" data-testid="disk-used">
          {s.disk ? `${fmtBytes(s.disk.usedBytes)} / ${fmtBytes(s.disk.totalBytes)}` : '—'}
        </div>
        {s.disk && (
          <>
            <Meter percent={share(s.disk.usedBytes, s.disk.totalBytes)} />
            <div className="muted">{fmtBytes(s.disk.freeBytes)} free</div>
          </>
        )}
      </div>
    </div>
  );
}

export function WorkersTable({ workers }: { workers: WorkerInfo[] }) {
  if (workers.length === 0) {
    return (
      <p className="muted" data-testid="workers-none">
        No worker process is running.
      </p>
    );
  }
  return (
    <table className="table workers-table" data-testid="workers-table">
      <thead>
        <tr>
          <th>PID</th>
          <th>Job</th>
          <th>Uptime</th>
          <th>Heartbeat</th>
          <th>RSS</th>
          <th>CPU</th>
        </tr>
      </thead>
      <tbody>
        {workers.map((w) => (
          <tr key={w.pid} data-testid="worker-row" data-pid={w.pid} data-job-id={w.jobId ?? ''}>
            <td className="mono">{w.pid}</td>
            <td>{w.jobId ? <JobLink jobId={w.jobId} /> : <span className="muted">idle (warm)</span>}</td>
            <td className="num">{fmtDuration(w.uptimeMs)}</td>
            <td className="num">{w.heartbeatAgeMs === null ? '—' : `${fmtDuration(w.heartbeatAgeMs)} ago`}</td>
            <td className="num">{w.rssMb === null ? '—' : `${fmtInt(w.rssMb)} MiB`}</td>
            <td className="num">{pct(w.cpuPercent)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const RANGES: MonitorRange[] = ['1h', '6h', '24h'];

export function RangeTabs({ value, onChange }: { value: MonitorRange; onChange: (r: MonitorRange) => void }) {
  return (
    <div className="range-tabs" role="group" aria-label="History range">
      {RANGES.map((r) => (
        <button key={r} type="button" className={`chip${r === value ? ' on' : ''}`} aria-pressed={r === value} data-testid="monitor-range" data-range={r} onClick={() => onChange(r)}>
          {r}
        </button>
      ))}
    </div>
  );
}

const LABELS: Record<string, string> = { cpu: 'CPU %', memory: 'Memory %', disk: 'Disk %' };

/** A column of values at times `ts` as one chart line (nulls left out: the chart spans the gap). */
export function columnLine(id: string, label: string, ts: number[], values: (number | null)[], colorIndex: number): LineSeries {
  const points: MetricPoint[] = [];
  ts.forEach((t, i) => {
    const v = values[i];
    if (v !== null && v !== undefined) points.push({ step: i, ts: t, value: v });
  });
  return { id, label, color: seriesColor(colorIndex), points };
}

const lineOf = (h: MonitorHistory, key: string, label: string, index: number) => columnLine(key, label, h.ts, h.series[key] ?? [], index);

export function MonitorCharts({ history }: { history: MonitorHistory }) {
  const machine = useMemo(() => ['cpu', 'memory', 'disk'].map((k, i) => lineOf(history, k, LABELS[k], i)), [history]);
  const gpu = useMemo(() => {
    const keys = Object.keys(history.series)
      .filter((k) => /^gpu\d+\.(util|memory)$/.test(k))
      .sort();
    return keys.map((k, i) => {
      const [dev, what] = k.split('.');
      return lineOf(history, k, `GPU ${dev.slice(3)} ${what === 'util' ? 'utilisation' : 'memory'} %`, i + 3);
    });
  }, [history]);
  return (
    <div className="monitor-charts">
      <SeriesChart lines={machine} xMode="time" height={200} title="CPU, memory and disk (%)" testId="monitor-chart-machine" emptyText="No history yet." />
      {gpu.length > 0 && <SeriesChart lines={gpu} xMode="time" height={200} title="GPU utilisation and memory (%)" testId="monitor-chart-gpu" emptyText="No GPU history yet." />}
    </div>
  );
}
