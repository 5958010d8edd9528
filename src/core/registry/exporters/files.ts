/** Streaming file digests and the checks every read-back runs against a version's manifest. */
import { stat } from 'node:fs/promises';
import type { ModelFile } from '../../../shared/contract';
import { InvalidInput } from '../../../shared/errors';
import { confine } from '../../paths';
import { streamDigest } from '../digest';

/** The file of a manifest entry inside `dir`, refusing paths that step out of it. */
export const filePath = (dir: string, file: ModelFile): string => confine(dir, file.path);

/** Checks every manifest file under `dir` by size then sha256; the error names the file and both values. */
export async function verifyFiles(dir: string, files: ModelFile[], where: string): Promise<void> {
  for (const f of files) {
    const path = filePath(dir, f);
    const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
      throw new InvalidInput(`${where}: the manifest lists ${f.path} but it cannot be read (${err.code ?? err.message})`);
    });
    if (st.size !== f.sizeBytes) throw new InvalidInput(`${where}: ${f.path} has ${st.size} bytes, the manifest says ${f.sizeBytes}`);
    const { sha256 } = await streamDigest(path);
    if (sha256 !== f.sha256) throw new InvalidInput(`${where}: ${f.path} has sha256 ${sha256}, the manifest says ${f.sha256}`);
  }
}
