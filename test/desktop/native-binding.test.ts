/**
 * The SQLite driver the desktop app loads is built for Electron's ABI, lives in its own folder, and
 * never replaces the Node build that the CLI, `trainyard serve` and these tests load.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store';
import {
  NATIVE_STAMP,
  binaryAbi,
  checkedNativeBinding,
  devNativeDir,
  nativeBindingPath,
} from '../../src/main/native-binding';
import { buildNative, electronTarget, electronVersion, nativeState } from '../../scripts/native-build';
import { tempDirPerTest } from '../helpers/tmp';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempDirPerTest('trainyard-native-');
const nodeAbi = createRequire(path.join(root, 'package.json'))('node-abi') as { getAbi(target: string, runtime: string): string };
/** The Node build in node_modules, which the tests themselves load. */
const nodeBuild = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const target = electronTarget(root);
const electronAbi = Number(nodeAbi.getAbi(electronVersion(root), 'electron'));
const electronBinding = nativeBindingPath({ packaged: false, appRoot: root, resourcesPath: '/nowhere', target: { abi: electronAbi, platform: process.platform, arch: process.arch } });

/** Headers for this Node on disk (Debian's nodejs-dev, or npm's nodedir), so the build can run offline. */
function localNodeHeaders(): string | null {
  for (const dir of [process.env.npm_config_nodedir, '/usr', '/usr/local'].filter(Boolean) as string[]) {
    const version = path.join(dir, 'include', 'node', 'node_version.h');
    if (existsSync(version) && readFileSync(version, 'utf8').includes(`#define NODE_MAJOR_VERSION ${process.versions.node.split('.')[0]}`)) return dir;
  }
  return null;
}
const headers = localNodeHeaders();

