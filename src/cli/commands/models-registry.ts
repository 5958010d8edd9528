/**
 * `trainyard models list|show|register|rm`, `models alias set|rm` and `models gate set|check`:
 * registered models, their versions, aliases with history, and the validation gate.
 */
import type { Command } from 'commander';
import type { AliasEvent, GateConfig, GateReport, GateRule, ModelDetail, ModelVersion, PromotionHook, RegisteredModel } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { num, table, time } from '../format';
import type { Session } from '../session';
import { printJson, withSession } from './context';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `--tag k=v` repeated. */
export function collectTag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidInput(`--tag expects key=value, got ${JSON.stringify(value)}`, 'tag');
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1).trim() };
}

/** `METRIC[:TOLERANCE]`, the tolerance a fraction (0.01) or a percentage (1%); 1% when left out. */
export function championRule(text: string): GateRule {
  const colon = text.lastIndexOf(':');
  const metric = (colon > 0 ? text.slice(0, colon) : text).trim();
  const tol = colon > 0 ? text.slice(colon + 1).trim() : '1%';
  const tolerance = tol.endsWith('%') ? Number(tol.slice(0, -1)) / 100 : Number(tol);
  if (!metric || !Number.isFinite(tolerance) || tolerance < 0) throw new InvalidInput(`--champion-rule expects METRIC[:TOLERANCE] such as test.rmse:1%, got ${JSON.stringify(text)}`, 'champion-rule');
  return { kind: 'champion', metric, alias: 'champion', tolerance };
}

/** The metrics a versions table shows: errors and skill for forecasts, detection scores for anomaly models. */
function keyMetrics(task: RegisteredModel['task']): string[] {
  return task === 'anomaly' ? ['val.f1', 'test.f1', 'test.pr_auc'] : ['val.rmse', 'test.rmse', 'test.skill'];
}

const verdict = (passed: boolean) => (passed ? 'pass' : 'FAIL');
const pct = (tolerance: number) => `${Number((tolerance * 100).toPrecision(4))}%`;

function ruleText(rule: GateRule): string {
  return rule.kind === 'metric' ? rule.expr : `no worse than @${rule.alias} on ${rule.metric} by more than ${pct(rule.tolerance)} (same rows)`;
}

function hookText(hook: PromotionHook): string {
  return hook.kind === 'command' ? `command: ${hook.command}` : `POST ${hook.url}`;
}

export function reportText(r: GateReport): string {
  const head = `gate report ${r.id}  ${r.model}:${r.version}${r.alias ? ` as @${r.alias}` : ''}  ${time(r.at)}  ${r.passed ? 'PASSED' : 'FAILED'}`;
  if (!r.checks.length) return `${head}\n(no checks: the gate has no rules and the alias points nowhere)`;
  return `${head}\n${table(['rule', 'value', 'threshold', 'result', 'detail'], r.checks.map((c) => [c.rule, num(c.value), num(c.threshold), verdict(c.passed), c.detail]))}`;
}

function eventLine(e: AliasEvent): string {
  const move = e.toVersion === null ? `removed (was ${e.fromVersion})` : `${e.fromVersion ?? '-'} → ${e.toVersion}`;
  const gate = e.gate ? `  gate ${e.gate.passed ? 'passed' : 'failed'}` : '';
  const forced = e.forced ? '  FORCED' : '';
  const hooks = e.hooks.length ? `  hooks ${e.hooks.map((h) => (h.ok ? 'ok' : `failed (${h.detail})`)).join(', ')}` : '';
  return `${time(e.at)}  @${e.alias}  ${move}${gate}${forced}${e.reason ? `  reason: ${e.reason}` : ''}${hooks}`;
}

function gateText(g: GateConfig): string[] {
  return [
    `protected aliases: ${g.protectedAliases.length ? g.protectedAliases.map((a) => `@${a}`).join(', ') : '-'}`,
    g.rules.length ? 'rules:' : 'rules: (none)',
    ...g.rules.map((r) => `  ${ruleText(r)}`),
    g.hooks.length ? 'hooks:' : 'hooks: (none)',
    ...g.hooks.map((h) => `  ${hookText(h)}`),
  ];
}

