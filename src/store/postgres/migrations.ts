/**
 * The PostgreSQL schema, as versioned migrations applied in order at start under an advisory
 * lock (store/postgres/db.ts), so instances starting together migrate once. Numbered
 * independently of the SQLite list (store/migrations.ts): version 1 is the SQLite schema as of
 * its migration 6, plus what only a shared database needs (series counters, the blobs table).
 *
 * Adding a table or column for a feature: append one migration to BOTH lists — the SQLite one
 * to store/migrations.ts, the PostgreSQL one here — in the portable types (TEXT, INTEGER,
 * BIGINT for amounts and sizes, BYTEA only here) — and add the table to COPIED_TABLES in
 * store/copy.ts so `hanjian registry migrate` carries it over. A released migration never
 * changes.
 */
import { BATCH_TABLES } from '../batch-tables.js';
import { COLUMN_MAPPING_TABLES } from '../column-mapping-tables.js';
import { ENCRYPTED_COLUMN_NAMES } from '../encrypted-column-names.js';
import { MANDATE_COLUMNS } from '../mandate-columns.js';
import { META_TABLE } from '../meta-table.js';
import { PLAN_CODE_TABLES } from '../plan-code-tables.js';
import { PLAN_COST_COLUMNS } from '../plan-cost-columns.js';
import { RECEIPT_COLUMNS } from '../receipt-columns.js';
import { SEAL_TASK_TABLES } from '../seal-task-tables.js';
import { TASKS_INTO_BATCHES_PG } from '../tasks-into-batches.js';
import { TIMESTAMP_COLUMNS } from '../timestamp-columns.js';
import { USER_STATUS_COLUMNS } from '../user-status-columns.js';
import { WEB_TABLES } from '../web-tables.js';

