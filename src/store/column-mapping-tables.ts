/**
 * How a client's spreadsheet columns are read (issue 29): each organisation's choice per client
 * for a header the import does not know — the letter field its cells fill, or `ignore` — reused
 * on the client's next file; and an upload waiting for those choices (its rows encrypted with the
 * data key, kept until the import runs or for a day). One DDL for SQLite (migration 18) and
 * PostgreSQL (migration 12). Released: never changes (upload_sealed is renamed upload_encrypted
 * by a later one: encrypted-column-names.ts).
 */
export const COLUMN_MAPPING_TABLES = `CREATE TABLE column_mappings (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs (id),
     client_org_id TEXT NOT NULL REFERENCES orgs (id),
     header TEXT NOT NULL,
     target TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     UNIQUE (org_id, client_org_id, header)
   );
   CREATE TABLE import_uploads (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs (id),
     user_id TEXT NOT NULL REFERENCES users (id),
     upload_sealed TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX import_uploads_created ON import_uploads (created_at);`;
