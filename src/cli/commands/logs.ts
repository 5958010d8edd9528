/**
 * `trainyard logs`: the core log of a data directory (`<dataDir>/logs/core.log`), read straight from
 * the file, so it works with or without a running server. `-f` follows it as `tail -f` does, across
 * rotations.
 */
import { Option, type Command } from 'commander';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { CORE_LOG_KEEP, CORE_LOG_LEVELS, coreLogPath, type CoreLogLevel } from '../../core/log';
import { dataDirOf, printJson } from './context';

const FOLLOW_POLL_MS = 300;

interface Entry {
  level?: string;
  time?: number;
  scope?: string;
  message?: string;
  [key: string]: unknown;
}

const rank = (level: string | undefined): number => CORE_LOG_LEVELS.indexOf(level as CoreLogLevel);

/** Parsed lines at or above `min`; a line that is not JSON (a write cut short by a crash) is kept as its text. */
function entries(text: string, min: CoreLogLevel): Entry[] {
  const out: Entry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let e: Entry;
    try {
      e = JSON.parse(line) as Entry;
    } catch {
      e = { level: 'error', message: `(unreadable line) ${line}` };
    }
    if (rank(e.level) >= rank(min)) out.push(e);
  }
  return out;
}

const SHOWN_ELSEWHERE = new Set(['level', 'time', 'scope', 'message', 'pid']);

/** `2026-12-03T12:00:00.000Z ERROR queue: message key=value ...` */
export function formatEntry(e: Entry): string {
  const when = typeof e.time === 'number' ? new Date(e.time).toISOString() : '-';
  const extra = Object.entries(e)
    .filter(([k]) => !SHOWN_ELSEWHERE.has(k))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  return `${when} ${(e.level ?? '?').toUpperCase().padEnd(5)} ${e.scope ?? '-'}: ${e.message ?? ''}${extra ? ` ${extra}` : ''}`;
}

function print(list: Entry[], json: boolean): void {
  for (const e of list) process.stdout.write(`${json ? JSON.stringify(e) : formatEntry(e)}\n`);
}

/** Reads what was appended since `offset`, starting over when the file shrank (it was rotated). */
function follow(file: string, from: number, min: CoreLogLevel, json: boolean): Promise<void> {
  let offset = from;
  let pending = '';
  const poll = () => {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return; // Between a rotation's rename and the next write there is no file for a moment.
    }
    if (size < offset) {
      offset = 0;
      pending = '';
    }
    if (size === offset) return;
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(size - offset);
      readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      const text = pending + buf.toString('utf8');
      const cut = text.lastIndexOf('\n');
      pending = text.slice(cut + 1);
      print(entries(text.slice(0, cut + 1), min), json);
    } finally {
      closeSync(fd);
    }
  };
  return new Promise<void>((resolve) => {
    const timer = setInterval(poll, FOLLOW_POLL_MS);
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .description('show the core log of the data directory (caught errors and what the core did about them)')
    .option('-f, --follow', 'keep printing lines as they are written')
    .addOption(new Option('--level <level>', 'show this level and above').choices([...CORE_LOG_LEVELS]).default('info'))
    .option('--all', `include the rotated files (up to ${CORE_LOG_KEEP} older ones)`)
    .option('--json', 'JSON: an array of entries, or one entry per line with --follow')
    .action(async (opts: { follow?: boolean; level: CoreLogLevel; all?: boolean; json?: boolean }, cmd: Command) => {
      const file = coreLogPath(dataDirOf(cmd));
      const files = opts.all ? [...Array.from({ length: CORE_LOG_KEEP }, (_, i) => `${file}.${CORE_LOG_KEEP - i}`), file] : [file];
      let text = '';
      // Following goes on from the end of what was read here, so no line is shown twice or missed.
      let readBytes = 0;
      for (const f of files) {
        if (!existsSync(f)) continue;
        const buf = readFileSync(f);
        if (f === file) readBytes = buf.length;
        text += buf.toString('utf8');
      }
      const list = entries(text, opts.level);
      if (opts.follow) {
        print(list, Boolean(opts.json));
        await follow(file, readBytes, opts.level, Boolean(opts.json));
        return;
      }
      if (opts.json) printJson(list);
      else if (!existsSync(file) && list.length === 0) process.stderr.write(`No core log yet at ${file}\n`);
      else print(list, false);
    });
}
