/**
 * The batch tables (issue 15, batches): one DDL for SQLite (a migration) and PostgreSQL
 * (created at start by batches/pg-client.ts), so both stores hold the same columns. Portable
 * types only: TEXT ISO timestamps, INTEGER counts, no engine-specific functions. Once released
 * this text never changes (it is a migration): a change is a new migration.
 */
export const BATCH_TABLES = `
CREATE TABLE IF NOT EXISTS batches (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  user_id TEXT,
  scopes_json TEXT,
  mode TEXT NOT NULL,
  status TEXT NOT NULL,
  total INTEGER NOT NULL,
  idempotency_key TEXT,
  callback_url TEXT,
  callback_status TEXT NOT NULL,
  callback_attempts INTEGER NOT NULL,
  callback_next_at TEXT,
  callback_error TEXT,
  created_at TEXT NOT NULL,
  finished_at TEXT,
  UNIQUE (org_id, idempotency_key)
);
CREATE TABLE IF NOT EXISTS batch_rows (
  batch_id TEXT NOT NULL REFERENCES batches (id),
  row_no INTEGER NOT NULL,
  status TEXT NOT NULL,
  contract_no TEXT,
  input_json TEXT,
  attempts INTEGER NOT NULL,
  claimed_until TEXT,
  letter_id TEXT,
  letter_no TEXT,
  request_id TEXT,
  error_json TEXT,
  finished_at TEXT,
  PRIMARY KEY (batch_id, row_no)
);
CREATE INDEX IF NOT EXISTS batch_rows_status ON batch_rows (batch_id, status, row_no);
CREATE INDEX IF NOT EXISTS batch_rows_finished ON batch_rows (batch_id, finished_at);
CREATE INDEX IF NOT EXISTS batch_rows_queue ON batch_rows (status, claimed_until);
CREATE INDEX IF NOT EXISTS batches_callbacks ON batches (callback_status, callback_next_at);
`;
