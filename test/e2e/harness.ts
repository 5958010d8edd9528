/**
 * What every end-to-end suite stands on: `trainyard serve` over a temp data dir, Debian's Chromium
 * driven by Playwright, and where the screenshots go. A suite calls e2eForSuite once (and
 * pageForSuite in a describe whose tests share a page); what it then checks is its own business.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { connectToServer } from '../../src/server/client';
import type { Job } from '../../src/shared/contract';
import type { Client } from '../../src/shared/rpc/client';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = path.join(ROOT, 'test', 'e2e', 'artifacts');
const TRAINYARD = path.join(ROOT, 'bin', 'trainyard.mjs');
const CHROMIUM = process.env.TRAINYARD_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** The line `trainyard serve` prints once it listens: its address, with the token in it. */
const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+\/\S*token=([0-9a-f]+))/;
/** Long enough for the server to build the UI first when there is no build yet. */
const SERVE_START_TIMEOUT_MS = 170_000;
/** How long a server has to stop after SIGTERM before it is killed. */
const SERVE_STOP_GRACE_MS = 15_000;

export interface E2eOptions {
  /** Names the temp dir (`trainyard-e2e-<name>-...`), so a leftover one says which suite left it. */
  name?: string;
  /** Build the UI as it is in this tree first, rather than serve a build left from before. */
  buildUi?: boolean;
  /** Environment for the served process beyond this one's (PATH with a stand-in program first, say). */
  env?: Record<string, string>;
  /** Writes into the fresh data dir before the server opens it (one writer per database). */
  seed?: (dataDir: string) => Promise<void>;
}

export interface E2e {
  /** The address the server printed, token included: what a person would open. */
  url: string;
  token: string;
  origin: string;
  /** A page in a fresh browser context (nothing remembered from other pages), watched for problems. */
  newPage(viewport?: Viewport): Promise<WatchedPage>;
  /** A client over the server's WebSocket, as the CLI and the UI talk to it. */
  connect(): Promise<Client>;
  /** Stops the server (SIGTERM), leaving the browser and the data dir as they are. */
  stopServer(): Promise<void>;
  /** Starts a server again on the same data dir and port; resolves with the address it prints. */
  restartServer(): Promise<{ url: string; token: string }>;
  /** Closes the browser, stops the server and removes the temp dir. */
  close(): Promise<void>;
}

export interface Viewport {
  width: number;
  height: number;
}

export interface WatchedPage {
  /** Close it when done: that closes the page too. */
  context: BrowserContext;
  page: Page;
  /** What the page reported going wrong so far (see watchPage). */
  problems: string[];
}

/** A started server, and the address it will print. */
interface Serve {
  child: ChildProcess;
  url: Promise<{ url: string; token: string }>;
}

/** Starts `trainyard serve` on `dataDir`; its `url` resolves with the address it prints (it may build the UI first). */
function startServe(dataDir: string, port = 0, env: Record<string, string> = {}): Serve {
  const child = spawn(process.execPath, [TRAINYARD, 'serve', '--data-dir', dataDir, '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise<{ url: string; token: string }>((resolve, reject) => {
    let output = '';
    let pending = '';
    const timer = setTimeout(() => reject(new Error(`trainyard serve printed no URL in time:\n${output}`)), SERVE_START_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      output += text;
      // Whole lines only: a chunk may end in the middle of the token.
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = URL_LINE.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({ url: m[1], token: m[2] });
        }
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`trainyard serve exited (${code ?? signal}) before printing its URL:\n${output}`));
    });
  });
  return { child, url };
}

/** SIGTERM, then SIGKILL if the server has not stopped within the grace period. */
async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), SERVE_STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Runs `trainyard build-ui`, so the server serves the renderer as it is in this tree. */
function buildUi(): void {
  const built = spawnSync(process.execPath, [TRAINYARD, 'build-ui'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`trainyard build-ui failed:\n${built.stdout}\n${built.stderr}`);
}

/** A temp data dir, optionally seeded, a server on it and a browser; whatever started is stopped again if a later step fails. */
export async function startE2e(opts: E2eOptions = {}): Promise<E2e> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does) to run the end-to-end tests`);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  if (opts.buildUi) buildUi();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), opts.name ? `trainyard-e2e-${opts.name}-` : 'trainyard-e2e-'));
  const dataDir = path.join(tmp, 'data');
  let serve: Serve | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    if (serve) await stopServe(serve.child);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    if (opts.seed) {
      fs.mkdirSync(dataDir, { recursive: true });
      await opts.seed(dataDir);
    }
    serve = startServe(dataDir, 0, opts.env);
    const { url, token } = await serve.url;
    const launched = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    browser = launched;
    const newPage = async (viewport?: Viewport): Promise<WatchedPage> => {
      const context = await launched.newContext(viewport ? { viewport } : {});
      const page = await context.newPage();
      return { context, page, problems: watchPage(page) };
    };
    const port = Number(new URL(url).port);
    const stopServer = async () => {
      if (serve) await stopServe(serve.child);
    };
    const restartServer = async () => {
      await stopServer();
      serve = startServe(dataDir, port, opts.env);
      return serve.url;
    };
    return { url, token, origin: new URL(url).origin, newPage, connect: () => connectToServer(url, token), stopServer, restartServer, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Called once at the top of a suite: starts its server and browser before its tests and closes
 * them after. The returned E2e is filled in by then: read it in hooks and tests, not at load time.
 */
export function e2eForSuite(opts: E2eOptions = {}): E2e {
  const e2e = {} as E2e;
  beforeAll(async () => {
    Object.assign(e2e, await startE2e(opts));
  });
  afterAll(async () => {
    await e2e.close?.();
  });
  return e2e;
}

/**
 * Called in a describe whose tests share one page (each goes on where the last left off): opened
 * before its tests, closed after. Filled in by then, like e2eForSuite's E2e.
 */
export function pageForSuite(e2e: E2e, viewport: Viewport): WatchedPage {
  const view = {} as WatchedPage;
  beforeAll(async () => {
    Object.assign(view, await e2e.newPage(viewport));
  });
  afterAll(async () => {
    await view.context?.close();
  });
  return view;
}

/** Collects what the page reports going wrong: uncaught errors and console errors (a CSP refusal among them). */
function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return problems;
}

export interface ShotOptions {
  /** The whole page (the default) or only the viewport. */
  fullPage?: boolean;
  /**
   * The page scrolls inside its content box, so a tall page is shot in a viewport made this tall
   * for the shot (and put back after).
   */
  height?: number;
}

/** Saves a screenshot as test/e2e/artifacts/<name>.png and returns its path. */
export async function shot(page: Page, name: string, opts: ShotOptions = {}): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  const before = page.viewportSize();
  const resize = opts.height !== undefined && before !== null;
  if (resize) await page.setViewportSize({ width: before.width, height: opts.height! });
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? true });
  if (resize) await page.setViewportSize(before);
  return file;
}

/** Copies a screenshot to docs/<name>.png (a name may hold a folder: `screenshots/monitor`), where the README shows it. */
export function keepInDocs(file: string, name: string): void {
  const target = path.join(ROOT, 'docs', `${name}.png`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(file, target);
}

/** Polls a job through the API until it ends (completed, failed or cancelled), and returns it. */
export async function waitForJobEnd(client: Client, id: string, timeoutMs: number): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.api.jobs.get({ id });
    if (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled') return job;
    if (Date.now() > deadline) throw new Error(`job ${id} was still ${job.status} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
