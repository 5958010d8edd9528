/** Model references as users write them: `NAME` (latest version), `NAME:7`, `NAME@champion`. */
import { AliasName, ModelName } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';

export type ModelRefParts = { name: string; version?: number; alias?: string };

export function parseRef(ref: string): ModelRefParts {
  const text = ref.trim();
  const at = text.indexOf('@');
  const colon = text.indexOf(':');
  let out: ModelRefParts;
  if (at >= 0) {
    out = { name: text.slice(0, at), alias: text.slice(at + 1) };
    if (!AliasName.safeParse(out.alias).success) throw new InvalidInput(`${JSON.stringify(ref)} names no valid alias after "@" (an alias starts with a lowercase letter)`, 'ref');
  } else if (colon >= 0) {
    const v = text.slice(colon + 1);
    if (!/^[1-9][0-9]*$/.test(v)) throw new InvalidInput(`${JSON.stringify(ref)} has no version number after ":" (write NAME:7)`, 'ref');
    out = { name: text.slice(0, colon), version: Number(v) };
  } else {
    out = { name: text };
  }
  if (!ModelName.safeParse(out.name).success) {
    throw new InvalidInput(`${JSON.stringify(ref)} is not a model reference: write NAME, NAME:VERSION or NAME@ALIAS, NAME being lowercase letters, digits, ".", "_" or "-"`, 'ref');
  }
  return out;
}

/** `1-3, 5`: a model's version numbers as a person reads them. */
export function versionRanges(versions: readonly number[]): string {
  const sorted = [...versions].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
