/**
 * Launches the desktop app wherever the Electron binary is installed: on the display there is, or
 * under Xvfb where there is none. It saves a screenshot of the window to docs/screenshots/desktop.png.
 * Elsewhere the test is reported as skipped, with the reason in its name.
 *
 * Besides the window and its lock-down, it runs a job: that proves the parts only Electron can, the
 * SQLite driver built for Electron's ABI (the core would not start without it) and a worker started
 * as a utilityProcess, recorded for orphan recovery by its environment marker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { PidRecords } from '../src/core/workers';

const root = fileURLToPath(new URL('..', import.meta.url));

function electronBinary(): string | null {
  try {
    const bin: unknown = createRequire(path.join(root, 'package.json'))('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function hasDisplay(): boolean {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const electron = electronBinary();
const xvfb = !hasDisplay() && onPath('Xvfb');
const skipReason = !electron
  ? 'Electron binary not installed on this machine'
  : !hasDisplay() && !xvfb
    ? 'no display on this machine (DISPLAY and WAYLAND_DISPLAY are unset) and no Xvfb to make one'
    : null;

/** A private X display from Xvfb; resolves to its DISPLAY value once the server is up. */
function startXvfb(): Promise<{ display: string; server: ChildProcess }> {
  return new Promise((resolve, reject) => {
    // -displayfd: Xvfb picks a free display number and writes it to fd 3 once it accepts clients.
    const server = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1440x900x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let out = '';
    (server.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ display: `:${out.trim()}`, server });
    });
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`Xvfb exited with code ${code} before it was ready`)));
  });
}

/** The build in out/ and SQLite's Electron driver, brought up to date the way `npm start` does. */
function ensureBuilt(): void {
  const run = (args: string[], what: string) => {
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'pipe', encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${what} failed:\n${result.stdout}\n${result.stderr}`);
  };
  const stale = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(path.join(root, 'scripts', 'start.mjs'))}); console.log(JSON.stringify(m.buildStaleness()));`], { encoding: 'utf8' });
  if (stale.status !== 0 || JSON.parse(stale.stdout) !== null) run([path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], 'electron-vite build');
  run([path.join(root, 'scripts', 'electron-native.mjs'), '--if-stale'], "Building SQLite's driver for Electron");
}

