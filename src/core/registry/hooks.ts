/**
 * Promotion hooks: after a protected alias moves, each hook gets the alias event as JSON. A command
 * runs through the shell with the JSON on stdin and TRAINYARD_MODEL, TRAINYARD_VERSION and
 * TRAINYARD_ALIAS set (60 s at most); a URL is POSTed the JSON (10 s at most). A hook's failure never
 * undoes the move: its outcome is recorded with the event and logged.
 */
import { spawn } from 'node:child_process';
import type { AliasEvent, HookRun, PromotionHook } from '../../shared/contract';

export const HOOK_COMMAND_TIMEOUT_MS = 60_000;
export const HOOK_URL_TIMEOUT_MS = 10_000;
const TAIL = 500;

const tail = (text: string) => (text.length > TAIL ? `…${text.slice(-TAIL)}` : text).trim();

export function hookPayload(event: AliasEvent, model: string, version: number) {
  return { ...event, event: 'model.alias', model, version };
}

function runCommand(command: string, body: string, env: Record<string, string>): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let timedOut = false;
    const collect = (chunk: Buffer) => {
      out = (out + chunk.toString('utf8')).slice(-4 * TAIL);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, HOOK_COMMAND_TIMEOUT_MS);
    // A command that never reads stdin closes it early: that is not the hook failing.
    child.stdin.on('error', () => undefined);
    child.stdin.end(body);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, detail: `could not start: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const said = tail(out);
      if (timedOut) return resolve({ ok: false, detail: `killed after ${HOOK_COMMAND_TIMEOUT_MS / 1000} s${said ? `: ${said}` : ''}` });
      const how = code === null ? `ended by ${signal}` : `exit ${code}`;
      resolve({ ok: code === 0, detail: `${how}${said ? `: ${said}` : ''}` });
    });
  });
}

async function postUrl(url: string, body: string): Promise<{ ok: boolean; detail: string }> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(HOOK_URL_TIMEOUT_MS) });
    const text = tail(await res.text().catch(() => ''));
    return { ok: res.ok, detail: `HTTP ${res.status}${text ? `: ${text}` : ''}` };
  } catch (err) {
    const e = err as Error & { cause?: { message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${HOOK_URL_TIMEOUT_MS / 1000} s` : `${e.message}${e.cause?.message ? ` (${e.cause.message})` : ''}`;
    return { ok: false, detail: why };
  }
}

/** Runs one hook; never throws. The URL is shown without its query string or credentials. */
export async function runHook(hook: PromotionHook, event: AliasEvent, model: string, version: number): Promise<HookRun> {
  const body = JSON.stringify(hookPayload(event, model, version));
  const at = Date.now();
  const result =
    hook.kind === 'command'
      ? await runCommand(hook.command, body, { TRAINYARD_MODEL: model, TRAINYARD_VERSION: String(version), TRAINYARD_ALIAS: event.alias })
      : await postUrl(hook.url, body);
  return { hook, at, ...result };
}

/** A hook as it may be shown or logged: a URL loses any user:password and its query. */
export function hookLabel(hook: PromotionHook): string {
  if (hook.kind === 'command') return `command ${JSON.stringify(hook.command)}`;
  try {
    const u = new URL(hook.url);
    return `POST ${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'POST (unreadable URL)';
  }
}
