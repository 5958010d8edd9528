/**
 * The one nvidia-smi reader: every part of the core that wants to know about NVIDIA GPUs (the
 * monitor, the scheduler's capacity, the compute backends' device name, a run's system sampler)
 * asks it, and it asks nvidia-smi.
 *
 * - Async, never blocking: nvidia-smi runs as a child process; a hung one is killed (with anything
 *   it started) after `timeoutMs`, and the reading says so.
 * - Concurrent callers share one in-flight call, and a reading is kept for `cacheMs`, so ten callers
 *   in the same second cost one spawn.
 * - A failure is an answer, not a throw: `{ ok: false, reason }` in one line a person can act on
 *   (not installed, failed with its message, did not answer, printed something unreadable). A
 *   machine without nvidia-smi is asked again only every `retryMs`.
 *
 * The parser reads `--format=csv,noheader,nounits` and also the header and unit forms
 * (`--format=csv`), since that is what people paste: header names differ from query names
 * (`clocks.sm` comes back as `clocks.current.sm [MHz]`), so columns are taken by position.
 */
import { spawn } from 'node:child_process';

/** What the reader asks for, in this order. */
export const GPU_FIELDS = ['index', 'uuid', 'name', 'utilization.gpu', 'memory.used', 'memory.total', 'temperature.gpu', 'power.draw', 'power.limit'] as const;
export const APP_FIELDS = ['pid', 'process_name', 'used_memory', 'gpu_uuid'] as const;

export interface GpuSample {
  index: number;
  uuid: string | null;
  name: string | null;
  utilPercent: number | null;
  memoryUsedMb: number | null;
  memoryTotalMb: number | null;
  temperatureC: number | null;
  powerW: number | null;
  powerLimitW: number | null;
}

export interface GpuProcess {
  pid: number;
  name: string | null;
  usedMemoryMb: number | null;
  gpuUuid: string | null;
}

export type GpuReading =
  | { ok: true; at: number; gpus: GpuSample[]; processes: GpuProcess[] }
  | { ok: false; at: number; reason: string };

/** `[N/A]`, `[Not Supported]`, `[Unknown Error]`...: a value the device does not report. */
const isMissing = (cell: string) => cell === '' || /^\[.*\]$/.test(cell) || cell === 'N/A';

/** A number, with or without its unit (`34`, `34 %`, `143771 MiB`), or null where not reported. */
export function numberCell(cell: string | undefined): number | null {
  if (cell === undefined) return null;
  const c = cell.trim();
  if (isMissing(c)) return null;
  const m = /^-?\d+(?:\.\d+)?/.exec(c);
  return m ? Number(m[0]) : null;
}

const textCell = (cell: string | undefined): string | null => (cell === undefined || isMissing(cell.trim()) ? null : cell.trim());

/**
 * Rows of a `--format=csv` output as arrays of cells, the header (if any) left out. nvidia-smi
 * separates cells with ", " and quotes nothing; names it prints contain no commas.
 */
export function parseCsvRows(text: string, fields: readonly string[]): string[][] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const rows = lines.map((l) => l.split(',').map((c) => c.trim()));
  // A header starts with the first field's name (possibly with a unit: `index`, `pid`).
  if (rows.length > 0 && rows[0][0].split(' ')[0] === fields[0]) rows.shift();
  return rows;
}

/** A cell picker by query field name; absent fields read as undefined. */
const picker = (fields: readonly string[], cells: string[]) => (name: string) => {
  const i = fields.indexOf(name);
  return i >= 0 ? cells[i] : undefined;
};

/** A row is a GPU only if its index is a whole number and it has every column asked for. */
const isWholeNumber = (cell: string | undefined) => cell !== undefined && /^\d+$/.test(cell.trim());

/** `--query-gpu` output, with `fields` the query's field list in order (GPU_FIELDS by default). Rows that are not GPUs are left out. */
export function parseGpuCsv(text: string, fields: readonly string[] = GPU_FIELDS): GpuSample[] {
  return parseCsvRows(text, fields)
    .filter((cells) => cells.length === fields.length && isWholeNumber(picker(fields, cells)('index')))
    .map((cells) => {
      const at = picker(fields, cells);
      return {
        index: Number(at('index')),
        uuid: textCell(at('uuid')),
        name: textCell(at('name')),
        utilPercent: numberCell(at('utilization.gpu')),
        memoryUsedMb: numberCell(at('memory.used')),
        memoryTotalMb: numberCell(at('memory.total')),
        temperatureC: numberCell(at('temperature.gpu')),
        powerW: numberCell(at('power.draw')),
        powerLimitW: numberCell(at('power.limit')),
      };
    });
}

/** `--query-compute-apps` output (APP_FIELDS by default). */
export function parseAppsCsv(text: string, fields: readonly string[] = APP_FIELDS): GpuProcess[] {
  return parseCsvRows(text, fields)
    .filter((cells) => cells.length === fields.length && isWholeNumber(picker(fields, cells)('pid')))
    .map((cells) => {
      const at = picker(fields, cells);
      return { pid: Number(at('pid')), name: textCell(at('process_name')), usedMemoryMb: numberCell(at('used_memory')), gpuUuid: textCell(at('gpu_uuid')) };
    })
    .filter((p) => p.pid > 0);
}

