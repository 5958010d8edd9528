/** Size and sha256 of a file, read as a stream: a 200 MB weights file is never held whole, and the event loop keeps turning. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function streamDigest(path: string): Promise<{ sizeBytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).byteLength;
  }
  return { sizeBytes, sha256: hash.digest('hex') };
}
