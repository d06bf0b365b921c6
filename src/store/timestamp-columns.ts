/**
 * A signed letter's RFC 3161 timestamp (issue 16): the TSA's time and name, beside the signer's
 * columns. One DDL for the SQLite migration and its PostgreSQL twin; NULL for every letter
 * signed without a TSA, or not signed. Once released this text never changes (it is a migration).
 */
export const TIMESTAMP_COLUMNS = `
ALTER TABLE letters ADD COLUMN timestamp_at TEXT;
ALTER TABLE letters ADD COLUMN timestamp_tsa TEXT;
`;
