import type { Kysely, Selectable } from 'kysely';
import type { ColumnStats, Dataset } from '../../../shared/contract';
import type { DB, DatasetsTable } from '../schema';

/** A dataset as stored; its warnings are derived from the stored column statistics when it is read. */
export interface StoredDataset extends Omit<Dataset, 'warnings'> {
  /** Relative to the data directory. */
  path: string;
}

const toDataset = (r: Selectable<DatasetsTable>): StoredDataset => ({
  id: r.id,
  name: r.name,
  filename: r.filename,
  path: r.path,
  sha256: r.sha256,
  sizeBytes: r.size_bytes,
  rows: r.rows,
  columns: JSON.parse(r.columns) as ColumnStats[],
  timeColumn: r.time_column,
  createdAt: r.created_at,
});

export class DatasetRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(d: StoredDataset): Promise<void> {
    await this.db
      .insertInto('datasets')
      .values({
        id: d.id,
        name: d.name,
        filename: d.filename,
        path: d.path,
        sha256: d.sha256,
        size_bytes: d.sizeBytes,
        rows: d.rows,
        columns: JSON.stringify(d.columns),
        time_column: d.timeColumn,
        created_at: d.createdAt,
      })
      .execute();
  }

  async get(id: string): Promise<StoredDataset | undefined> {
    const r = await this.db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toDataset(r);
  }

  async byName(name: string): Promise<StoredDataset | undefined> {
    const r = await this.db.selectFrom('datasets').selectAll().where('name', '=', name).executeTakeFirst();
    return r && toDataset(r);
  }

  async list(): Promise<StoredDataset[]> {
    const rows = await this.db.selectFrom('datasets').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(toDataset);
  }
}
