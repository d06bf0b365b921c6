/**
 * The workspace's tables (issue 12): server-side sign-in sessions (only the token's sha256 is
 * stored), import batches with their rows (the rejected rows encrypted with the data key, for the
 * download), and which draft letters a reviewer opened before deciding. One DDL in portable
 * types for SQLite (migration 8) and PostgreSQL (migration 2). Released: never changes
 * (result_sealed is renamed result_encrypted by a later one: encrypted-column-names.ts).
 */
export const WEB_TABLES = `CREATE TABLE web_sessions (
     token_sha256 TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users (id),
     csrf TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   CREATE TABLE import_batches (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs (id),
     engagement_id TEXT REFERENCES engagements (id),
     file_name TEXT NOT NULL,
     created_by TEXT NOT NULL,
     rows_total INTEGER NOT NULL,
     rows_accepted INTEGER NOT NULL,
     result_sealed TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX import_batches_org ON import_batches (org_id, created_at);
   CREATE TABLE import_batch_requests (
     batch_id TEXT NOT NULL REFERENCES import_batches (id),
     request_id TEXT NOT NULL REFERENCES letter_requests (id),
     row_no INTEGER NOT NULL,
     PRIMARY KEY (batch_id, request_id)
   );
   CREATE INDEX import_batch_requests_request ON import_batch_requests (request_id);
   CREATE TABLE review_opens (
     request_id TEXT NOT NULL REFERENCES letter_requests (id),
     user_id TEXT NOT NULL REFERENCES users (id),
     opened_at TEXT NOT NULL,
     PRIMARY KEY (request_id, user_id)
   );`;
