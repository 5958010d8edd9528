/**
 * Builds better-sqlite3 for Electron's ABI into its own folder (see src/main/native-binding.ts), never
 * in place: node_modules/better-sqlite3/build stays the Node build the CLI and the tests load.
 *
 * Run through scripts/electron-native.mjs (`npm run native`):
 *
 *   npm run native                   build it for the installed Electron
 *   npm run native -- --if-stale     only when it is missing, or built from another version
 *   npm run native -- --nodedir DIR  use headers already on disk (an offline machine) instead of
 *                                    downloading Electron's (also TRAINYARD_ELECTRON_HEADERS)
 *   npm run native -- --json         print what it did as one JSON line
 *
 * The package's sources are copied to a scratch folder and compiled there with node-gyp against
 * Electron's headers; the binary is checked for the right ABI, then moved into place with a stamp
 * saying what it was built from.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  NATIVE_FILE,
  NATIVE_STAMP,
  binaryAbi,
  devNativeDir,
  readStamp,
  type NativeStamp,
  type NativeTarget,
} from '../src/main/native-binding.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

function packageVersion(root: string, pkg: string): string {
  const file = path.join(root, 'node_modules', pkg, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The installed Electron's version. */
export function electronVersion(root = projectRoot): string {
  return packageVersion(root, 'electron');
}

/** NODE_MODULE_VERSION of an Electron release, from node-abi's table. */
export function electronAbi(version: string, root = projectRoot): number {
  const nodeAbi = createRequire(path.join(root, 'package.json'))('node-abi') as { getAbi(target: string, runtime: string): string };
  return Number(nodeAbi.getAbi(version, 'electron'));
}

/** This machine's target for the installed Electron. */
export function electronTarget(root = projectRoot): NativeTarget & { version: string } {
  const version = electronVersion(root);
  return { version, abi: electronAbi(version, root), platform: process.platform, arch: process.arch };
}

export interface BuildSpec {
  runtime: NativeStamp['runtime'];
  /** The Electron (or Node) version to compile against. */
  version: string;
  abi: number;
  arch: string;
  outDir: string;
  /** Headers already on disk; otherwise node-gyp downloads them (Electron's from its header server). */
  nodedir?: string;
  root?: string;
  /** Where node-gyp's output goes (the terminal by default; tests collect it). */
  stdio?: 'inherit' | 'pipe';
}

export type NativeState = { state: 'fresh'; file: string } | { state: 'missing' | 'stale'; file: string; reason: string };

/** Whether `outDir` holds a binary built from this better-sqlite3 for this ABI. */
export function nativeState(outDir: string, abi: number, root = projectRoot): NativeState {
  const file = path.join(outDir, NATIVE_FILE);
  if (!existsSync(file)) return { state: 'missing', file, reason: `${file} does not exist` };
  const found = binaryAbi(file);
  if (found !== abi) return { state: 'stale', file, reason: `it is built for ABI ${found ?? 'unknown'}, not ${abi}` };
  const stamp = readStamp(outDir);
  const wanted = packageVersion(root, 'better-sqlite3');
  if (stamp?.betterSqlite3 !== wanted) {
    return { state: 'stale', file, reason: `it was built from better-sqlite3 ${stamp?.betterSqlite3 ?? 'unknown'}, not ${wanted}` };
  }
  return { state: 'fresh', file };
}

/** Compiles better-sqlite3 in a scratch copy and moves the checked binary into `outDir`. */
export function buildNative(spec: BuildSpec): { file: string; output: string } {
  const root = spec.root ?? projectRoot;
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  const scratch = mkdtempSync(path.join(tmpdir(), 'trainyard-native-'));
  try {
    // Only the inputs of the build: an old build/ folder (the Node one) must not leak into this one.
    for (const entry of ['binding.gyp', 'package.json', 'src', 'deps']) {
      cpSync(path.join(source, entry), path.join(scratch, entry), { recursive: true });
    }
    const gyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    const args = [gyp, 'rebuild', '--release', '--jobs=max', `--target=${spec.version}`, `--arch=${spec.arch}`];
    if (spec.nodedir) args.push(`--nodedir=${spec.nodedir}`);
    else if (spec.runtime === 'electron') args.push(`--dist-url=${ELECTRON_HEADERS_URL}`, `--devdir=${path.join(homedir(), '.electron-gyp')}`);
    // The user's npm config may name Node's headers (npm_config_nodedir); those are the wrong ones here.
    const env = { ...process.env };
    for (const key of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch)$/i.test(key)) delete env[key];
    const built = spawnSync(process.execPath, args, { cwd: scratch, env, encoding: 'utf8', stdio: spec.stdio === 'pipe' ? 'pipe' : 'inherit' });
    const output = `${built.stdout ?? ''}${built.stderr ?? ''}`;
    if (built.error) throw new Error(`node-gyp could not start: ${built.error.message}`);
    if (built.status !== 0) {
      const tail = output.trim().split('\n').slice(-15).join('\n');
      throw new Error(`Building better-sqlite3 for ${spec.runtime} ${spec.version} (ABI ${spec.abi}) failed${tail ? `:\n${tail}` : ' (see above)'}`);
    }
    const compiled = path.join(scratch, 'build', 'Release', NATIVE_FILE);
    const abi = binaryAbi(compiled);
    if (abi !== spec.abi) throw new Error(`The compiled ${compiled} is for ABI ${abi ?? 'unknown'}, not ${spec.abi}`);

    mkdirSync(spec.outDir, { recursive: true });
    const file = path.join(spec.outDir, NATIVE_FILE);
    // Copied beside its final name, then renamed: a running app never sees half a binary.
    cpSync(compiled, `${file}.tmp`);
    renameSync(`${file}.tmp`, file);
    const stamp: NativeStamp = { runtime: spec.runtime, version: spec.version, abi, betterSqlite3: packageVersion(root, 'better-sqlite3'), builtAt: Date.now() };
    writeFileSync(path.join(spec.outDir, NATIVE_STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
    return { file, output };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The command line: see the comment at the top. */
export function runNativeCli(argv: string[]): void {
  const flag = (name: string) => argv.includes(name);
  const value = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const json = flag('--json');
  const target = electronTarget();
  const outDir = devNativeDir(projectRoot, target);
  const state = nativeState(outDir, target.abi);
  const report = (o: Record<string, unknown>) => console.log(json ? JSON.stringify(o) : String(o.message));
  if (flag('--if-stale') && state.state === 'fresh') {
    report({ built: false, file: state.file, abi: target.abi, message: `The SQLite driver for Electron ${target.version} (ABI ${target.abi}) is up to date.` });
    return;
  }
  if (!json && state.state !== 'fresh') console.log(`Building the SQLite driver for Electron ${target.version} (ABI ${target.abi}): ${state.reason}.`);
  const nodedir = value('--nodedir') ?? process.env.TRAINYARD_ELECTRON_HEADERS;
  const { file } = buildNative({ runtime: 'electron', version: target.version, abi: target.abi, arch: target.arch, outDir, nodedir, stdio: json ? 'pipe' : 'inherit' });
  report({ built: true, file, abi: target.abi, message: `Built ${file} (ABI ${target.abi}).` });
}