type RunResult = { ok: true; stdout: string } | { ok: false; reason: string; missing: boolean };

/** The first line worth showing of what a failing command printed. */
const firstLine = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';

/**
 * Runs `command args` and collects its output. On timeout the whole process group is killed and the
 * promise settles at once: a child it started that holds the pipe open does not keep us waiting.
 */
function runCommand(command: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      killGroup(child.pid);
      done({ ok: false, missing: false, reason: `${command} did not answer within ${(timeoutMs / 1000).toFixed(timeoutMs < 1000 ? 1 : 0)} s and was stopped` });
    }, timeoutMs);
    timer.unref();
    child.on('error', (e: NodeJS.ErrnoException) => {
      const missing = e.code === 'ENOENT';
      done({ ok: false, missing, reason: missing ? `${command} is not installed (no NVIDIA driver on this machine)` : `${command} could not be started: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code === 0) return done({ ok: true, stdout });
      const said = firstLine(Buffer.concat(err).toString('utf8')) || firstLine(stdout);
      const how = signal ? `was killed by ${signal}` : `failed (exit ${code})`;
      done({ ok: false, missing: false, reason: `${command} ${how}${said ? `: ${said.slice(0, 200)}` : ''}` });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    // Already gone: nothing to stop.
  }
}

export interface NvidiaSmiOptions {
  /** The program to run; `nvidia-smi` on PATH by default. */
  command?: string;
  /** A call that takes longer is killed and reported. */
  timeoutMs?: number;
  /** How long a good reading is reused. */
  cacheMs?: number;
  /** How long a failed reading is reused before nvidia-smi is asked again. */
  retryMs?: number;
  /** How long "not installed" is believed before looking again (a driver installed while Trainyard runs). */
  missingRetryMs?: number;
}

export class NvidiaSmi {
  private readonly command: string;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly retryMs: number;
  private readonly missingRetryMs: number;
  private cached: { reading: GpuReading; until: number } | null = null;
  private inFlight: Promise<GpuReading> | null = null;
  /** How many times nvidia-smi was asked (each a pair of calls): what the sharing saves is measurable. */
  spawns = 0;

  constructor(opts: NvidiaSmiOptions | string = {}) {
    const o = typeof opts === 'string' ? { command: opts } : opts;
    this.command = o.command ?? 'nvidia-smi';
    this.timeoutMs = o.timeoutMs ?? 5000;
    this.cacheMs = o.cacheMs ?? 1000;
    this.retryMs = o.retryMs ?? 10_000;
    this.missingRetryMs = o.missingRetryMs ?? 60_000;
  }

  /** The GPUs and their processes, from cache, from the call in flight, or from a new call. */
  read(): Promise<GpuReading> {
    if (this.cached && Date.now() < this.cached.until) return Promise.resolve(this.cached.reading);
    this.inFlight ??= this.ask().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** The sampler's form: the reading, or null where there is none. */
  async sample(): Promise<{ gpus: GpuSample[]; processes: GpuProcess[] } | null> {
    const r = await this.read();
    return r.ok ? { gpus: r.gpus, processes: r.processes } : null;
  }

  private async ask(): Promise<GpuReading> {
    this.spawns++;
    const format = '--format=csv,noheader,nounits';
    const [gpus, apps] = await Promise.all([
      runCommand(this.command, [`--query-gpu=${GPU_FIELDS.join(',')}`, format], this.timeoutMs),
      runCommand(this.command, [`--query-compute-apps=${APP_FIELDS.join(',')}`, format], this.timeoutMs),
    ]);
    const at = Date.now();
    let reading: GpuReading;
    let keepMs = this.cacheMs;
    if (!gpus.ok) {
      reading = { ok: false, at, reason: gpus.reason };
      keepMs = gpus.missing ? this.missingRetryMs : this.retryMs;
    } else {
      const parsed = parseGpuCsv(gpus.stdout);
      if (parsed.length > 0) {
        // The process list is a detail: a failing apps query leaves the GPUs readable.
        reading = { ok: true, at, gpus: parsed, processes: apps.ok ? parseAppsCsv(apps.stdout) : [] };
      } else {
        const line = firstLine(gpus.stdout);
        reading = { ok: false, at, reason: line ? `${this.command} printed output Trainyard cannot read: "${line.slice(0, 120)}"` : `${this.command} lists no GPU` };
        keepMs = this.retryMs;
      }
    }
    this.cached = { reading, until: at + keepMs };
    return reading;
  }
}

const shared = new Map<string, NvidiaSmi>();

/**
 * The process-wide reader for `command` (nvidia-smi on PATH by default):
 * the monitor, the scheduler and the compute backends all use this one, so they share its cache.
 */
export function nvidiaSmi(command = 'nvidia-smi'): NvidiaSmi {
  let reader = shared.get(command);
  if (!reader) shared.set(command, (reader = new NvidiaSmi({ command })));
  return reader;
}
