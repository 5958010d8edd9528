import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function fileDigest(path: string): Promise<{ sizeBytes: number; sha256: string }> {
  const [bytes, st] = await Promise.all([readFile(path), stat(path)]);
  return { sizeBytes: st.size, sha256: sha256(bytes) };
}
