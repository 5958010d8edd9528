import { readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp';
import { CORE_LOG_FILE, closeCoreLog, coreLog } from './log';
import { rotatingFile } from './log-rotate';

describe('core log', () => {
  it('writes pino JSON lines with scope, level, message and context to <dataDir>/logs/core.log, 0600', () => {
    const t = tempDir();
    try {
      const log = coreLog(t.dir, 'queue');
      log('error', 'Could not record the run', { jobId: 'j1', error: new Error('disk is full') });
      log('info', 'Started');
      const file = join(t.dir, 'logs', CORE_LOG_FILE);
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ level: 'error', scope: 'queue', message: 'Could not record the run', jobId: 'j1', error: { message: 'disk is full' } });
      expect(typeof lines[0].time).toBe('number');
      expect(lines[1]).toMatchObject({ level: 'info', message: 'Started' });
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      t.cleanup();
    }
  });

  it('holds no file open in the data directory once closed, and opens it again for a later line', () => {
    const t = tempDir();
    const openInDir = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(t.dir);
        } catch {
          return false; // the fd of the listing itself, gone by now
        }
      }).length;
    try {
      const log = coreLog(t.dir, 'app');
      log('info', 'Started');
      expect(openInDir()).toBe(1);
      closeCoreLog(t.dir);
      expect(openInDir()).toBe(0);
      log('info', 'After the close');
      expect(readFileSync(join(t.dir, 'logs', CORE_LOG_FILE), 'utf8').trim().split('\n')).toHaveLength(2);
      closeCoreLog(t.dir);
    } finally {
      t.cleanup();
    }
  });

  it('rotates by size and keeps only the newest files', () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'core.log');
      const out = rotatingFile(file, { maxBytes: 120, keep: 2 });
      for (let i = 0; i < 10; i++) out.write(`${JSON.stringify({ i, pad: 'x'.repeat(40) })}\n`);
      out.close();
      expect(readdirSync(t.dir).sort()).toEqual(['core.log', 'core.log.1', 'core.log.2']);
      const newest = readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { i: number }).i);
      expect(newest).toEqual([8, 9]);
      const older = readFileSync(`${file}.2`, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { i: number }).i);
      expect(older).toEqual([4, 5]);
      for (const f of readdirSync(t.dir)) expect(statSync(join(t.dir, f)).size).toBeLessThanOrEqual(120);
    } finally {
      t.cleanup();
    }
  });
});

describe('core log file', () => {
  it('reopens its file when another process rotated it or the folder was removed', () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'logs', 'core.log');
      const mine = rotatingFile(file, { maxBytes: 1000, keep: 2 });
      const other = rotatingFile(file, { maxBytes: 1000, keep: 2 });
      mine.write(`${'a'.repeat(600)}\n`);
      other.write(`${'b'.repeat(600)}\n`); // past the size: the other one rotates
      mine.write('c\n');
      expect(readFileSync(file, 'utf8')).toBe(`${'b'.repeat(600)}\nc\n`);
      expect(readFileSync(`${file}.1`, 'utf8')).toBe(`${'a'.repeat(600)}\n`);
      rmSync(join(t.dir, 'logs'), { recursive: true });
      mine.write('d\n');
      expect(readFileSync(file, 'utf8')).toBe('d\n');
      mine.close();
      other.close();
    } finally {
      t.cleanup();
    }
  });
});
