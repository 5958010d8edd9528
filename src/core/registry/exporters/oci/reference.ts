/** `HOST[:PORT]/REPO[:TAG]` (or `@sha256:...`), as docker and oras write it. */
import { InvalidInput } from '../../../../shared/errors';

export interface OciRef {
  /** `host[:port]`, lowercase: the key credentials are saved under. */
  registry: string;
  repository: string;
  /** A tag, or a digest `sha256:...`. */
  reference: string;
}

const REPO = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const HOST = /^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$|^\[[0-9a-fA-F:]+\](?::[0-9]{1,5})?$/;

export function parseOciRef(text: string): OciRef {
  const bad = (why: string) => new InvalidInput(`${JSON.stringify(text)} is not a registry reference HOST[:PORT]/REPO:TAG: ${why}`, 'reference');
  const slash = text.indexOf('/');
  if (slash <= 0) throw bad('it names no host');
  const registry = text.slice(0, slash).toLowerCase();
  if (!HOST.test(registry)) throw bad(`${registry} is not a host or host:port`);
  let rest = text.slice(slash + 1);
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(reference)) throw bad(`${reference} is not a sha256 digest`);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!TAG.test(reference)) throw bad(`the tag ${JSON.stringify(reference)} is not 1-128 letters, digits, ".", "_" or "-"`);
    }
  }
  if (!REPO.test(rest)) throw bad(`the repository ${JSON.stringify(rest)} must be lowercase path components`);
  return { registry, repository: rest, reference };
}

export const formatOciRef = (r: OciRef): string => `${r.registry}/${r.repository}${r.reference.startsWith('sha256:') ? '@' : ':'}${r.reference}`;
