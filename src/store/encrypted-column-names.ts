/**
 * The columns that hold personal data encrypted with the data key were named `*_sealed`, while
 * "seal" also means the stamp image on a letter (issue 30: one word, one meaning). This renames
 * them `*_encrypted` in place — the ciphertext and every row stay as they are, so a registry
 * written before reads the same after. One DDL for SQLite (migration 19, RENAME COLUMN since
 * SQLite 3.25) and PostgreSQL (migration 13). Released: never changes.
 *
 * The migrations that made them (web-tables.ts, seal-task-tables.ts, plan-code-tables.ts,
 * column-mapping-tables.ts) keep the old names: a released migration never changes.
 */
export const ENCRYPTED_COLUMN_NAMES = `ALTER TABLE import_batches RENAME COLUMN result_sealed TO result_encrypted;
   ALTER TABLE web_task_items RENAME COLUMN input_sealed TO input_encrypted;
   ALTER TABLE repayment_plans RENAME COLUMN acceptance_sealed TO acceptance_encrypted;
   ALTER TABLE import_uploads RENAME COLUMN upload_sealed TO upload_encrypted;`;
