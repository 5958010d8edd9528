import type { Command } from 'commander';
import { resolve } from 'node:path';
import { openSession, type Session } from '../session';

/** The data directory from the root command's option, resolved once. */
export function dataDirOf(cmd: Command): string {
  let root = cmd;
  while (root.parent) root = root.parent;
  return resolve(root.opts<{ dataDir: string }>().dataDir);
}

/** Runs `fn` with a session, always closing it (and the in-process core) afterwards. */
export async function withSession<T>(cmd: Command, opts: { scheduler: boolean }, fn: (s: Session) => Promise<T>): Promise<T> {
  const session = await openSession(dataDirOf(cmd), opts);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `--param k=v` repeated: numbers stay numbers, true/false become booleans, the rest stay strings. */
export function collectParam(value: string, previous: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new Error(`--param expects key=value, got ${JSON.stringify(value)}`);
  const key = value.slice(0, eq).trim();
  const raw = value.slice(eq + 1).trim();
  let v: string | number | boolean = raw;
  if (raw === 'true' || raw === 'false') v = raw === 'true';
  else if (raw !== '' && Number.isFinite(Number(raw))) v = Number(raw);
  return { ...previous, [key]: v };
}