export const PG_MIGRATIONS: string[] = [
  `CREATE TABLE orgs (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('creditor', 'law-firm')),
     name TEXT NOT NULL UNIQUE,
     credit_code TEXT, license_no TEXT, letter_prefix TEXT, address TEXT, phone TEXT,
     register_year INTEGER, register_next INTEGER,
     review_own_letters INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL
   );
   INSERT INTO orgs (id, kind, name, created_at) VALUES ('default', 'creditor', '（默认机构）', '1970-01-01T00:00:00.000Z');
   CREATE TABLE users (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs (id),
     login TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('lawyer', 'assistant', 'admin')),
     license_no TEXT, phone TEXT, password_hash TEXT,
     created_at TEXT NOT NULL
   );
   CREATE TABLE api_keys (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs (id),
     user_id TEXT REFERENCES users (id),
     key_sha256 TEXT NOT NULL UNIQUE,
     scopes TEXT NOT NULL,
     created_at TEXT NOT NULL,
     revoked_at TEXT
   );
   CREATE TABLE engagements (
     id TEXT PRIMARY KEY,
     creditor_org_id TEXT NOT NULL REFERENCES orgs (id),
     firm_org_id TEXT NOT NULL REFERENCES orgs (id),
     signed_on TEXT NOT NULL, starts_on TEXT NOT NULL, ends_on TEXT,
     products TEXT NOT NULL, lawyer_ids TEXT NOT NULL, mandate_sha256 TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE letter_requests (
     id TEXT PRIMARY KEY,
     creditor_org_id TEXT NOT NULL REFERENCES orgs (id),
     engagement_id TEXT REFERENCES engagements (id),
     kind TEXT NOT NULL,
     contract_no TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending_review', 'issued', 'rejected')),
     input_json TEXT,
     input_sha256 TEXT NOT NULL,
     requested_by TEXT NOT NULL,
     override_reason TEXT,
     policy_reasons TEXT NOT NULL,
     debtor_masked TEXT NOT NULL,
     total TEXT NOT NULL,
     decided_by TEXT, decision_reason TEXT, letter_id TEXT, idempotency_key TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (creditor_org_id, idempotency_key)
   );
   CREATE INDEX letter_requests_status ON letter_requests (status);
   CREATE TABLE audit (
     seq INTEGER PRIMARY KEY,
     at TEXT NOT NULL, org_id TEXT, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT,
     details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
   );
   CREATE TABLE letters (
     id TEXT PRIMARY KEY,
     number TEXT NOT NULL,
     series TEXT NOT NULL,
     year INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     kind TEXT NOT NULL,
     template TEXT NOT NULL,
     sender TEXT NOT NULL,
     issue_date TEXT NOT NULL,
     input_json TEXT,
     input_sha256 TEXT NOT NULL,
     pdf_sha256 TEXT NOT NULL,
     pdf_size BIGINT NOT NULL,
     verify_code TEXT NOT NULL,
     verify_url TEXT NOT NULL,
     debtor_masked TEXT NOT NULL,
     total_fen BIGINT NOT NULL,
     requester TEXT NOT NULL,
     idempotency_key TEXT,
     created_at TEXT NOT NULL,
     org_id TEXT NOT NULL DEFAULT 'default',
     client_org_id TEXT NOT NULL DEFAULT 'default',
     contract_no TEXT,
     status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'void')),
     voided_on TEXT, void_reason TEXT, seal_sha256 TEXT, request_id TEXT, purged_at TEXT,
     engine INTEGER NOT NULL DEFAULT 1,
     unsigned_sha256 TEXT, signer_subject TEXT, signer_issuer TEXT, signer_not_before TEXT, signer_not_after TEXT, signed_at TEXT,
     UNIQUE (series, year, seq),
     UNIQUE (org_id, idempotency_key)
   );
   CREATE INDEX letters_number ON letters (number);
   CREATE INDEX letters_pdf ON letters (pdf_sha256);
   CREATE INDEX letters_contract ON letters (client_org_id, contract_no);
   CREATE INDEX letters_org ON letters (org_id, created_at);
   CREATE TABLE letter_events (
     id TEXT PRIMARY KEY,
     letter_id TEXT NOT NULL REFERENCES letters (id),
     seq INTEGER NOT NULL,
     type TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, details TEXT NOT NULL, created_at TEXT NOT NULL,
     UNIQUE (letter_id, seq)
   );
   CREATE TABLE debtor_responses (
     id TEXT PRIMARY KEY,
     letter_id TEXT NOT NULL REFERENCES letters (id),
     client_org_id TEXT NOT NULL,
     contract_no TEXT NOT NULL,
     type TEXT NOT NULL CHECK (type IN ('dispute', 'hardship')),
     text_json TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
     created_at TEXT NOT NULL,
     resolved_at TEXT, resolved_by TEXT, resolution_note TEXT
   );
   CREATE INDEX debtor_responses_contract ON debtor_responses (client_org_id, contract_no, status);
   -- The row an issuing transaction locks (SELECT … FOR UPDATE) to take the next number of a series:
   -- instances issue in the same series one at a time, and a rolled-back issue leaves it unchanged.
   CREATE TABLE series_counters (
     series TEXT NOT NULL,
     year INTEGER NOT NULL,
     last_seq INTEGER NOT NULL,
     PRIMARY KEY (series, year)
   );
   -- Stored PDFs, seal images and proof files, content-addressed: any instance serves any letter.
   CREATE TABLE blobs (
     sha256 TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     ext TEXT NOT NULL,
     size BIGINT NOT NULL,
     bytes BYTEA NOT NULL,
     created_at TEXT NOT NULL
   );`,
  // 2: the partner's workspace (SQLite migration 8) and repayment plans (SQLite migration 9).
  `${WEB_TABLES}
   CREATE TABLE plan_settings (
     org_id TEXT PRIMARY KEY,
     terms_json TEXT NOT NULL,
     first_due_days INTEGER NOT NULL,
     min_instalment_fen BIGINT NOT NULL,
     grace_days INTEGER NOT NULL,
     updated_at TEXT NOT NULL,
     updated_by TEXT NOT NULL
   );
   CREATE TABLE repayment_plans (
     id TEXT PRIMARY KEY,
     letter_id TEXT NOT NULL UNIQUE REFERENCES letters (id),
     client_org_id TEXT NOT NULL,
     contract_no TEXT NOT NULL,
     terms INTEGER NOT NULL,
     schedule_json TEXT NOT NULL,
     total_fen BIGINT NOT NULL,
     grace_days INTEGER NOT NULL,
     accepted_on TEXT NOT NULL,
     accepted_at TEXT NOT NULL,
     confirmation_id TEXT
   );
   CREATE INDEX repayment_plans_contract ON repayment_plans (client_org_id, contract_no);`,
  // 3: batches (SQLite migration 7); batches/pg-client.ts creates the same tables (IF NOT EXISTS) when it starts first.
  BATCH_TABLES,
  // 4: seals uploaded in the workspace, and the workspace's background tasks (SQLite migration 10).
  SEAL_TASK_TABLES,
  // 5: the plan's own cost (SQLite migration 11).
  PLAN_COST_COLUMNS,
  // 6: a signed letter's RFC 3161 timestamp (SQLite migration 12).
  TIMESTAMP_COLUMNS,
  // 7: people can be disabled (SQLite migration 13).
  USER_STATUS_COLUMNS,
  // 8: an engagement's 授权委托书 kept as an encrypted file (SQLite migration 14).
  MANDATE_COLUMNS,
  // 9: the registry's own facts (SQLite migration 15).
  META_TABLE,
  // 10: who accepted a plan (SQLite migration 16).
  PLAN_CODE_TABLES,
  // 11: a dispute's receipt number (SQLite migration 17).
  RECEIPT_COLUMNS,
  // 12: column mappings per client and uploads waiting for them (SQLite migration 18).
  COLUMN_MAPPING_TABLES,
  // 13: the columns of encrypted personal data named *_encrypted (SQLite migration 19).
  ENCRYPTED_COLUMN_NAMES,
  // 14: the workspace's tasks are batches with a subject (SQLite migration 20).
  TASKS_INTO_BATCHES_PG,
];
