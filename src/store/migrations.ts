/**
 * The SQLite schema, as versioned migrations applied in order at open. A released migration
 * never changes: a change of schema is a new migration at the end.
 */

import { BATCH_TABLES } from './batch-tables.js';
import { COLUMN_MAPPING_TABLES } from './column-mapping-tables.js';
import { ENCRYPTED_COLUMN_NAMES } from './encrypted-column-names.js';
import { MANDATE_COLUMNS } from './mandate-columns.js';
import { META_TABLE } from './meta-table.js';
import { PLAN_CODE_TABLES } from './plan-code-tables.js';
import { PLAN_COST_COLUMNS } from './plan-cost-columns.js';
import { RECEIPT_COLUMNS } from './receipt-columns.js';
import { SEAL_TASK_TABLES } from './seal-task-tables.js';
import { TASKS_INTO_BATCHES_SQLITE } from './tasks-into-batches.js';
import { TIMESTAMP_COLUMNS } from './timestamp-columns.js';
import { USER_STATUS_COLUMNS } from './user-status-columns.js';
import { WEB_TABLES } from './web-tables.js';

const LETTER_COLUMNS = `id, number, series, year, seq, kind, template, sender, issue_date, input_json, input_sha256, pdf_sha256, pdf_size,
  verify_code, verify_url, debtor_masked, total_fen, requester, idempotency_key, created_at`;