export function describeModel(d: ModelDetail): string {
  const m = d.model;
  const keys = keyMetrics(m.task);
  const tags = Object.entries(m.tags).map(([k, v]) => `${k}=${v}`);
  const versions = d.versions.map((v: ModelVersion) => [
    v.version,
    time(v.createdAt),
    v.aliases.map((a) => `@${a}`).join(' ') || null,
    ...keys.map((k) => num(v.lineage.metrics[k])),
    v.gate ? verdict(v.gate.passed) : null,
    `${v.source.kind} ${v.source.ref}`,
    v.lineage.datasetName ?? v.lineage.datasetId,
  ]);
  const lines = [
    `model ${m.name}  ${m.task}  ${m.versionCount} version${m.versionCount === 1 ? '' : 's'}  latest ${m.latestVersion ?? '-'}  updated ${time(m.updatedAt)}`,
    `tags ${tags.length ? tags.join('  ') : '-'}`,
    ...(m.description ? ['', m.description] : []),
    '',
    'versions:',
    versions.length ? table(['VERSION', 'CREATED', 'ALIASES', ...keys, 'GATE', 'SOURCE', 'DATASET'], versions) : '(none)',
    ...d.versions.filter((v) => v.description || Object.keys(v.tags).length).map((v) => `  ${v.version}: ${[v.description, ...Object.entries(v.tags).map(([k, x]) => `${k}=${x}`)].filter(Boolean).join('  ')}`),
    '',
    `aliases: ${Object.keys(m.aliases).length ? Object.entries(m.aliases).map(([a, v]) => `@${a} → ${v}`).join('  ') : '-'}`,
    '',
    'alias history (newest first):',
    ...(d.history.length ? d.history.map(eventLine) : ['(none)']),
    '',
    'gate:',
    ...gateText(m.gate),
  ];
  if (d.reports.length) lines.push('', 'last gate reports:', ...d.reports.slice(0, 3).map(reportText));
  return lines.join('\n');
}

function modelsTable(list: RegisteredModel[]): string {
  const rows = list.map((m) => [
    m.name,
    m.task,
    m.latestVersion,
    m.versionCount,
    Object.entries(m.aliases).map(([a, v]) => `@${a}=${v}`).join(' ') || null,
    m.lastGate ? `${verdict(m.lastGate.passed)} (v${m.lastGate.version})` : null,
    time(m.updatedAt),
  ]);
  return table(['NAME', 'TASK', 'LATEST', 'VERSIONS', 'ALIASES', 'LAST GATE', 'UPDATED'], rows);
}

/** `NAME` or `NAME:VERSION`, for rm. */
function nameAndVersion(ref: string): { name: string; version?: number } {
  const m = /^([^:@]+)(?::(\d+))?$/.exec(ref.trim());
  if (!m) throw new InvalidInput(`Expected NAME or NAME:VERSION, got ${JSON.stringify(ref)}`, 'ref');
  return m[2] === undefined ? { name: m[1] } : { name: m[1], version: Number(m[2]) };
}

function versionArg(text: string): number {
  if (!/^[1-9][0-9]*$/.test(text)) throw new InvalidInput(`VERSION must be a version number such as 3, got ${JSON.stringify(text)}`, 'version');
  return Number(text);
}

interface RegisterOpts {
  name: string;
  description?: string;
  tag?: Record<string, string>;
  json?: boolean;
}

/** Registers a run or a study's best trial and prints the version. */
export async function registerAndPrint(s: Session, from: { runId: string } | { studyId: string }, opts: RegisterOpts): Promise<void> {
  const v = await s.api.models.register({ name: opts.name, ...from, ...(opts.description !== undefined ? { description: opts.description } : {}), ...(opts.tag ? { tags: opts.tag } : {}) });
  if (opts.json) return printJson(v);
  const where = v.lineage.studyId ? `study ${v.lineage.studyId} trial #${v.lineage.trialNumber} (run ${v.lineage.runId})` : `run ${v.lineage.runId}`;
  process.stdout.write(`Registered ${v.model}:${v.version} from ${where}: ${v.files.length} files, ${v.sizeBytes} bytes, digest ${v.digest.slice(0, 12)}\n`);
}

/** Adds the register options to a command. */
export function withRegisterOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--name <NAME>', 'the registered model (created on first register)')
    .option('--description <TEXT>', "the version's description (markdown)")
    .option('--tag <k=v>', 'a tag of the version (repeatable)', collectTag)
    .option('--json', 'machine-readable output');
}

