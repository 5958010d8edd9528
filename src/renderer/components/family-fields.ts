/**
 * What a job spec gets from the family-dependent fields of a form: only the column fields the
 * family reads (a label column for the anomaly families, exogenous columns for the forecast ones),
 * and the params typed in, each parsed as its default's type. A field the family does not use is
 * never sent, whatever it holds.
 */
import type { ModelFamilyInfo, ParamValue } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';

export interface ColumnChoice {
  labelColumn: string;
  exogenous: string[];
}

export function columnFieldsFor(family: ModelFamilyInfo | undefined, c: ColumnChoice): { labelColumn?: string; exogenous: string[] } {
  return {
    ...(family?.uses.labelColumn && c.labelColumn ? { labelColumn: c.labelColumn } : {}),
    exogenous: family?.uses.exogenous ? c.exogenous : [],
  };
}

/** The family's params, typed in as text, as values of their defaults' types; empty ones are left to the defaults. */
export function parseFamilyParams(family: ModelFamilyInfo | undefined, raw: Record<string, string>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  if (!family) return out;
  for (const [key, fallback] of Object.entries(family.defaults)) {
    const text = (raw[key] ?? '').trim();
    if (text === '') continue;
    if (typeof fallback === 'number') {
      const n = Number(text);
      if (!Number.isFinite(n)) throw new InvalidInput(`${key} must be a number`, `params.${key}`);
      out[key] = n;
    } else if (typeof fallback === 'boolean') {
      if (text !== 'true' && text !== 'false') throw new InvalidInput(`${key} must be true or false`, `params.${key}`);
      out[key] = text === 'true';
    } else {
      out[key] = text;
    }
  }
  return out;
}

/** The family a form starts with: the core's default, else the first listed. */
export function initialFamily(families: ModelFamilyInfo[]): string {
  return (families.find((f) => f.isDefault) ?? families[0])?.name ?? '';
}

/** "isolation_forest (anomaly)": the family and what it does, for a select. */
export function familyLabel(f: ModelFamilyInfo): string {
  return `${f.name} (${f.task === 'anomaly' ? 'anomaly detection' : 'forecast'})`;
}
