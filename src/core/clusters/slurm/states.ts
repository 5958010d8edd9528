/**
 * What a Slurm job state means for a Trainyard job: still in flight, or ended, and how, with the
 * cause in words. Slurm's base states are listed in `man squeue` (JOB STATE CODES).
 */
import type { Crash, JobOutcome } from '../../queue';

const IN_FLIGHT = new Set([
  'PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD',
  'RESIZING', 'SIGNALING', 'STAGE_OUT', 'STOPPED', 'RESV_DEL_HOLD', 'SPECIAL_EXIT',
]);

export interface SlurmEnd {
  /** The base state (`CANCELLED by 0` is CANCELLED). */
  state: string;
  /** Wait status as squeue's exit_code gives it, or `code:signal` as sacct does. */
  exitCode: number | null;
  signal: number | null;
  reason: string;
}

export const baseState = (state: string): string => state.trim().split(/[\s+]/)[0].toUpperCase();

export const inFlight = (state: string): boolean => IN_FLIGHT.has(baseState(state));

/** squeue's exit_code is a wait status (768 is exit 3; 9 is SIGKILL); sacct's is `3:0`. */
export function parseExit(raw: string): { exitCode: number | null; signal: number | null } {
  const t = raw.trim();
  if (t.includes(':')) {
    const [code, signal] = t.split(':').map(Number);
    return { exitCode: Number.isFinite(code) ? code : null, signal: Number.isFinite(signal) && signal > 0 ? signal : null };
  }
  const status = Number(t);
  if (t === '' || !Number.isFinite(status)) return { exitCode: null, signal: null };
  const signal = status & 0x7f;
  return signal ? { exitCode: null, signal } : { exitCode: (status >> 8) & 0xff, signal: null };
}

export interface EndContext {
  clusterJobId: string;
  cluster: string;
  /** What Trainyard asked of the cluster, for the words of a limit it hit. */
  memoryMB: number;
  timeLimitMinutes?: number;
  /** The last lines of the job's Slurm output file. */
  tail: string[];
}

/**
 * An ended Slurm job with no result from Trainyard's node process, as a job outcome. A NODE_FAIL and
 * a non-zero exit are crashes (the job's retry policy applies); a preemption puts it back in the queue.
 */
export function outcomeOfEnd(end: SlurmEnd, ctx: EndContext): JobOutcome {
  const where = `Slurm job ${ctx.clusterJobId} on cluster ${ctx.cluster}`;
  const crash = (): Crash => ({ code: end.exitCode, signal: end.signal === null ? null : `SIG${signalName(end.signal)}`, tail: ctx.tail });
  switch (baseState(end.state)) {
    case 'COMPLETED':
      return { status: 'failed', error: `${where} ended without a result from Trainyard (its output: ${ctx.tail.slice(-1)[0] ?? 'empty'})`, crash: crash() };
    case 'CANCELLED':
      return { status: 'cancelled', cause: `cancelled on the cluster, outside Trainyard (${where} was cancelled, e.g. by scancel)` };
    case 'TIMEOUT':
      return { status: 'failed', error: `${where} hit its time limit${ctx.timeLimitMinutes ? ` of ${ctx.timeLimitMinutes} min` : ''} and was ended by Slurm (TIMEOUT)` };
    case 'OUT_OF_MEMORY':
      return { status: 'failed', error: `${where} ran out of memory: it asked for ${ctx.memoryMB} MB (--mem) and Slurm ended it (OUT_OF_MEMORY); ask for more with --memory` };
    case 'NODE_FAIL':
      return { status: 'failed', error: `The node running ${where} failed (NODE_FAIL)`, crash: crash() };
    case 'PREEMPTED':
      return { status: 'requeued', cause: `${where} was preempted by the cluster (PREEMPTED)` };
    case 'BOOT_FAIL':
      return { status: 'failed', error: `The node for ${where} failed to boot (BOOT_FAIL)`, crash: crash() };
    case 'DEADLINE':
      return { status: 'failed', error: `${where} passed its deadline and was ended by Slurm (DEADLINE)` };
    default: {
      const how = end.signal !== null ? `was killed by SIG${signalName(end.signal)}` : `exited with code ${end.exitCode ?? 'unknown'}`;
      const last = ctx.tail.filter((l) => l.trim()).slice(-1)[0];
      return { status: 'failed', error: `${where} ${how} (${baseState(end.state)}${end.reason && end.reason !== 'None' ? `, ${end.reason}` : ''})${last ? `: ${last}` : ''}`, crash: crash() };
    }
  }
}

const SIGNALS: Record<number, string> = { 1: 'HUP', 2: 'INT', 6: 'ABRT', 9: 'KILL', 11: 'SEGV', 15: 'TERM' };
const signalName = (n: number) => SIGNALS[n] ?? String(n);
