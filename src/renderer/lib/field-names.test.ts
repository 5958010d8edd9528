import { describe, expect, it } from 'vitest';
import { fieldLabel, humanMessage } from './field-names';

describe('field names in messages', () => {
  it('names a field in words, with the group it belongs to', () => {
    expect(fieldLabel('spec.params.epochs')).toBe('epochs');
    expect(fieldLabel('params.hiddenUnits')).toBe('hiddenUnits');
    expect(fieldLabel('spec.target')).toBe('Target column');
    expect(fieldLabel('spec.space.learningRate')).toBe('Search space › learningRate');
    expect(fieldLabel('enqueue.0.learningRate')).toBe('Warm start › learningRate');
    expect(fieldLabel('source')).toBe('File');
    expect(fieldLabel('resources.gpus')).toBe('GPUs');
  });

  it('replaces a leading path or the error’s field, and leaves other messages alone', () => {
    expect(humanMessage('params.epochs: Number must be at most 10000')).toBe('epochs: Number must be at most 10000');
    expect(humanMessage('spec.space.window: low must be below high')).toBe('Search space › window: low must be below high');
    expect(humanMessage('must be at most 10000', 'spec.params.epochs')).toBe('epochs: must be at most 10000');
    expect(humanMessage('learningRate: 5 is not in the range', 'params.learningRate')).toBe('learningRate: 5 is not in the range');
    expect(humanMessage('x.csv is named .parquet but is not a Parquet file', 'source')).toBe('File: x.csv is named .parquet but is not a Parquet file');
    expect(humanMessage('Row 3: bad value')).toBe('Row 3: bad value');
    expect(humanMessage('Note: the queue is paused')).toBe('Note: the queue is paused');
  });
});
