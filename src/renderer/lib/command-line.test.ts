import { describe, expect, it } from 'vitest';
import { paramValue, parseAssignments, splitCommandLine } from './command-line';

describe('splitCommandLine', () => {
  it('splits words as a shell does, with quotes and escapes, and expands nothing', () => {
    expect(splitCommandLine('python3 train.py --lr {lr}')).toEqual(['python3', 'train.py', '--lr', '{lr}']);
    expect(splitCommandLine(`  sh -c 'echo $HOME; ls *'  "a b" c\\ d "x\\"y" '' `)).toEqual(['sh', '-c', 'echo $HOME; ls *', 'a b', 'c d', 'x"y', '']);
  });
  it('refuses an unclosed quote', () => {
    expect(() => splitCommandLine('echo "oops')).toThrow(/unclosed double quote/);
  });
});

describe('parseAssignments', () => {
  it('reads NAME=value lines, skipping blanks and comments, and names the bad line', () => {
    expect(parseAssignments('A=1\n\n# note\nB = two=2\n', 'Environment')).toEqual({ A: '1', B: 'two=2' });
    expect(() => parseAssignments('A=1\nnope', 'Params')).toThrow('Params, line 2: expected NAME=value, got "nope"');
  });
  it('types params as the CLI does', () => {
    expect([paramValue('0.01'), paramValue('true'), paramValue('adam'), paramValue('')]).toEqual([0.01, true, 'adam', '']);
  });
});
