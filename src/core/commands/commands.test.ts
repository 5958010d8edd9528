import { describe, expect, it } from 'vitest';
import { CommandSpec } from '../../shared/contract';
import { invalid } from '../../../test/helpers/expect-error';
import { LineSplitter, LogBudget, TRUNCATED_MARKER, commandInvocation, metricLineBody, parseMetricObject, templateParams } from '.';

const spec = (argv: string[], params = {}) => CommandSpec.parse({ kind: 'command', argv, params, cwd: '/work', env: { A: '1' } });

describe('commandInvocation', () => {
  it('fills {param} placeholders, keeps {{ }} as braces, and passes the params as TRAINYARD_PARAMS', () => {
    const inv = commandInvocation(spec(['python', 'train.py', '--lr={lr}', '{layers}x{layers}', '{{"json": {{}}}}'], { lr: 0.01, layers: 3 }));
    expect(inv.argv).toEqual(['python', 'train.py', '--lr=0.01', '3x3', '{"json": {}}']);
    expect(inv.cwd).toBe('/work');
    expect(inv.env).toEqual({ A: '1', TRAINYARD_PARAMS: '{"lr":0.01,"layers":3}' });
  });
  it('takes the params it is given over the spec’s (a study trial), and adds the run’s files when given', () => {
    const inv = commandInvocation(spec(['x', '{lr}'], { lr: 1 }), { lr: 2 }, { artifactsDir: '/a', metricsFile: '/m', pruneFile: '/p', jobId: 'j', runId: 'r' });
    expect(inv.argv).toEqual(['x', '2']);
    expect(inv.env).toMatchObject({ TRAINYARD_ARTIFACTS_DIR: '/a', TRAINYARD_METRICS_FILE: '/m', TRAINYARD_PRUNE_FILE: '/p', TRAINYARD_JOB_ID: 'j', TRAINYARD_RUN_ID: 'r' });
  });
  it('refuses a placeholder no param sets, naming the argument', () => {
    const err = invalid(() => commandInvocation(spec(['x', '--lr', '{lr}'], { rate: 1 })));
    expect(err.field).toBe('spec.argv.2');
    expect(err.message).toContain('names the param {lr}, which is not set (params: rate)');
    expect(templateParams(['{a}', '{{b}}', '{c}{a}'])).toEqual(['a', 'c']);
  });
  it('refuses a relative cwd and an empty argv in the contract', () => {
    expect(CommandSpec.safeParse({ kind: 'command', argv: ['x'], cwd: 'rel' }).success).toBe(false);
    expect(CommandSpec.safeParse({ kind: 'command', argv: [] }).success).toBe(false);
    expect(CommandSpec.safeParse({ kind: 'command', argv: ['x'], env: { '1BAD': 'v' } }).success).toBe(false);
  });
});

describe('metric lines', () => {
  it('reads the prefix, the step and every number; a line without a step takes the next one', () => {
    expect(metricLineBody('TRAINYARD_METRIC {"step": 3}')).toBe('{"step": 3}');
    expect(metricLineBody(' TRAINYARD_METRIC {}')).toBeNull();
    expect(metricLineBody('TRAINYARD_METRIC{}')).toBeNull();
    expect(parseMetricObject('{"step": 3, "loss": 0.41, "name": "x", "ok": true, "n": null}', 0)).toEqual({
      ok: true,
      step: 3,
      points: [{ key: 'loss', step: 3, value: 0.41 }],
      skipped: ['name', 'ok', 'n'],
    });
    expect(parseMetricObject('{"acc": 0.9}', 7)).toMatchObject({ ok: true, step: 7, points: [{ key: 'acc', step: 7, value: 0.9 }] });
  });
  it('says why a line is not one', () => {
    expect(parseMetricObject('{"loss": ', 0)).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
    expect(parseMetricObject('[1]', 0)).toEqual({ ok: false, error: 'not a JSON object' });
    expect(parseMetricObject('{"step": 1.5}', 0)).toMatchObject({ ok: false, error: expect.stringContaining('whole number') });
  });
});

describe('LineSplitter', () => {
  it('joins lines across chunks, drops \\r, keeps a last line without a newline', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), 100);
    s.push(Buffer.from('ab'));
    s.push(Buffer.from('c\r\nde\n\nf'));
    s.end();
    expect(lines).toEqual(['abc', 'de', '', 'f']);
  });
  it('keeps the first maxLineBytes of a long line and says how long it was, across chunks', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), 4);
    s.push(Buffer.from('abcdefgh'));
    s.push(Buffer.from('ij\nok\n'));
    expect(lines).toEqual([`abcd${TRUNCATED_MARKER} 10 bytes in all]`, 'ok']);
  });
});

describe('LogBudget', () => {
  it('admits a burst of perSecond lines, then counts what it holds back and says so once lines pass again', () => {
    const notes: string[] = [];
    const b = new LogBudget(3, 1000);
    const admitted = Array.from({ length: 10 }, () => b.admit((n) => notes.push(n))).filter(Boolean).length;
    expect(admitted).toBe(3);
    b.flush((n) => notes.push(n));
    expect(notes).toEqual(['… 7 lines of output not kept in the log (output came faster than 3 lines/s)']);
  });
  it('stops at the total, and says it at the end', () => {
    const notes: string[] = [];
    const b = new LogBudget(1e9, 2);
    expect([b.admit(() => undefined), b.admit(() => undefined), b.admit(() => undefined)]).toEqual([true, true, false]);
    b.flush((n) => notes.push(n));
    expect(notes[0]).toMatch(/1 line of output not kept in the log \(the log keeps at most 2 lines per run of a command\)/);
  });
});
