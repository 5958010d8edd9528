/**
 * Content-addressed storage of version files: `<dataDir>/registry/blobs/sha256/<hex>`. A blob is
 * written to a temp file while its sha256 is computed, checked against what it should be, synced and
 * renamed into place, so a blob path always holds exactly the bytes its name says. Two versions
 * holding the same file share one blob.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Conflict } from '../../shared/errors';
import { newId } from '../ids';
import { streamDigest } from './digest';

export const registryPaths = (dataDir: string) => ({
  root: join(dataDir, 'registry'),
  blobs: join(dataDir, 'registry', 'blobs', 'sha256'),
  models: join(dataDir, 'registry', 'models'),
});

export class BlobStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = registryPaths(dataDir).blobs;
  }

  path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Conflict(`${JSON.stringify(sha256)} is not a sha256 digest`);
    return join(this.dir, sha256);
  }

  /**
   * Copies `source` into the store, checking its bytes against `expected` (sha256 and, when
   * given, size) on the way; a mismatch stores nothing and names the file and both digests.
   */
  async put(source: string, expected: { sha256: string; sizeBytes?: number }, label = source): Promise<void> {
    const final = this.path(expected.sha256);
    if (await exists(final)) {
      // Already there: its name is its content, written checked. The source must still match.
      const actual = await streamDigest(source);
      check(label, expected, actual);
      return;
    }
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.${newId()}.partial`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.byteLength;
        cb(null, chunk);
      },
    });
    try {
      await pipeline(createReadStream(source), meter, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
      check(label, expected, { sha256: hash.digest('hex'), sizeBytes: size });
      const fh = await open(temp, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      // Read-only: a version's folder links to these bytes, which nothing may change.
      await chmod(temp, 0o444);
      await rename(temp, final);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.path(sha256), { force: true });
  }
}

function check(label: string, expected: { sha256: string; sizeBytes?: number }, actual: { sha256: string; sizeBytes: number }): void {
  if (expected.sizeBytes !== undefined && expected.sizeBytes !== actual.sizeBytes) {
    throw new Conflict(`${label} is ${actual.sizeBytes} bytes, but its record says ${expected.sizeBytes}: the file changed since it was recorded`);
  }
  if (expected.sha256 !== actual.sha256) {
    throw new Conflict(`${label} has sha256 ${actual.sha256}, but its record says ${expected.sha256}: the file changed since it was recorded`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
