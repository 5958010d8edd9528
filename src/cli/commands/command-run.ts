/**
 * `trainyard run [options] -- python train.py --lr {lr}`: queues the user's own program as a command
 * job, and `trainyard python-helper`: where the optional Python helper is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { PRIORITY_ORDER, type Priority } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { resourcesDir } from '../../core/paths';
import { ProgressBar } from '../format';
import { waitForJob } from '../wait';
import { collectParam, printJson, withSession } from './context';

interface RunOptions {
  name?: string;
  gpus: number;
  cpus: number;
  memory: number;
  priority: Priority;
  cwd?: string;
  env: Record<string, string>;
  param: Record<string, string | number | boolean>;
  experiment: string;
  grace: number;
  maxAttempts: number;
  backoff: number;
  after: string[];
  cluster?: string;
  wait?: boolean;
  json?: boolean;
}

/** `--env K=V` repeated; the value is kept as typed (an empty value is allowed). */
function collectEnv(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidInput(`--env expects NAME=value, got ${JSON.stringify(value)}`, 'env');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

const whole = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidInput(`${flag} must be a whole number, not ${JSON.stringify(v)}`, flag.slice(2));
  return n;
};

export const pythonHelperPath = () => join(resourcesDir(), 'python', 'trainyard.py');

export function registerCommandRunCommands(program: Command): void {
  program
    .command('run')
    .description('queue your own program as a job: trainyard run [options] -- python train.py --lr {lr}')
    .argument('<command...>', 'the program and its arguments, after --; {name} is replaced by the param name')
    .option('--name <name>', 'what the job is called in lists (default: the program and its first argument)')
    .option('--gpus <n>', 'GPUs the job needs (pinned with CUDA_VISIBLE_DEVICES)', whole('--gpus'), 0)
    .option('--cpus <n>', 'CPU slots the job needs', whole('--cpus'), 1)
    .option('--memory <MB>', 'memory the job needs, in MB', whole('--memory'), 512)
    .addOption(new Option('--priority <priority>', 'queue priority').choices(PRIORITY_ORDER as string[]).default('normal'))
    .option('--cwd <dir>', 'folder to run in (default: this one)')
    .option('--env <NAME=value>', 'environment variable for the program (repeatable)', collectEnv, {})
    .option('--param <key=value>', 'param for the {key} placeholders and TRAINYARD_PARAMS (repeatable)', collectParam, {})
    .option('--experiment <name>', 'experiment to record the run in', 'Default')
    .option('--grace <ms>', 'after SIGTERM, how long the program has before SIGKILL', whole('--grace'), 10_000)
    .option('--max-attempts <n>', 'attempts in all when the program fails (1: no automatic retry)', whole('--max-attempts'), 1)
    .option('--backoff <ms>', 'wait before the first automatic retry, doubled after each', whole('--backoff'), 5000)
    .option('--after <id>', 'start only after this job completed (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--cluster <name>', 'run it on this cluster target (trainyard clusters list) instead of this machine')
    .option('--wait', 'wait for the job to end (runs the queue here if no server does); exits 1 unless it completed')
    .option('--json', 'machine-readable output')
    .action(async (argv: string[], opts: RunOptions, cmd: Command) => {
      const cwd = resolve(opts.cwd ?? process.cwd());
      if (!existsSync(cwd)) throw new InvalidInput(`--cwd ${cwd} does not exist`, 'cwd');
      const job = await withSession(cmd, { scheduler: opts.wait === true }, async (s) => {
        const queued = await s.api.jobs.create({
          spec: { kind: 'command', argv, cwd, env: opts.env, params: opts.param, experiment: opts.experiment, graceMs: opts.grace, ...(opts.name ? { name: opts.name } : {}) },
          priority: opts.priority,
          resources: { gpus: opts.gpus, cpuSlots: opts.cpus, memoryMB: opts.memory },
          retryPolicy: { maxAttempts: Math.max(1, opts.maxAttempts), backoffMs: opts.backoff },
          after: opts.after,
          ...(opts.cluster ? { cluster: opts.cluster } : {}),
        });
        if (!opts.wait) {
          if (!opts.json) {
            process.stdout.write(`Queued job ${queued.id} (${queued.priority}).\n`);
            if (s.local) process.stdout.write(`No Trainyard server is running on this data directory: it will run under \`trainyard serve\`, or now with \`trainyard jobs wait ${queued.id}\`.\n`);
          }
          return queued;
        }
        const bar = opts.json ? null : new ProgressBar();
        const end = await waitForJob(s, queued.id, (j) => bar?.update(j));
        bar?.done();
        return end;
      });
      if (opts.json) printJson(job);
      else if (opts.wait) process.stdout.write(`Job ${job.id} ${job.status}${job.error ? `: ${job.error}` : ''}\n`);
      if (opts.wait && job.status !== 'completed') process.exitCode = 1;
    });

  program
    .command('python-helper')
    .description('the optional Python helper (one stdlib-only file): trainyard.log(step=..., loss=...), trainyard.should_prune()')
    .option('--path', 'print where the file is instead of its contents')
    .action((opts: { path?: boolean }) => {
      const file = pythonHelperPath();
      process.stdout.write(opts.path ? `${file}\n` : readFileSync(file, 'utf8'));
    });
}