describe("SQLite's driver for Electron", () => {
  it("is looked for under Electron's ABI (from node-abi), apart from the Node build", () => {
    expect(electronAbi).toBe(target.abi);
    // Electron 41 is ABI 145; Node 20, which runs the tests, is 115.
    if (electronVersion(root).startsWith('41.')) expect(electronAbi).toBe(145);
    expect(electronAbi).not.toBe(Number(process.versions.modules));
    expect(electronBinding).toBe(path.join(devNativeDir(root, target), 'better_sqlite3.node'));
    expect(electronBinding).toContain(`${path.sep}electron-${electronAbi}-${process.platform}-${process.arch}${path.sep}`);
    expect(path.resolve(electronBinding)).not.toBe(path.resolve(nodeBuild));
    // The main process asks for the binary of the ABI it runs on and hands it to the core.
    const main = readFileSync(path.join(root, 'src/main/index.ts'), 'utf8');
    expect(main).toMatch(/const abi = Number\(process\.versions\.modules\)/);
    expect(main).toMatch(/nativeBinding: electronSqliteBinding\(\)/);
    // A packaged app looks beside its resources.
    expect(nativeBindingPath({ packaged: true, appRoot: root, resourcesPath: '/opt/Trainyard/resources', target })).toBe('/opt/Trainyard/resources/native/better_sqlite3.node');
  });

  it("reads an addon's ABI from its node_register_module symbol", () => {
    expect(binaryAbi(nodeBuild)).toBe(Number(process.versions.modules));
    const dir = tmp();
    writeFileSync(path.join(dir, 'napi.node'), Buffer.from('\x7fELF....napi_register_module_v1....'));
    expect(binaryAbi(path.join(dir, 'napi.node'))).toBeNull();
  });

  it('refuses a missing driver, or one built for another ABI, saying what to run', () => {
    const dir = tmp();
    expect(() => checkedNativeBinding(path.join(dir, 'better_sqlite3.node'), electronAbi, false)).toThrow(/is missing at .*Run `npm run native`/);
    expect(() => checkedNativeBinding(nodeBuild, electronAbi, false)).toThrow(
      `built for ABI ${process.versions.modules}, but this Electron needs ${electronAbi}`,
    );
    expect(() => checkedNativeBinding(nodeBuild, electronAbi, true)).toThrow(/reinstall Trainyard/);
    expect(checkedNativeBinding(nodeBuild, Number(process.versions.modules), false)).toBe(nodeBuild);
  });

  it('opens the store with the driver it is given', async () => {
    const dir = tmp();
    const copy = path.join(dir, 'driver', 'better_sqlite3.node');
    spawnSync('mkdir', ['-p', path.dirname(copy)]);
    copyFileSync(nodeBuild, copy);
    const store = openStore(path.join(dir, 'a.db'), { nativeBinding: copy });
    expect(store.nativeBinding).toBe(copy);
    expect(store.raw.prepare('select 1 as one').get()).toEqual({ one: 1 });
    await store.close();
    expect(() => openStore(path.join(dir, 'b.db'), { nativeBinding: path.join(dir, 'none', 'better_sqlite3.node') })).toThrow(/Cannot find module|no such file/i);
  });

  const built = existsSync(electronBinding);
  it.skipIf(!built)(
    `the built driver is for Electron's ABI${built ? '' : ` (skipped: not built here, ${electronBinding} is missing; \`npm run native\` needs Electron's headers, which this machine cannot download)`}`,
    () => {
      expect(binaryAbi(electronBinding)).toBe(electronAbi);
      expect(nativeState(path.dirname(electronBinding), electronAbi, root)).toEqual({ state: 'fresh', file: electronBinding });
    },
  );

  it.skipIf(!headers)(
    `builds in a scratch copy into its own folder, leaving the Node build alone${headers ? '' : ` (skipped: no Node ${process.versions.node} headers on disk)`}`,
    () => {
      // The build for Electron differs only in the headers and target it is given; Node's are on disk here.
      const outDir = tmp();
      const before = sha(nodeBuild);
      expect(nativeState(outDir, Number(process.versions.modules), root).state).toBe('missing');
      const { file } = buildNative({
        runtime: 'node',
        version: process.versions.node,
        abi: Number(process.versions.modules),
        arch: process.arch,
        outDir,
        nodedir: headers!,
        stdio: 'pipe',
      });
      expect(file).toBe(path.join(outDir, 'better_sqlite3.node'));
      expect(sha(nodeBuild)).toBe(before);
      expect(binaryAbi(file)).toBe(Number(process.versions.modules));
      expect(nativeState(outDir, Number(process.versions.modules), root)).toEqual({ state: 'fresh', file });
      // The runtime that loads it agrees: a child opens a database with it and reports its ABI.
      const child = spawnSync(
        process.execPath,
        ['-e', `const D=require(${JSON.stringify(path.join(root, 'node_modules', 'better-sqlite3'))});const d=new D(':memory:',{nativeBinding:${JSON.stringify(file)}});console.log(JSON.stringify({abi:process.versions.modules,v:d.prepare('select sqlite_version() v').get().v}))`],
        { encoding: 'utf8' },
      );
      expect(child.stderr).toBe('');
      expect(JSON.parse(child.stdout)).toMatchObject({ abi: process.versions.modules });
      // A stamp from another better-sqlite3 makes it stale.
      const stamp = path.join(outDir, NATIVE_STAMP);
      writeFileSync(stamp, JSON.stringify({ ...JSON.parse(readFileSync(stamp, 'utf8')), betterSqlite3: '0.0.1' }));
      expect(nativeState(outDir, Number(process.versions.modules), root)).toMatchObject({ state: 'stale', reason: expect.stringContaining('better-sqlite3 0.0.1') });
      // And a driver for another ABI is stale for this one.
      expect(nativeState(outDir, electronAbi, root)).toMatchObject({ state: 'stale', reason: `it is built for ABI ${process.versions.modules}, not ${electronAbi}` });
    },
    600_000,
  );
});