describe('desktop shell', () => {
  let app: ElectronApplication | undefined;
  let dataDir: string | undefined;
  let xserver: ChildProcess | undefined;

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    xserver?.kill();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(skipReason !== null)(
    `launches the desktop window${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    async () => {
      ensureBuilt();
      dataDir = mkdtempSync(path.join(tmpdir(), 'trainyard-electron-'));
      const display: Record<string, string> = {};
      if (xvfb) {
        const x = await startXvfb();
        xserver = x.server;
        display.DISPLAY = x.display;
      }
      // Chromium refuses to run its OS sandbox as root (CI containers); the page stays sandboxed.
      const asRoot = process.getuid?.() === 0;
      app = await _electron.launch({
        executablePath: electron!,
        args: [root, ...(asRoot ? ['--no-sandbox'] : [])],
        cwd: root,
        env: { ...process.env, ...display, TRAINYARD_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '1' } as Record<string, string>,
        timeout: 60_000,
      });
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');

      expect(page.url()).toBe('app://trainyard/index.html');
      expect(await page.title()).toBe('Trainyard');

      // The page runs without Node and sees nothing of the preload: no require, no process, no ipcRenderer.
      const globals = await page.evaluate(() => {
        const g = globalThis as Record<string, unknown>;
        return [typeof g.require, typeof g.process, typeof g.ipcRenderer, typeof g.electron];
      });
      expect(globals).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);

      // The port the preload hands over reaches the core: keep one, and call methods through it.
      await page.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no port from the desktop shell')), 15_000);
            const onMessage = (ev: MessageEvent) => {
              const port = ev.ports?.[0];
              if (ev.data !== 'trainyard:port' || !port) return;
              window.removeEventListener('message', onMessage);
              clearTimeout(timer);
              let next = 1;
              const waiting = new Map<number, (m: { ok: boolean; output?: unknown; error?: unknown }) => void>();
              port.onmessage = (m: MessageEvent) => {
                const msg = m.data as { t: string; id: number; ok: boolean; output?: unknown; error?: unknown };
                if (msg.t === 'result') waiting.get(msg.id)?.(msg);
              };
              (window as unknown as { __call: unknown }).__call = (method: string, input: unknown) =>
                new Promise((done) => {
                  const id = next++;
                  waiting.set(id, done);
                  port.postMessage({ t: 'call', id, method, input });
                });
              resolve();
            };
            window.addEventListener('message', onMessage);
            window.postMessage('trainyard:port-request', '*');
          }),
      );
      type Reply = { ok: boolean; output?: Record<string, unknown>; error?: unknown };
      const call = (method: string, input: unknown) =>
        page.evaluate(([m, i]) => (window as unknown as { __call(m: string, i: unknown): Promise<unknown> }).__call(m, i), [method, input] as const) as Promise<Reply>;

      const info = await call('system.info', {});
      expect(info.ok).toBe(true);
      expect(realpathSync(String(info.output?.dataDir))).toBe(realpathSync(dataDir));
      // The GPU probe ran as a utilityProcess: whatever it found, it did not fail to start.
      const webgpu = (info.output?.backends as { name: string; reason: string | null }[]).find((b) => b.name === 'webgpu');
      expect(webgpu?.reason ?? '').not.toMatch(/no way to run|exited|timed out/);

      // A job runs in a worker started as a utilityProcess, recorded by its pid and known by its marker.
      const created = await call('jobs.create', { spec: { kind: 'noop', sleepMs: 3000 } });
      expect(created.ok, JSON.stringify(created.error)).toBe(true);
      const workersDir = path.join(dataDir, 'workers');
      let recorded: string[] = [];
      for (let i = 0; i < 200 && recorded.length === 0; i++) {
        recorded = existsSync(workersDir) ? readdirSync(workersDir) : [];
        if (recorded.length === 0) await page.waitForTimeout(50);
      }
      expect(recorded).toHaveLength(1);
      if (process.platform === 'linux') {
        expect(readFileSync(`/proc/${recorded[0]}/environ`, 'utf8').split('\0')).toContain('TRAINYARD_WORKER=1');
      }
      let status = '';
      for (let i = 0; i < 300 && status !== 'completed' && status !== 'failed'; i++) {
        const job = await call('jobs.get', { id: created.output?.id });
        status = String(job.output?.status);
        if (status !== 'completed') await page.waitForTimeout(100);
      }
      expect(status).toBe('completed');

      mkdirSync(path.join(root, 'docs', 'screenshots'), { recursive: true });
      await page.screenshot({ path: path.join(root, 'docs', 'screenshots', 'desktop.png') });

      // Navigation away is refused.
      await page.evaluate(() => {
        location.href = 'https://example.com/';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toBe('app://trainyard/index.html');

      // The app killed mid-job leaves no worker behind: it ends with its parent, or the next core's
      // reading of the worker records ends it (it is known there by its start time and marker).
      const long = await call('jobs.create', { spec: { kind: 'noop', sleepMs: 120_000 } });
      expect(long.ok, JSON.stringify(long.error)).toBe(true);
      let pids: number[] = [];
      for (let i = 0; i < 200 && pids.length === 0; i++) {
        pids = readdirSync(workersDir).map(Number);
        if (pids.length === 0) await page.waitForTimeout(50);
      }
      expect(pids).toHaveLength(1);
      app.process().kill('SIGKILL');
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      for (let i = 0; i < 100 && alive(pids[0]); i++) await new Promise((r) => setTimeout(r, 50));
      const reaped = alive(pids[0]) ? new PidRecords(workersDir).reapOrphans() : [];
      console.log(reaped.length ? `the orphaned utilityProcess worker ${pids[0]} was ended by the worker records` : `the utilityProcess worker ${pids[0]} ended with the app`);
      for (let i = 0; i < 100 && alive(pids[0]); i++) await new Promise((r) => setTimeout(r, 50));
      expect(alive(pids[0])).toBe(false);
    },
    180_000,
  );
});
