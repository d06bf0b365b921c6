/**
 * The dispute receipt number (debtors/receipt-number.ts): one DDL for the SQLite migration and
 * its PostgreSQL twin. Unique per creditor; NULL for responses filed before numbers existed
 * (their internal id stands in). Once released this text never changes (it is a migration).
 */
export const RECEIPT_COLUMNS = `ALTER TABLE debtor_responses ADD COLUMN receipt_no TEXT;
   CREATE UNIQUE INDEX debtor_responses_receipt ON debtor_responses (client_org_id, receipt_no);`;
