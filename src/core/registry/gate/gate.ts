/**
 * The validation gate: what a version must pass before a protected alias may point at it. Three
 * kinds of check, every one reported with what was measured:
 *  - schema: against the version the alias points at now (same task, target, time column and
 *    frequency; the candidate needs no input column the current version does not read, so whatever
 *    feeds the current one can feed the candidate);
 *  - metric: the model's own rules over the candidate's lineage metrics;
 *  - champion: the candidate and the alias's current version scored on the same rows.
 */
import type { GateCheck, GateConfig, GateRule, ModelSchema } from '../../../shared/contract';
import { InvalidInput } from '../../../shared/errors';
import type { ModelScorer, ModelOnDisk, DataFile } from '../ports';
import { betterDirection, championDecision, checkMetricRule, parseMetricRule } from './rules';

/** Checks every rule's text once, when the gate is set: InvalidInput names the rule. */
export function validateRules(rules: readonly GateRule[]): void {
  rules.forEach((rule, i) => {
    if (rule.kind === 'metric') parseMetricRule(rule.expr, `gate.rules.${i}.expr`);
    else if (!betterDirection(rule.metric)) {
      throw new InvalidInput(
        `The champion rule on ${JSON.stringify(rule.metric)} is not valid: Trainyard cannot tell whether a higher or lower ${rule.metric} is better (use an error such as test.rmse, or a score such as test.f1)`,
        `gate.rules.${i}.metric`,
      );
    }
  });
}

export function schemaChecks(candidate: ModelSchema, current: ModelSchema, currentLabel: string): GateCheck[] {
  const same = (rule: string, what: string, a: string | null, b: string | null): GateCheck => ({
    rule,
    kind: 'schema',
    value: null,
    threshold: null,
    passed: a === b,
    detail: a === b ? `${what} ${a ?? 'none'}, as ${currentLabel}` : `${what} ${a ?? 'none'}, but ${currentLabel} has ${b ?? 'none'}`,
  });
  const extra = candidate.inputs.filter((c) => !current.inputs.includes(c));
  return [
    same('schema.task', 'task', candidate.task, current.task),
    same('schema.target', 'target', candidate.target, current.target),
    same('schema.timeColumn', 'time column', candidate.timeColumn, current.timeColumn),
    {
      rule: 'schema.inputs',
      kind: 'schema',
      value: null,
      threshold: null,
      passed: extra.length === 0,
      detail: extra.length
        ? `needs input column${extra.length > 1 ? 's' : ''} ${extra.join(', ')} that ${currentLabel} does not read`
        : `reads ${candidate.inputs.length ? candidate.inputs.join(', ') : 'no input columns'} besides the target, none that ${currentLabel} lacks`,
    },
    same('schema.frequency', 'frequency', candidate.frequency, current.frequency),
  ];
}

export interface GateSubjects {
  candidate: ModelOnDisk;
  /** What the alias points at now, when it points anywhere. */
  current: ModelOnDisk | null;
  alias: string;
  /** The candidate's dataset as the scorer reads it; null when its lineage names none still stored. */
  data: () => Promise<DataFile | null>;
}

const label = (m: ModelOnDisk) => `${m.version.model}:${m.version.version}`;

async function championCheck(rule: Extract<GateRule, { kind: 'champion' }>, s: GateSubjects, current: ModelOnDisk | null, scorer: ModelScorer): Promise<GateCheck> {
  const ruleText = `no worse than @${rule.alias} on ${rule.metric} by more than ${Number((rule.tolerance * 100).toPrecision(4))}%`;
  const base = { rule: ruleText, kind: 'champion' as const };
  if (!current) return { ...base, value: null, threshold: null, passed: true, detail: `@${rule.alias} points nowhere yet: nothing to compare with` };
  if (current.version.version === s.candidate.version.version) {
    return { ...base, value: null, threshold: null, passed: true, detail: `${label(current)} is already @${rule.alias}` };
  }
  const data = await s.data();
  if (!data) {
    return { ...base, value: null, threshold: null, passed: false, detail: `the candidate's dataset (${s.candidate.version.lineage.datasetId ?? 'none recorded'}) is not in this data directory, so the two cannot be scored on the same rows` };
  }
  let metrics: Record<string, number>[];
  try {
    metrics = (await scorer.evaluate([s.candidate, current], data, 'test')).metrics;
  } catch (err) {
    return { ...base, value: null, threshold: null, passed: false, detail: `could not score ${label(s.candidate)} and ${label(current)} on ${data.name}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const key = scoredKey(rule.metric);
  const [cand, cur] = [metrics[0]?.[key], metrics[1]?.[key]];
  if (!Number.isFinite(cand) || !Number.isFinite(cur)) {
    return { ...base, value: Number.isFinite(cand) ? cand : null, threshold: null, passed: false, detail: `scoring on ${data.name} gave no ${rule.metric} for ${!Number.isFinite(cand) ? label(s.candidate) : label(current)}` };
  }
  const d = championDecision(rule.metric, rule.tolerance, cand, cur);
  return { ...base, value: cand, threshold: d.threshold, passed: d.passed, detail: `${label(s.candidate)} against ${label(current)} on the test rows of ${data.name}: ${d.detail}` };
}

/**
 * The scorer's name for a rule's metric: both models are scored on the test rows, and the scorer
 * names its metrics plainly (`rmse`), so a rule written as the run's key (`test.rmse`) reads `rmse`.
 */
const scoredKey = (metric: string) => (metric.startsWith('test.') ? metric.slice('test.'.length) : metric);

/** Every check of the gate for the candidate, in order: schema, metric rules, champion rules. */
export async function runChecks(config: GateConfig, s: GateSubjects, scorer: ModelScorer, open: (alias: string) => Promise<ModelOnDisk | null>): Promise<GateCheck[]> {
  const checks: GateCheck[] = [];
  if (s.current) checks.push(...schemaChecks(s.candidate.version.schema, s.current.version.schema, `${label(s.current)} (@${s.alias})`));
  for (const rule of config.rules) {
    if (rule.kind === 'metric') checks.push(checkMetricRule(parseMetricRule(rule.expr), s.candidate.version.lineage.metrics));
    else checks.push(await championCheck(rule, s, rule.alias === s.alias ? s.current : await open(rule.alias), scorer));
  }
  return checks;
}

/** The failing checks, one after another: each rule with its detail, which says what was measured against what it had to be. */
export function failingText(checks: readonly GateCheck[]): string {
  return checks
    .filter((c) => !c.passed)
    .map((c) => `${c.rule}: ${c.detail}`)
    .join('; ');
}
