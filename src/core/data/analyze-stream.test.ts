import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import { analyzeTable } from './analyze';
import { analyzeCsvStream } from './analyze-stream';
import { csvTable } from './read-table';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const resources = new URL('../../../resources/datasets/', import.meta.url);

/** The streamed analysis of `text`, read in chunks of `chunk` bytes so that rows, quotes and UTF-8 characters straddle them. */
async function streamed(text: string, chunk: number): Promise<unknown> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const path = join(t.dir, 'x.csv');
  writeFileSync(path, text);
  return analyzeCsvStream(path, text.slice(0, 4096), async () => {}, chunk).catch((e: unknown) => e);
}

function inMemory(text: string): unknown {
  try {
    return analyzeTable(csvTable(text));
  } catch (e) {
    return e;
  }
}

const CASES: Record<string, string> = {
  bom_and_blank_lines: '\ufefftime,v\n\n2024-01-01,1\n2024-01-02,\n\n2024-01-03,x\n',
  quoted_newlines_and_utf8: 'name,city,v\n"a\nb",Zürich,1.5\n"c ""d""",Köln,2\né,Genève,3\n',
  mostly_numbers_text: 'k,v\na,1\nb,2\nc,n/a\nd,4\n',
  years: 'year,v\n1990,1\n1991,2\n199x,3\n',
  semicolons: 'a;b\n1;2\n3;4\n',
  ragged: 'a,b\n1,2\n3\n',
  no_header: '1,2\n3,4\n5,6\n',
  duplicate: 'a,a\n1,2\n3,4\n',
  one_row: 'a,b\n1,2\n',
  empty: '\n  \n',
  bad_quote: 'a,b\n1,"2\n3,4\n',
};

describe('streamed CSV analysis', () => {
  it('records what the in-memory analysis records for every bundled CSV', async () => {
    for (const f of readdirSync(resources).filter((n) => n.endsWith('.csv'))) {
      const text = readFileSync(new URL(f, resources), 'utf8');
      expect(await streamed(text, 64 * 1024), f).toEqual(inMemory(text));
    }
  });

  it.each(Object.entries(CASES))('%s: same record or same error, in chunks of 1 to 7 bytes', async (_name, text) => {
    const want = inMemory(text);
    for (const chunk of [1, 3, 7, 1024]) {
      const got = await streamed(text, chunk);
      if (want instanceof Error) expect((got as Error).message).toBe(want.message);
      else expect(got).toEqual(want);
    }
  });
});
