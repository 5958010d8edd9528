/** One step of the schema. Versions are consecutive integers; SQLite's user_version holds the latest applied. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