export function registerRegistryCommands(models: Command): void {
  models
    .command('list')
    .description('registered models with their latest version, aliases and last gate result')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const list = await s.api.models.list({});
        if (opts.json) return printJson(list);
        process.stdout.write(list.length ? `${modelsTable(list)}\n` : 'No registered models yet: `trainyard models register RUN --name NAME`.\n');
      });
    });

  models
    .command('show <name>')
    .description('a model: its versions with key metrics, aliases, alias history, gate and last reports')
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const d = await s.api.models.get({ name });
        if (opts.json) return printJson(d);
        process.stdout.write(`${describeModel(d)}\n`);
      });
    });

  withRegisterOptions(models.command('register <run>').description('register a completed run as version N+1 of a model')).action(async (run: string, opts: RegisterOpts, cmd: Command) => {
    await withSession(cmd, { scheduler: false }, (s) => registerAndPrint(s, { runId: run }, opts));
  });

  models
    .command('rm <ref>')
    .description('remove a version (NAME:VERSION; refused while an alias points at it) or a whole model (NAME)')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) => {
      const target = nameAndVersion(ref);
      await withSession(cmd, { scheduler: false }, async (s) => {
        const out = await s.api.models.remove(target);
        if (opts.json) return printJson(out);
        process.stdout.write(`Removed ${target.version !== undefined ? `${target.name}:${target.version}` : `model ${target.name} (${out.removedVersions} version${out.removedVersions === 1 ? '' : 's'})`}\n`);
      });
    });

  const alias = models.command('alias').description('aliases (champion, candidate, any name): set, move and remove, every change recorded');
  alias
    .command('set <name> <alias> <version>')
    .description('point an alias at a version; a protected alias (champion) runs the gate first')
    .option('--reason <TEXT>', 'why, kept in the alias history')
    .option('--force', 'move it even if the gate fails (needs --reason; recorded)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, aliasName: string, version: string, opts: { reason?: string; force?: boolean; json?: boolean }, cmd: Command) => {
      const v = versionArg(version);
      await withSession(cmd, { scheduler: false }, async (s) => {
        const e = await s.api.models.setAlias({ name, alias: aliasName, version: v, force: Boolean(opts.force), ...(opts.reason !== undefined ? { reason: opts.reason } : {}) });
        if (opts.json) return printJson(e);
        process.stdout.write(`${name}@${aliasName} → ${v}${e.fromVersion !== null ? ` (was ${e.fromVersion})` : ''}${e.forced ? ' FORCED past a failing gate' : ''}\n`);
        if (e.gate) process.stdout.write(`${reportText(e.gate)}\n`);
        for (const h of e.hooks) process.stdout.write(`hook ${hookText(h.hook)}: ${h.ok ? 'ok' : 'FAILED'} (${h.detail})\n`);
      });
    });
  alias
    .command('rm <name> <alias>')
    .description('remove an alias (recorded in the history)')
    .option('--reason <TEXT>', 'why')
    .option('--json', 'machine-readable output')
    .action(async (name: string, aliasName: string, opts: { reason?: string; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const e = await s.api.models.removeAlias({ name, alias: aliasName, ...(opts.reason !== undefined ? { reason: opts.reason } : {}) });
        if (opts.json) return printJson(e);
        process.stdout.write(`Removed ${name}@${aliasName} (was ${e.fromVersion})\n`);
      });
    });

  const gate = models.command('gate').description('the validation gate: rules a version must pass before a protected alias points at it');
  gate
    .command('set <name>')
    .description('set the gate; each option given replaces that part (rules, protected aliases, hooks)')
    .option('--rule <EXPR>', 'a metric rule, e.g. "val.rmse <= 0.95 * naive.val.rmse" (repeatable)', collect)
    .option('--champion-rule <METRIC[:TOL]>', 'no worse than @champion on METRIC by more than TOL (default 1%), scored on the same rows (repeatable)', collect)
    .option('--protect <ALIAS>', 'an alias whose moves run the gate (repeatable; default champion)', collect)
    .option('--hook-command <CMD>', 'a command run after a protected alias moves, the event JSON on stdin (repeatable)', collect)
    .option('--hook-url <URL>', 'a URL POSTed the event JSON after a protected alias moves (repeatable)', collect)
    .option('--json', 'machine-readable output')
    .action(
      async (name: string, opts: { rule?: string[]; championRule?: string[]; protect?: string[]; hookCommand?: string[]; hookUrl?: string[]; json?: boolean }, cmd: Command) => {
        const change: Partial<GateConfig> = {};
        if (opts.rule || opts.championRule) change.rules = [...(opts.rule ?? []).map((expr): GateRule => ({ kind: 'metric', expr })), ...(opts.championRule ?? []).map(championRule)];
        if (opts.protect) change.protectedAliases = opts.protect;
        if (opts.hookCommand || opts.hookUrl) {
          change.hooks = [...(opts.hookCommand ?? []).map((command): PromotionHook => ({ kind: 'command', command })), ...(opts.hookUrl ?? []).map((url): PromotionHook => ({ kind: 'url', url }))];
        }
        await withSession(cmd, { scheduler: false }, async (s) => {
          const m = await s.api.models.setGate({ name, gate: change });
          if (opts.json) return printJson(m);
          process.stdout.write(`Gate of ${name}:\n${gateText(m.gate).join('\n')}\n`);
        });
      },
    );
  gate
    .command('check <ref>')
    .description('run the gate for a version (NAME, NAME:7, NAME@alias) without moving anything; exits 1 when it fails')
    .option('--alias <ALIAS>', 'judge it as a candidate for this alias', 'champion')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { alias: string; json?: boolean }, cmd: Command) => {
      const report = await withSession(cmd, { scheduler: false }, (s) => s.api.models.checkGate({ ref, alias: opts.alias }));
      if (opts.json) printJson(report);
      else process.stdout.write(`${reportText(report)}\n`);
      if (!report.passed) process.exitCode = 1;
    });
}
