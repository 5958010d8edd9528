/**
 * "New command job": the user's own program (a PyTorch script, a shell line) as a queued job. The
 * command line is split as a shell splits words (no expansion); `{name}` placeholders are filled from
 * the params, which the program also gets as TRAINYARD_PARAMS. The core validates the rest.
 *
 * Test ids: `command-form`, `command-line-input`, `command-cwd-input`, `command-env-input`,
 * `command-params-input`, `command-name-input`, `command-gpus-input`, `command-priority-select`,
 * `command-max-attempts-input`, `submit-command`, `error-banner`.
 */
import { useState, type FormEvent } from 'react';
import { PRIORITY_ORDER, type Job, type Priority } from '../../shared/contract';
import { api } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { FormActions, invalidMark, useFormFeedback } from '../components/form-parts';
import { LabelledSelect } from '../components/LabelledSelect';
import { RunWhereSelect } from '../components/RunWhereSelect';
import { paramValue, parseAssignments, splitCommandLine } from '../lib/command-line';
import { useJobs } from '../stores/jobs';

type Control = 'argv' | 'cwd' | 'env' | 'params' | 'name' | 'gpus' | 'maxAttempts';

function controlForField(field: string | undefined): Control | null {
  if (!field) return null;
  if (field.startsWith('resources')) return 'gpus';
  if (field.startsWith('retryPolicy')) return 'maxAttempts';
  const path = field.replace(/^spec\./, '');
  for (const c of ['argv', 'cwd', 'env', 'params', 'name'] as const) if (path.startsWith(c)) return c;
  return null;
}

export function CommandJobForm({ onCreated, onClose }: { onCreated: (job: Job) => void; onClose: () => void }) {
  const [line, setLine] = useState('');
  const [cwd, setCwd] = useState('');
  const [env, setEnv] = useState('');
  const [params, setParams] = useState('');
  const [name, setName] = useState('');
  const [gpus, setGpus] = useState('0');
  const [cluster, setCluster] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [maxAttempts, setMaxAttempts] = useState('1');
  const { busy, error, invalid, fail, clear, run } = useFormFeedback<Control, 'submit'>(controlForField);

  async function submit(ev: FormEvent): Promise<void> {
    ev.preventDefault();
    if (busy) return;
    clear();
    let argv: string[];
    let envVars: Record<string, string>;
    let values: Record<string, string | number | boolean>;
    try {
      argv = splitCommandLine(line);
    } catch (err) {
      return fail(err, 'argv');
    }
    if (argv.length === 0) return fail(new Error('Type the command to run, e.g. python3 train.py --lr {lr}'), 'argv');
    try {
      envVars = parseAssignments(env, 'Environment');
    } catch (err) {
      return fail(err, 'env');
    }
    try {
      values = Object.fromEntries(Object.entries(parseAssignments(params, 'Params')).map(([k, v]) => [k, paramValue(v)]));
    } catch (err) {
      return fail(err, 'params');
    }
    if (!/^\d+$/.test(gpus.trim())) return fail(new Error('GPUs must be a whole number, 0 or more'), 'gpus');
    if (!/^[1-9]\d*$/.test(maxAttempts.trim())) return fail(new Error('Max attempts must be a whole number, 1 or more'), 'maxAttempts');
    await run('submit', async () => {
      const job = await api().jobs.create({
        spec: { kind: 'command', argv, env: envVars, params: values, ...(cwd.trim() ? { cwd: cwd.trim() } : {}), ...(name.trim() ? { name: name.trim() } : {}) },
        priority,
        ...(cluster ? { cluster } : {}),
        resources: { gpus: Number(gpus), cpuSlots: 1, memoryMB: 512 },
        retryPolicy: { maxAttempts: Number(maxAttempts), backoffMs: 5000 },
        after: [],
      });
      useJobs.getState().upsert(job);
      onCreated(job);
    });
  }

  const inv = (c: Control) => invalidMark(invalid === c);
  return (
    <form className="new-job" onSubmit={submit} noValidate data-testid="command-form" aria-label="New command job">
      <div className="form-grid">
        <fieldset className="form-block">
          <legend>Command</legend>
          <label className="field">
            <span>Command line</span>
            <input type="text" data-testid="command-line-input" placeholder="python3 train.py --lr {lr} --epochs 20" value={line} onChange={(e) => setLine(e.target.value)} {...inv('argv')} />
            <small className="muted">
              Print <code>TRAINYARD_METRIC {'{"step": 3, "loss": 0.41}'}</code> lines to record metrics; files saved in $TRAINYARD_ARTIFACTS_DIR become the run&apos;s artifacts.
            </small>
          </label>
          <label className="field">
            <span>Working folder</span>
            <input type="text" data-testid="command-cwd-input" placeholder="an absolute path (default: your home folder)" value={cwd} onChange={(e) => setCwd(e.target.value)} {...inv('cwd')} />
          </label>
          <label className="field">
            <span>Name</span>
            <input type="text" data-testid="command-name-input" placeholder="the program and its first argument" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} {...inv('name')} />
          </label>
        </fieldset>
        <fieldset className="form-block">
          <legend>Params and environment</legend>
          <label className="field">
            <span>Params (one name=value a line)</span>
            <textarea data-testid="command-params-input" rows={3} placeholder={'lr=0.01\nepochs=20'} value={params} onChange={(e) => setParams(e.target.value)} {...inv('params')} />
          </label>
          <label className="field">
            <span>Environment (one NAME=value a line)</span>
            <textarea data-testid="command-env-input" rows={3} placeholder="OMP_NUM_THREADS=4" value={env} onChange={(e) => setEnv(e.target.value)} {...inv('env')} />
          </label>
        </fieldset>
        <fieldset className="form-block">
          <legend>Queue</legend>
          <div className="row">
            <LabelledSelect label="Priority" data-testid="command-priority-select" value={priority} onChange={(e) => setPriority(e.target.value as Priority)} options={PRIORITY_ORDER} />
            <RunWhereSelect value={cluster} onChange={setCluster} testId="command-run-where-select" />
            <label className="field" title="GPUs the job needs; it starts only when that many are free, pinned with CUDA_VISIBLE_DEVICES">
              <span>GPUs</span>
              <input type="number" inputMode="numeric" min={0} data-testid="command-gpus-input" value={gpus} onChange={(e) => setGpus(e.target.value)} {...inv('gpus')} />
            </label>
            <label className="field" title="Attempts in all, the first included: a program that exits non-zero is retried until this many">
              <span>Max attempts</span>
              <input type="number" inputMode="numeric" min={1} data-testid="command-max-attempts-input" value={maxAttempts} onChange={(e) => setMaxAttempts(e.target.value)} {...inv('maxAttempts')} />
            </label>
          </div>
        </fieldset>
      </div>
      <ErrorBanner message={error?.message} onDismiss={clear} />
      <FormActions note="Cancel sends SIGTERM to the program's process group, then SIGKILL after 10 s." onCancel={onClose} submitTestId="submit-command" busy={busy !== null} submitting={busy === 'submit'} label="Queue command" busyLabel="Submitting…" />
    </form>
  );
}
