/**
 * The proof of who accepted a plan (issue 28 §4): one DDL for the SQLite migration and its
 * PostgreSQL twin. plan_codes: every one-time code sent for a plan acceptance (its HMAC, never
 * the code; the number masked; the sender and the provider's message id; expiry, wrong
 * attempts, use). repayment_plans.acceptance_sealed: the acceptance record (time, IP address,
 * user agent, the offer's hash, the code's delivery), encrypted with the data key; NULL for plans
 * accepted before codes existed. Once released this text never changes (it is a migration): the
 * column is renamed acceptance_encrypted by a later one (encrypted-column-names.ts).
 */
export const PLAN_CODE_TABLES = `CREATE TABLE plan_codes (
     id TEXT PRIMARY KEY,
     letter_id TEXT NOT NULL REFERENCES letters (id),
     offer_sha256 TEXT NOT NULL,
     terms INTEGER NOT NULL,
     code_hash TEXT NOT NULL,
     sender TEXT NOT NULL,
     to_masked TEXT NOT NULL,
     message_id TEXT,
     status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed', 'used')),
     created_at TEXT NOT NULL,
     sent_at TEXT,
     expires_at TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     used_at TEXT
   );
   CREATE INDEX plan_codes_letter ON plan_codes (letter_id, created_at);
   ALTER TABLE repayment_plans ADD COLUMN acceptance_sealed TEXT;`;
