/**
 * Slurm's command-line tools, the one interface every Slurm version and site speaks (slurmrestd's
 * OpenAPI differs from release to release). Every call is async, never a shell, and a failure says
 * which command failed and what Slurm answered.
 */
import { execFile } from 'node:child_process';
import { Unavailable } from '../../../shared/errors';

export type SlurmTool = 'sbatch' | 'squeue' | 'sacct' | 'scancel' | 'sinfo';

/** Slurm answers in seconds even when loaded; a minute means the controller is not answering. */
const TIMEOUT_MS = 60_000;

export function slurm(tool: SlurmTool, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return reject(new Unavailable(`${tool} is not installed on this machine (Slurm's command-line tools are needed to use a Slurm cluster)`));
      const said = stderr.trim().split('\n').filter(Boolean).slice(-3).join(' / ') || err.message;
      reject(new SlurmFailed(tool, said));
    });
  });
}

/** A Slurm command that ran and refused (its exit status was not 0), with what it printed. */
export class SlurmFailed extends Unavailable {
  constructor(
    readonly tool: SlurmTool,
    readonly said: string,
  ) {
    super(`${tool} failed: ${said}`);
  }
}

/** Splits `a|b|c` lines of a `-o`/`-O`/`-P` listing into fields; blank lines dropped. */
export function rows(stdout: string, sep = '|'): string[][] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(sep).map((f) => f.trim()));
}
