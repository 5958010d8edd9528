/**
 * A command runs as the leader of its own process group (a new session: `detached`), so a cancel
 * reaches everything it started (data loader workers, a shell's children): SIGTERM to the group,
 * then SIGKILL after the grace period.
 *
 * The group outlives a core that is killed: each running group is recorded in a file under
 * `<dataDir>/commands/` (job id, pgid, the leader's start time from /proc), and the next core kills
 * the groups still alive before it re-queues their jobs. The start time tells a group that is still
 * ours from a pid the kernel has since given to another program, as the data directory lock does.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { statField, statFields } from '../proc-stat';

export interface GroupRecord {
  jobId: string;
  pgid: number;
  /** The leader's start time in clock ticks since boot (/proc/<pid>/stat field 22); null without /proc. */
  procStart: string | null;
  startedAt: number;
}

/** /proc/<pid>/stat fields after the name: [state, ppid, pgrp, session, ...]. */
function statOf(pid: number): string[] | null {
  try {
    return statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

export function processStart(pid: number): string | null {
  return statOf(pid)?.[statField(22)] ?? null;
}

/** Pids of live processes in process group `pgid` (zombies left out); null where there is no /proc. */
export function groupMembers(pgid: number): number[] | null {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  const members: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const f = statOf(Number(name));
    if (f && f[0] !== 'Z' && Number(f[2]) === pgid) members.push(Number(name));
  }
  return members;
}

/** Sends `signal` to the whole group; false when no process of it was left to receive it. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

export class GroupRecords {
  constructor(private readonly dir: string) {}

  add(rec: GroupRecord): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileSync(this.file(rec.jobId), JSON.stringify(rec), { mode: 0o600 });
  }

  remove(jobId: string): void {
    rmSync(this.file(jobId), { force: true });
  }

  private file(jobId: string): string {
    return join(this.dir, `${jobId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
  }

  /**
   * Kills the groups a previous core left running and removes every record. A group counts as ours
   * while its leader is gone (the kernel reuses no pid still naming a live group) or still has the
   * recorded start time; a leader with another start time is someone else's process, left alone.
   */
  reapOrphans(log: (message: string, context: Record<string, unknown>) => void): GroupRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const killed: GroupRecord[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      let rec: GroupRecord;
      try {
        rec = JSON.parse(readFileSync(path, 'utf8')) as GroupRecord;
      } catch (err) {
        log('A command job record could not be read; it is removed', { file: path, error: err });
        rmSync(path, { force: true });
        continue;
      }
      if (Number.isInteger(rec.pgid) && rec.pgid > 1 && this.stillOurs(rec)) {
        if (signalGroup(rec.pgid, 'SIGKILL')) {
          killed.push(rec);
          log('Killed the process group of a command job a previous Trainyard left running', { jobId: rec.jobId, pgid: rec.pgid });
        }
      }
      rmSync(path, { force: true });
    }
    return killed;
  }

  private stillOurs(rec: GroupRecord): boolean {
    const members = groupMembers(rec.pgid);
    if (members === null) return false; // no /proc: a bare pid is too little to kill on
    if (members.length === 0) return false;
    const leaderStart = processStart(rec.pgid);
    return leaderStart === null || rec.procStart === null || leaderStart === rec.procStart;
  }
}
