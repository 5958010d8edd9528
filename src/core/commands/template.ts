/**
 * What a command job runs, worked out from its spec alone: the argv with its `{param}` placeholders
 * filled, the folder, and the environment Trainyard adds. Pure, so every place that runs command jobs
 * (this machine's executor, a cluster's) runs the same thing.
 */
import { homedir } from 'node:os';
import type { CommandSpec, ParamValue } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';

/** Where the program finds Trainyard's files for this run, each passed as an environment variable. */
export interface CommandFiles {
  /** TRAINYARD_ARTIFACTS_DIR: whatever the program writes here becomes the run's artifacts. */
  artifactsDir: string;
  /** TRAINYARD_METRICS_FILE: JSON lines the program appends, one object of metrics per line. */
  metricsFile: string;
  /** TRAINYARD_PRUNE_FILE: appears when Trainyard asks the program to stop (a pruned trial, a cancel). */
  pruneFile: string;
  jobId: string;
  runId: string;
}

export interface CommandInvocation {
  argv: string[];
  /** Only what Trainyard adds; the program inherits the rest of the environment. */
  env: Record<string, string>;
  cwd: string;
}

/** `{name}`, where `{{` and `}}` stand for literal braces. */
const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

/** The names of the params a template refers to. */
export function templateParams(argv: readonly string[]): string[] {
  const names = new Set<string>();
  for (const arg of argv) for (const m of arg.matchAll(PLACEHOLDER)) if (m[1]) names.add(m[1]);
  return [...names];
}

/** Fills one argument; a placeholder with no param is refused, naming the argument. */
export function fillTemplate(arg: string, params: Record<string, ParamValue>, field = 'argv'): string {
  return arg.replace(PLACEHOLDER, (whole, name: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const value = name === undefined ? undefined : params[name];
    if (value === undefined) {
      const known = Object.keys(params);
      throw new InvalidInput(`${field}: ${JSON.stringify(arg)} names the param {${name}}, which is not set (params: ${known.length ? known.join(', ') : 'none'})`, field);
    }
    return String(value);
  });
}

export function commandInvocation(spec: CommandSpec, params: Record<string, ParamValue> = spec.params, files?: CommandFiles): CommandInvocation {
  const argv = spec.argv.map((arg, i) => fillTemplate(arg, params, `spec.argv.${i}`));
  const env: Record<string, string> = { ...spec.env, TRAINYARD_PARAMS: JSON.stringify(params) };
  if (files) {
    Object.assign(env, {
      TRAINYARD_ARTIFACTS_DIR: files.artifactsDir,
      TRAINYARD_METRICS_FILE: files.metricsFile,
      TRAINYARD_PRUNE_FILE: files.pruneFile,
      TRAINYARD_JOB_ID: files.jobId,
      TRAINYARD_RUN_ID: files.runId,
    });
  }
  return { argv, env, cwd: spec.cwd ?? homedir() };
}

export { commandName } from '../../shared/command-name';
