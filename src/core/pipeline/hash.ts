import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Size and sha256 of the file at `path`, from one read. */
export async function fileDigest(path: string): Promise<{ sizeBytes: number; sha256: string }> {
  const bytes = await readFile(path);
  return { sizeBytes: bytes.byteLength, sha256: sha256(bytes) };
}
