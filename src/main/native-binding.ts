/**
 * The better-sqlite3 binary the desktop app loads, built for Electron's ABI and kept apart from the
 * Node build in node_modules (which the CLI, `trainyard serve` and the tests load).
 *
 * better-sqlite3 is a V8 addon, not N-API: a binary loads only into the runtime whose
 * NODE_MODULE_VERSION it was built for (Node 20 is 115, Electron 41 is 145). So the desktop app never
 * uses node_modules/better-sqlite3/build: in development it loads the one
 * `scripts/electron-native.mjs` builds into a cache folder named by the ABI, and a packaged app loads
 * the copy electron-builder ships under `resources/native/`. The path is handed to the store as
 * better-sqlite3's `nativeBinding`.
 *
 * This module has no electron import, so the build script, the packaging config and the tests share it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const NATIVE_FILE = 'better_sqlite3.node';
/** Beside the app's resources in a packaged build (electron-builder's extraResources `to`). */
export const PACKAGED_NATIVE_DIR = 'native';
/** Written beside a built binary: what it was built from, so a stale one is rebuilt. */
export const NATIVE_STAMP = 'build.json';

export interface NativeTarget {
  /** NODE_MODULE_VERSION of the runtime that will load the binary. */
  abi: number;
  platform: string;
  arch: string;
}

export interface NativeStamp {
  runtime: 'electron' | 'node';
  /** The Electron (or Node) version it was built against. */
  version: string;
  abi: number;
  betterSqlite3: string;
  builtAt: number;
}

/** The development cache folder for one ABI, platform and architecture. */
export function devNativeDir(root: string, t: NativeTarget): string {
  return path.join(root, 'node_modules', '.cache', 'trainyard', 'native', `electron-${t.abi}-${t.platform}-${t.arch}`);
}

/** Where the main process looks for the binary. */
export function nativeBindingPath(o: { packaged: boolean; appRoot: string; resourcesPath: string; target: NativeTarget }): string {
  return o.packaged
    ? path.join(o.resourcesPath, PACKAGED_NATIVE_DIR, NATIVE_FILE)
    : path.join(devNativeDir(o.appRoot, o.target), NATIVE_FILE);
}

const REGISTER = Buffer.from('node_register_module_v');

/**
 * The NODE_MODULE_VERSION an addon was built for, read from its `node_register_module_v<N>` symbol
 * (every non-N-API addon exports it); null when the file has none.
 */
export function binaryAbi(file: string): number | null {
  const bytes = readFileSync(file);
  const at = bytes.indexOf(REGISTER);
  if (at < 0) return null;
  let end = at + REGISTER.length;
  while (end < bytes.length && bytes[end] >= 0x30 && bytes[end] <= 0x39) end++;
  const digits = bytes.subarray(at + REGISTER.length, end).toString('latin1');
  return digits ? Number(digits) : null;
}

/** What the stamp beside a binary says, or null when there is none (or it cannot be read). */
export function readStamp(dir: string): NativeStamp | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, NATIVE_STAMP), 'utf8')) as NativeStamp;
  } catch {
    return null;
  }
}

/**
 * The binary's path, once it is known to exist and to match this runtime's ABI; otherwise an error
 * that says what to run.
 */
export function checkedNativeBinding(file: string, abi: number, packaged: boolean): string {
  let found: number | null;
  try {
    found = binaryAbi(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `The SQLite driver built for Electron (ABI ${abi}) is missing at ${file}. ${fix(packaged)}`
        : `The SQLite driver at ${file} could not be read: ${(err as Error).message}`,
    );
  }
  if (found !== abi) {
    throw new Error(`The SQLite driver at ${file} is built for ABI ${found ?? 'unknown'}, but this Electron needs ${abi}. ${fix(packaged)}`);
  }
  return file;
}

function fix(packaged: boolean): string {
  return packaged ? 'This installation is damaged: reinstall Trainyard.' : 'Run `npm run native` to build it.';
}
