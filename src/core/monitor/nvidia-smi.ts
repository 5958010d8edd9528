/**
 * GPU utilisation and memory from `nvidia-smi --query-gpu=... --format=csv,noheader,nounits`, and
 * per-process GPU memory from `--query-compute-apps`. The parser also reads the header and unit
 * forms (`--format=csv`), since that is what people paste: header names differ from query names
 * (`clocks.sm` comes back as `clocks.current.sm [MHz]`), so columns are taken by position.
 */
import { execFile } from 'node:child_process';

/** What the sampler asks for, in this order. */
export const GPU_FIELDS = ['index', 'uuid', 'utilization.gpu', 'memory.used', 'memory.total'] as const;
export const APP_FIELDS = ['pid', 'used_memory', 'gpu_uuid'] as const;

export interface GpuSample {
  index: number;
  uuid: string | null;
  utilPercent: number | null;
  memoryUsedMb: number | null;
  memoryTotalMb: number | null;
}

export interface GpuProcess {
  pid: number;
  usedMemoryMb: number | null;
  gpuUuid: string | null;
}

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

/** `--query-gpu` output, with `fields` the query's field list in order (GPU_FIELDS by default). */
export function parseGpuCsv(text: string, fields: readonly string[] = GPU_FIELDS): GpuSample[] {
  const at = (name: string) => fields.indexOf(name);
  return parseCsvRows(text, fields)
    .map((cells) => ({
      index: numberCell(cells[at('index')]) ?? -1,
      uuid: at('uuid') >= 0 ? textCell(cells[at('uuid')]) : null,
      utilPercent: at('utilization.gpu') >= 0 ? numberCell(cells[at('utilization.gpu')]) : null,
      memoryUsedMb: at('memory.used') >= 0 ? numberCell(cells[at('memory.used')]) : null,
      memoryTotalMb: at('memory.total') >= 0 ? numberCell(cells[at('memory.total')]) : null,
    }))
    .filter((g) => g.index >= 0);
}

/** `--query-compute-apps` output (`pid, used_memory, gpu_uuid` by default). */
export function parseAppsCsv(text: string, fields: readonly string[] = APP_FIELDS): GpuProcess[] {
  const at = (name: string) => fields.indexOf(name);
  return parseCsvRows(text, fields)
    .map((cells) => ({
      pid: numberCell(cells[at('pid')]) ?? -1,
      usedMemoryMb: at('used_memory') >= 0 ? numberCell(cells[at('used_memory')]) : null,
      gpuUuid: at('gpu_uuid') >= 0 ? textCell(cells[at('gpu_uuid')]) : null,
    }))
    .filter((p) => p.pid > 0);
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8', windowsHide: true }, (err, stdout) => resolve(err ? null : stdout));
  });
}

/**
 * Reads GPUs and their processes through nvidia-smi. Where it is missing or fails, it answers null
 * and, after a failure, stops asking (a machine without NVIDIA GPUs pays for one spawn, not one a
 * tick).
 */
export class NvidiaSmi {
  private broken = false;

  constructor(
    private readonly command = 'nvidia-smi',
    private readonly timeoutMs = 3000,
  ) {}

  async sample(): Promise<{ gpus: GpuSample[]; processes: GpuProcess[] } | null> {
    if (this.broken) return null;
    const gpus = await run(this.command, [`--query-gpu=${GPU_FIELDS.join(',')}`, '--format=csv,noheader,nounits'], this.timeoutMs);
    if (gpus === null) {
      this.broken = true;
      return null;
    }
    const apps = await run(this.command, [`--query-compute-apps=${APP_FIELDS.join(',')}`, '--format=csv,noheader,nounits'], this.timeoutMs);
    return { gpus: parseGpuCsv(gpus), processes: apps === null ? [] : parseAppsCsv(apps) };
  }
}
