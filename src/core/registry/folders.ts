/**
 * A version's files laid out as the model wrote them, at `<dataDir>/registry/models/<name>/<version>/`,
 * so the loaders read a registered version exactly as they read a run's model folder. Each file is a
 * hard link to its blob (a copy where the file system refuses links) and read-only. The folder is
 * built beside its final place and renamed into it: it is complete or absent.
 */
import { chmod, copyFile, link, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ModelFile } from '../../shared/contract';
import { confine } from '../paths';
import type { BlobStore } from './blobs';
import { registryPaths } from './blobs';

export function versionDir(dataDir: string, name: string, version: number): string {
  return confine(registryPaths(dataDir).models, join(name, String(version)));
}

export function modelDir(dataDir: string, name: string): string {
  return confine(registryPaths(dataDir).models, name);
}

/** Builds the version's folder from the blobs; returns its path. A folder left there by an earlier failure is replaced. */
export async function materialise(dataDir: string, blobs: BlobStore, name: string, version: number, files: readonly ModelFile[]): Promise<string> {
  const dir = versionDir(dataDir, name, version);
  const staging = join(dirname(dir), `.${version}.partial`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    for (const f of files) {
      const target = confine(staging, f.path);
      await mkdir(dirname(target), { recursive: true });
      const blob = blobs.path(f.sha256);
      try {
        await link(blob, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP') throw err;
        await copyFile(blob, target);
        await chmod(target, 0o444);
      }
    }
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    return dir;
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

export async function removeFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
