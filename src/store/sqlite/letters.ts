/** The SQLite letter store: the SQL store over a SQLite file (WAL, versioned migrations at open). */

import { SqlLetterStore } from '../sql/letters.js';
import { SqliteDb } from './db.js';

export class SqliteLetterStore extends SqlLetterStore {
  declare readonly db: SqliteDb;
  constructor(file: string, busyTimeoutMs = 5_000) {
    super(new SqliteDb(file, busyTimeoutMs));
  }

  get schemaVersion(): number {
    return this.db.schemaVersion;
  }
}
