/** Following a JSON-lines file another process appends to: whole lines only, each once, bad ones reported. */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../../../test/helpers/tmp';
import { JsonLinesTail } from './tail';

const tmp = tempDirPerTest();

describe('JsonLinesTail', () => {
  it('waits for a line to be whole, reads each line once even when reads overlap, and reports a line that is not JSON', async () => {
    const file = join(tmp(), 'events.jsonl');
    const bad: string[] = [];
    const tail = new JsonLinesTail<{ n: number }>(file, (l) => bad.push(l));
    expect(await tail.read()).toEqual([]); // not written yet
    appendFileSync(file, '{"n":1}\n{"n":');
    expect(await tail.read()).toEqual([{ n: 1 }]);
    appendFileSync(file, '2}\nnot json\n{"n":3}\n');
    const [a, b] = await Promise.all([tail.read(), tail.read()]);
    expect([...a, ...b]).toEqual([{ n: 2 }, { n: 3 }]);
    expect(bad).toEqual(['not json']);
  });
});
