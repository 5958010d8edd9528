/**
 * What a job's `data` options can be checked against before it is queued: the dataset's row count
 * and whether it has a time column. The rows after resolution are known only once the file is
 * read (duplicates merged, gaps dropped), so the load step checks a row split again, exactly.
 */
import type { DataHandling } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { parseTimestamp } from './cells';

export function checkDataHandling(data: DataHandling | undefined, dataset: { name: string; rows: number; timeColumn: string | null }, prefix: string): void {
  const split = data?.split;
  if (!split) return;
  if ('rows' in split) {
    const [valStart, testStart] = split.rows;
    if (testStart > dataset.rows - 1) {
      throw new InvalidInput(
        `${prefix}.split.rows: the first test row ${testStart} is past the last row of dataset ${dataset.name} (${dataset.rows} rows, indices 0-${dataset.rows - 1})`,
        `${prefix}.split.rows`,
      );
    }
    if (valStart >= testStart) throw new InvalidInput(`${prefix}.split.rows: the first test row must come after the first validation row`, `${prefix}.split.rows`);
    return;
  }
  if (!dataset.timeColumn) {
    throw new InvalidInput(`${prefix}.split: a split by date needs a time column, and dataset ${dataset.name} has none`, `${prefix}.split`);
  }
  const valFrom = parseTimestamp(split.valFrom);
  const testFrom = parseTimestamp(split.testFrom);
  if (valFrom === null) throw new InvalidInput(`${prefix}.split.valFrom: "${split.valFrom}" is not a date or time`, `${prefix}.split.valFrom`);
  if (testFrom === null) throw new InvalidInput(`${prefix}.split.testFrom: "${split.testFrom}" is not a date or time`, `${prefix}.split.testFrom`);
  if (!(valFrom < testFrom)) {
    throw new InvalidInput(`${prefix}.split: testFrom (${split.testFrom}) must come after valFrom (${split.valFrom})`, `${prefix}.split.testFrom`);
  }
}
