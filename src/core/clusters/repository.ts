/** The cluster targets, one row each. */
import type { Kysely, Selectable } from 'kysely';
import type { Cluster } from '../../shared/contract';
import type { ClustersTable, DB } from '../store';

const toCluster = (r: Selectable<ClustersTable>): Cluster => ({
  name: r.name,
  kind: 'slurm',
  partition: r.partition,
  account: r.account,
  workdir: r.workdir,
  maxInFlight: r.max_in_flight,
  createdAt: r.created_at,
});

export class ClusterRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async list(): Promise<Cluster[]> {
    return (await this.db.selectFrom('clusters').selectAll().orderBy('name').execute()).map(toCluster);
  }

  async insert(c: Cluster): Promise<void> {
    await this.db
      .insertInto('clusters')
      .values({ name: c.name, kind: c.kind, partition: c.partition, account: c.account, workdir: c.workdir, max_in_flight: c.maxInFlight, created_at: c.createdAt })
      .execute();
  }

  async remove(name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('clusters').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Jobs on the cluster that have not ended: a cluster in use cannot be removed. */
  async unfinishedJobs(name: string): Promise<number> {
    const r = await this.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('cluster', '=', name).where('status', 'in', ['queued', 'running']).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** The newest log line's time for a job: lines up to it were recorded before a restart. */
  async lastLogTs(jobId: string): Promise<number> {
    const r = await this.db.selectFrom('job_logs').select((eb) => eb.fn.max<number>('ts').as('ts')).where('job_id', '=', jobId).executeTakeFirst();
    return r?.ts ?? 0;
  }
}
