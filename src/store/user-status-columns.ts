/**
 * A person who leaves an organisation is disabled, never deleted (their name stays on the
 * letters they approved and in the audit trail): the time they were disabled, NULL while
 * active. One DDL for the SQLite migration and its PostgreSQL twin. Once released this text
 * never changes (it is a migration).
 */
export const USER_STATUS_COLUMNS = `
ALTER TABLE users ADD COLUMN disabled_at TEXT;
`;
