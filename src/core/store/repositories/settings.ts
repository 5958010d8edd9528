import type { Kysely } from 'kysely';
import type { DB } from '../schema';

/** Saved preferences (the queue's limits, whether it is paused), one JSON value per key. */
export class SettingsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** The saved value, or undefined when the key was never set. */
  async get(key: string): Promise<unknown> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r ? (JSON.parse(r.value) as unknown) : undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    await this.db
      .insertInto('settings')
      .values({ key, value: json })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
      .execute();
  }
}
