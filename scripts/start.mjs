#!/usr/bin/env node
// `npm start`: the desktop app where it can run, else the same UI in a browser.
//
// Before the desktop app starts, its build in out/ is brought up to date (rebuilt when any source is
// newer than it) and so is SQLite's driver for Electron's ABI (scripts/electron-native.mjs).
//
// The desktop app needs the Electron binary (npm's allowScripts skips Electron's download at install
// time, so it is fetched here once if missing) and a display. Where either is missing, this prints
// one line saying why and runs `trainyard serve` instead, with the same arguments.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const FETCH_TIMEOUT_MS = 60_000;
/** After a failed download, do not make every start wait for another one for this long. */
const FETCH_RETRY_MS = 24 * 60 * 60 * 1000;
const fetchMarker = path.join(root, 'node_modules', '.cache', 'trainyard', 'electron-fetch-failed');

/** The Electron executable's path, when the binary is installed. */
export function electronBinary() {
  const load = createRequire(path.join(root, 'package.json'));
  try {
    const resolved = load.resolve('electron');
    delete load.cache[resolved];
    const bin = load('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

export function hasDisplay() {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function recentlyFailedFetch() {
  try {
    return Date.now() - Number(readFileSync(fetchMarker, 'utf8')) < FETCH_RETRY_MS;
  } catch {
    return false;
  }
}

/** One quiet try at Electron's own download script. */
function fetchElectron() {
  const install = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(install) || recentlyFailedFetch()) return null;
  spawnSync(process.execPath, [install], { cwd: path.dirname(install), stdio: 'ignore', timeout: FETCH_TIMEOUT_MS });
  const bin = electronBinary();
  if (!bin) {
    try {
      mkdirSync(path.dirname(fetchMarker), { recursive: true });
      writeFileSync(fetchMarker, String(Date.now()));
    } catch {
      // Only a cache: without it the next start simply tries again.
    }
  }
  return bin;
}

const BUILT = ['out/main/index.js', 'out/main/worker.js', 'out/main/webgpu-probe.js', 'out/renderer/index.html'];
const PRELOADS = ['out/preload/index.cjs', 'out/preload/index.js', 'out/preload/index.mjs'];
/** What the build is made from: a change to any of these makes out/ stale. */
const SOURCES = ['src', 'package.json', 'package-lock.json', 'electron.vite.config.ts', 'renderer.vite.config.ts', 'tsconfig.json'];

/** The newest modification time under `file` (a file or a folder), 0 when it does not exist. */
function newestMtime(file) {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

/** Why out/ under `dir` must be (re)built, or null when it is up to date. */
export function buildStaleness(dir = root) {
  const preload = PRELOADS.find((f) => existsSync(path.join(dir, f)));
  const missing = [...BUILT, ...(preload ? [] : [PRELOADS[0]])].find((f) => !existsSync(path.join(dir, f)));
  if (missing) return `${missing} is missing`;
  const builtAt = Math.min(...[...BUILT, preload].map((f) => statSync(path.join(dir, f)).mtimeMs));
  const changed = SOURCES.find((f) => newestMtime(path.join(dir, f)) > builtAt);
  return changed ? `${changed} changed since the last build` : null;
}

/** Builds out/ when it is stale; exits on a failed build. */
function buildIfStale() {
  const why = buildStaleness();
  if (!why) return;
  console.log(`Building the desktop app (${why}).`);
  const cli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const built = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('Building the desktop app failed (see above).');
    process.exit(built.status ?? 1);
  }
}

/** Builds SQLite's driver for Electron's ABI when it is missing or stale; exits when that fails. */
function nativeIfStale() {
  const script = path.join(root, 'scripts', 'electron-native.mjs');
  const built = spawnSync(process.execPath, [script, '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/** Runs a child with our stdio, passes on Ctrl-C and termination, and exits with its status. */
function runForwarding(command, argv, env = process.env) {
  const child = spawn(command, argv, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward(signal));
  child.on('error', (err) => {
    console.error(`Could not start ${path.basename(command)}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 128 + (signalNumber(signal) ?? 1) : 1));
  });
}

function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGKILL: 9 }[signal];
}

function serveInstead(reason) {
  console.log(`Electron is not available here (${reason}): serving the Trainyard UI in your browser instead.`);
  runForwarding(process.execPath, [path.join(root, 'bin', 'trainyard.mjs'), 'serve', ...args]);
}

function main() {
  if (!hasDisplay()) return serveInstead('no display');
  const electron = electronBinary() ?? fetchElectron();
  if (!electron) return serveInstead('the Electron binary is not installed and could not be downloaded');

  buildIfStale();
  nativeIfStale();
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  runForwarding(electron, ['.', ...args], env);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
