import type { Kysely, Selectable } from 'kysely';
import type { ColumnStats, Dataset } from '../../../shared/contract';
import type { DB, DatasetsTable } from '../schema';

/** A dataset as stored; its warnings and whether it can train are derived from the stored column statistics when it is read. */
export interface StoredDataset extends Omit<Dataset, 'warnings' | 'cannotTrain'> {
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

  async rename(id: string, name: string): Promise<void> {
    await this.db.updateTable('datasets').set({ name }).where('id', '=', id).execute();
  }

  /**
   * Removes the row unless a queued or running job, or a running study, uses the dataset; checked
   * and removed in one transaction, so no job can start using it in between. Returns what uses it
   * (nothing was removed) or empty lists (removed). Finished jobs and runs that pointed at it keep
   * the dataset's sha256, their lineage, but lose the link the foreign keys would otherwise refuse.
   */
  async removeUnlessUsed(id: string): Promise<{ jobs: string[]; studies: string[] }> {
    return this.db.transaction().execute(async (trx) => {
      const jobs = await trx
        .selectFrom('jobs')
        .select('id')
        .where('dataset_id', '=', id)
        .where('status', 'in', ['queued', 'running'])
        .orderBy('created_at')
        .execute();
      const running = await trx.selectFrom('studies').select(['name', 'train']).where('status', '=', 'running').execute();
      const studies = running.filter((r) => (JSON.parse(r.train) as { datasetId?: string }).datasetId === id).map((r) => r.name);
      const users = { jobs: jobs.map((r) => r.id), studies };
      if (users.jobs.length > 0 || users.studies.length > 0) return users;
      await trx.updateTable('jobs').set({ dataset_id: null }).where('dataset_id', '=', id).execute();
      await trx.updateTable('runs').set({ dataset_id: null }).where('dataset_id', '=', id).execute();
      await trx.deleteFrom('datasets').where('id', '=', id).execute();
      return users;
    });
  }
}