export const MIGRATIONS: string[] = [
  // 1: letters, numbered per series and year, gap-free because numbers are only taken in a committed transaction.
  `CREATE TABLE letters (
     id TEXT PRIMARY KEY,
     number TEXT NOT NULL,
     series TEXT NOT NULL,
     year INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     kind TEXT NOT NULL,
     template TEXT NOT NULL,
     sender TEXT NOT NULL,
     issue_date TEXT NOT NULL,
     input_json TEXT NOT NULL,
     input_sha256 TEXT NOT NULL,
     pdf_sha256 TEXT NOT NULL,
     pdf_size INTEGER NOT NULL,
     verify_code TEXT NOT NULL,
     verify_url TEXT NOT NULL,
     debtor_masked TEXT NOT NULL,
     total_fen INTEGER NOT NULL,
     requester TEXT NOT NULL,
     idempotency_key TEXT UNIQUE,
     created_at TEXT NOT NULL,
     UNIQUE (series, year, seq)
   );
   CREATE INDEX letters_number ON letters (number);
   CREATE INDEX letters_pdf ON letters (pdf_sha256);`,

  // 2: organisations, users, API keys, engagements, letter requests, the audit chain; letters
  // become tenant-scoped (idempotency keys per organisation), voidable, and keep their seal.
  `CREATE TABLE orgs (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('creditor', 'law-firm')),
     name TEXT NOT NULL UNIQUE,
     credit_code TEXT,
     license_no TEXT,
     letter_prefix TEXT,
     address TEXT,
     phone TEXT,
     register_year INTEGER,
     register_next INTEGER,
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
     license_no TEXT,
     phone TEXT,
     password_hash TEXT,
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
     signed_on TEXT NOT NULL,
     starts_on TEXT NOT NULL,
     ends_on TEXT,
     products TEXT NOT NULL,
     lawyer_ids TEXT NOT NULL,
     mandate_sha256 TEXT NOT NULL,
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
     decided_by TEXT,
     decision_reason TEXT,
     letter_id TEXT,
     idempotency_key TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (creditor_org_id, idempotency_key)
   );
   CREATE INDEX letter_requests_status ON letter_requests (status);
   CREATE TABLE audit (
     seq INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     org_id TEXT,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     subject TEXT,
     details TEXT NOT NULL,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   );
   CREATE TABLE letters_v2 (
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
     pdf_size INTEGER NOT NULL,
     verify_code TEXT NOT NULL,
     verify_url TEXT NOT NULL,
     debtor_masked TEXT NOT NULL,
     total_fen INTEGER NOT NULL,
     requester TEXT NOT NULL,
     idempotency_key TEXT,
     created_at TEXT NOT NULL,
     org_id TEXT NOT NULL DEFAULT 'default',
     client_org_id TEXT NOT NULL DEFAULT 'default',
     contract_no TEXT,
     status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'void')),
     voided_on TEXT,
     void_reason TEXT,
     seal_sha256 TEXT,
     request_id TEXT,
     purged_at TEXT,
     UNIQUE (series, year, seq),
     UNIQUE (org_id, idempotency_key)
   );
   INSERT INTO letters_v2 (${LETTER_COLUMNS}) SELECT ${LETTER_COLUMNS} FROM letters;
   DROP TABLE letters;
   ALTER TABLE letters_v2 RENAME TO letters;
   CREATE INDEX letters_number ON letters (number);
   CREATE INDEX letters_pdf ON letters (pdf_sha256);
   CREATE INDEX letters_contract ON letters (client_org_id, contract_no);
   CREATE INDEX letters_org ON letters (org_id, created_at);`,

  // 3: what happens after a letter is issued: dispatch, delivery, return, refusal, payment.
  `CREATE TABLE letter_events (
     id TEXT PRIMARY KEY,
     letter_id TEXT NOT NULL REFERENCES letters (id),
     seq INTEGER NOT NULL,
     type TEXT NOT NULL,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     details TEXT NOT NULL,
     created_at TEXT NOT NULL,
     UNIQUE (letter_id, seq)
   );`,

  // 4: the debtor's answers on the verification page: a dispute of the amount, or a hardship request.
  `CREATE TABLE debtor_responses (
     id TEXT PRIMARY KEY,
     letter_id TEXT NOT NULL REFERENCES letters (id),
     client_org_id TEXT NOT NULL,
     contract_no TEXT NOT NULL,
     type TEXT NOT NULL CHECK (type IN ('dispute', 'hardship')),
     text_json TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
     created_at TEXT NOT NULL,
     resolved_at TEXT,
     resolved_by TEXT,
     resolution_note TEXT
   );
   CREATE INDEX debtor_responses_contract ON debtor_responses (client_org_id, contract_no, status);`,

  // 5: the layout engine that set each letter (layout/engine.ts); letters issued before this
  // column existed were all set by engine 1 (greedy breaking).
  `ALTER TABLE letters ADD COLUMN engine INTEGER NOT NULL DEFAULT 1;`,

  // 6: signed letters (issue 16): the unsigned render's sha256 (what a re-render is compared
  // with) and the signer's certificate; pdf_sha256 stays the hash of the stored, signed file.
  `ALTER TABLE letters ADD COLUMN unsigned_sha256 TEXT;
   ALTER TABLE letters ADD COLUMN signer_subject TEXT;
   ALTER TABLE letters ADD COLUMN signer_issuer TEXT;
   ALTER TABLE letters ADD COLUMN signer_not_before TEXT;
   ALTER TABLE letters ADD COLUMN signer_not_after TEXT;
   ALTER TABLE letters ADD COLUMN signed_at TEXT;`,

  // 7: batches (issue 15, batches across instances): a batch and its rows, the SQLite queue's jobs.
  BATCH_TABLES,
  // 8: the partner's workspace (issue 12): server-side sign-in sessions (only the token's
  // sha256 is stored), import batches with their rows (the rejected rows encrypted with the data
  // key, for the download), and which draft letters a reviewer opened before deciding.
  WEB_TABLES,
  // 9: repayment plans (issue 13): the creditor's plan settings per organisation, and the plans
  // debtors accepted on the verification page (one per offering letter), with their schedule
  // (JSON: [{dueDate, amountFen}]) and the confirmation letter issued for them.
  `CREATE TABLE plan_settings (
     org_id TEXT PRIMARY KEY,
     terms_json TEXT NOT NULL,
     first_due_days INTEGER NOT NULL,
     min_instalment_fen INTEGER NOT NULL,
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
     total_fen INTEGER NOT NULL,
     grace_days INTEGER NOT NULL,
     accepted_on TEXT NOT NULL,
     accepted_at TEXT NOT NULL,
     confirmation_id TEXT
   );
   CREATE INDEX repayment_plans_contract ON repayment_plans (client_org_id, contract_no);`,
  // 10: seals uploaded in the workspace, and the workspace's background tasks (seal-task-tables.ts).
  SEAL_TASK_TABLES,
  // 11: the plan's own cost (issue 13): whether interest continues under a plan and at what
  // annual rate (basis points); an accepted plan keeps its cost, rate and the day interest runs
  // from (its schedule_json instalments gain interestFen). Existing rows: interest stops, cost 0.
  PLAN_COST_COLUMNS,
  // 12: a signed letter's RFC 3161 timestamp (issue 16): the TSA's genTime and name; NULL when not stamped.
  TIMESTAMP_COLUMNS,
  // 13: people can be disabled (a lawyer who leaves the firm): no sign-in, no approval, until enabled again.
  USER_STATUS_COLUMNS,
  // 14: an engagement's 授权委托书 kept as an encrypted file (issue 28): its blob and type; NULL when only its sha256 was recorded.
  MANDATE_COLUMNS,
  // 15: the registry's own facts: the data key's canary, where the keyed audit chain begins (meta-table.ts).
  META_TABLE,
  // 16: who accepted a plan (issue 28 §4): the one-time codes sent, and the encrypted acceptance record (plan-code-tables.ts).
  PLAN_CODE_TABLES,
  // 17: a dispute's receipt number a person can read out on the phone, unique per creditor (receipt-columns.ts).
  RECEIPT_COLUMNS,
  // 18: a client's column mapping per organisation, and uploads waiting for it (column-mapping-tables.ts).
  COLUMN_MAPPING_TABLES,
  // 19: the columns of encrypted personal data named *_encrypted, not *_sealed (encrypted-column-names.ts).
  ENCRYPTED_COLUMN_NAMES,
  // 20: the workspace's tasks are batches with a subject, worked by the one batch worker (tasks-into-batches.ts).
  TASKS_INTO_BATCHES_SQLITE,
];
