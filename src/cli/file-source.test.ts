/**
 * What a CLI beside a running server sends for a file: its content while it fits one message, else
 * its path (which only a server started with --allow-path-imports for its folder reads). A file
 * too large to send must not be read into the CLI's memory first.
 */
import { closeSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../test/helpers/tmp';
import { MAX_MESSAGE_BYTES } from '../server';
import { fileSource } from './file-source';

const tmp = tempDirPerTest();

describe('fileSource beside a server', () => {
  it('sends a small file as its content, with the user’s file name', () => {
    const file = join(tmp(), 'load.csv');
    writeFileSync(file, 'time,load\n2020-01-01,1\n');
    const source = fileSource({ local: false }, file);
    expect(source).toMatchObject({ kind: 'content', filename: 'load.csv', encoding: 'base64' });
    expect(Buffer.from((source as { text: string }).text, 'base64').toString()).toBe('time,load\n2020-01-01,1\n');
  });

  it('names a file too large for one message by its path (a sparse file: nothing is read)', () => {
    const file = join(tmp(), 'big.csv');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, MAX_MESSAGE_BYTES); // larger than the message once in base64
    closeSync(fd);
    expect(fileSource({ local: false }, file)).toEqual({ kind: 'path', path: file });
  });

  it('says which file it cannot read', () => {
    expect(() => fileSource({ local: false }, join(tmp(), 'missing.csv'))).toThrow(/Cannot read .*missing\.csv: ENOENT/);
  });

  it('in the user’s own process always passes the path', () => {
    expect(fileSource({ local: true }, '/data/x.csv')).toEqual({ kind: 'path', path: '/data/x.csv' });
  });
});
