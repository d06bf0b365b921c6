/**
 * An engagement's 授权委托书 kept as a file (issue 28): the encrypted blob's name (its sha256; the
 * document's own sha256 stays in mandate_sha256) and the document's type; NULL for an
 * engagement recorded by its sha256 only. One DDL for the SQLite migration and its PostgreSQL
 * twin. Once released this text never changes (it is a migration).
 */
export const MANDATE_COLUMNS = `
ALTER TABLE engagements ADD COLUMN mandate_blob TEXT;
ALTER TABLE engagements ADD COLUMN mandate_type TEXT;
`;
